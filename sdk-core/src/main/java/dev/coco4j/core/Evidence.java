package dev.coco4j.core;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Raw attestation evidence as a TEE produced it: the primary structure (an SNP report, a TDX quote, an SPDM
 * measurement response, ...) plus optional auxiliary bytes the platform returned with it (for SNP the GHCB
 * certificate table from configfs-tsm {@code auxblob} or an extended report; for GPUs the certificate chain).
 *
 * <p>Immutable: arrays are copied in and out. Evidence is not secret, but it is not trusted either: nothing here is
 * verified until a {@link dev.coco4j.core.spi.Verifier} says so.
 *
 * @param tee the kind of TEE that produced it
 * @param data the primary evidence bytes
 * @param auxiliary auxiliary bytes, empty when the platform gave none
 */
public record Evidence(TeeType tee, byte[] data, byte[] auxiliary) {

    /** Copies the arrays; {@code auxiliary} may be null for none. */
    public Evidence {
        Objects.requireNonNull(tee, "tee");
        data = Objects.requireNonNull(data, "data").clone();
        auxiliary = auxiliary == null ? new byte[0] : auxiliary.clone();
    }

    /**
     * Evidence without auxiliary bytes.
     *
     * @param tee the kind of TEE that produced the evidence; not null
     * @param data the primary evidence bytes; not null, copied
     * @return evidence with the given bytes and an empty auxiliary part
     */
    public static Evidence of(TeeType tee, byte[] data) {
        return new Evidence(tee, data, null);
    }

    /** {@return a copy of the primary evidence bytes} */
    @Override
    public byte[] data() {
        return data.clone();
    }

    /** {@return a copy of auxiliary bytes, empty when the platform gave none} */
    @Override
    public byte[] auxiliary() {
        return auxiliary.clone();
    }

    /**
     * The auxiliary bytes, or empty when there are none.
     *
     * @return a copy of the auxiliary bytes, or {@link Optional#empty()} when there are none
     */
    public Optional<byte[]> auxiliaryIfPresent() {
        return auxiliary.length == 0 ? Optional.empty() : Optional.of(auxiliary.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Evidence e && e.tee == tee && Arrays.equals(e.data, data)
                && Arrays.equals(e.auxiliary, auxiliary);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tee, Arrays.hashCode(data), Arrays.hashCode(auxiliary));
    }

    @Override
    public String toString() {
        String head = HexFormat.of().formatHex(data, 0, Math.min(8, data.length));
        return "Evidence[tee=" + tee.id() + ", data=" + data.length + " bytes (" + head + "...), auxiliary="
                + auxiliary.length + " bytes]";
    }
}
