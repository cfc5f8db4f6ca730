package dev.coco4j.core.tsm;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * What one configfs-tsm report entry produced. Immutable: arrays are copied in and out. Not verified: the bytes are
 * exactly what the kernel returned.
 *
 * @param outblob the evidence ({@code sev_guest}: a 1184-byte SNP report; {@code tdx_guest}: a TDX quote)
 * @param auxblob auxiliary data ({@code sev_guest}: the GHCB certificate table), empty when the kernel gave none or
 *     the provider has no {@code auxblob}
 * @param manifestblob the SVSM service manifest when a service provider was requested, otherwise empty
 * @param provider the provider name, trimmed ({@code sev_guest}, {@code tdx_guest}, ...)
 * @param generation the entry's {@code generation} after the outputs were read
 */
public record TsmReport(byte[] outblob, byte[] auxblob, byte[] manifestblob, String provider, long generation) {

    /** Copies the arrays; null {@code auxblob} or {@code manifestblob} mean empty. */
    public TsmReport {
        outblob = Objects.requireNonNull(outblob, "outblob").clone();
        auxblob = auxblob == null ? new byte[0] : auxblob.clone();
        manifestblob = manifestblob == null ? new byte[0] : manifestblob.clone();
        Objects.requireNonNull(provider, "provider");
    }

    /** {@return a copy of the evidence ({@code sev_guest}: a 1184-byte SNP report; {@code tdx_guest}: a TDX quote)} */
    @Override
    public byte[] outblob() {
        return outblob.clone();
    }

    /**
     * {@return a copy of auxiliary data ({@code sev_guest}: the GHCB certificate table), empty when the kernel gave
     * none or the provider has no {@code auxblob}}
     */
    @Override
    public byte[] auxblob() {
        return auxblob.clone();
    }

    /** {@return a copy of the SVSM service manifest when a service provider was requested, otherwise empty} */
    @Override
    public byte[] manifestblob() {
        return manifestblob.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TsmReport r && Arrays.equals(r.outblob, outblob) && Arrays.equals(r.auxblob, auxblob)
                && Arrays.equals(r.manifestblob, manifestblob) && r.provider.equals(provider)
                && r.generation == generation;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(outblob), Arrays.hashCode(auxblob), Arrays.hashCode(manifestblob),
                provider, generation);
    }

    @Override
    public String toString() {
        return "TsmReport[provider=" + provider + ", generation=" + generation + ", outblob=" + outblob.length
                + " bytes (" + HexFormat.of().formatHex(outblob, 0, Math.min(8, outblob.length)) + "...), auxblob="
                + auxblob.length + " bytes, manifestblob=" + manifestblob.length + " bytes]";
    }
}
