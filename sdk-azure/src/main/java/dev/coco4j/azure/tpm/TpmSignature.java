package dev.coco4j.azure.tpm;

import java.util.Arrays;

/**
 * A parsed {@code TPMT_SIGNATURE} (big-endian): {@code u16 sigAlg, u16 hash}, then for RSASSA/RSAPSS
 * {@code TPM2B sig}, for ECDSA {@code TPM2B r, TPM2B s}.
 *
 * @param sigAlg  {@link TpmAlg#RSASSA}, {@link TpmAlg#RSAPSS} or {@link TpmAlg#ECDSA}
 * @param hashAlg the signature's hash algorithm
 * @param rsa     the RSA signature (empty for ECDSA)
 * @param r       ECDSA r (empty for RSA)
 * @param s       ECDSA s (empty for RSA)
 */
public record TpmSignature(int sigAlg, int hashAlg, byte[] rsa, byte[] r, byte[] s) {
    private static final int MAX = 1024;

    /** Copies the arrays. */
    public TpmSignature {
        rsa = rsa.clone();
        r = r.clone();
        s = s.clone();
    }

    /**
     * Parses a marshalled {@code TPMT_SIGNATURE}; every byte must be consumed.
     *
     * @param bytes the marshalled signature (RSASSA or RSAPSS up to 1024 signature bytes, ECDSA with r and s up to
     *              66 bytes each) with a SHA-2 hash; not kept
     * @return the parsed signature; the fields of the other scheme are empty
     * @throws dev.coco4j.core.AttestationException {@code MALFORMED_EVIDENCE} on any fault or an unsupported scheme
     */
    public static TpmSignature parse(byte[] bytes) {
        TpmReader rd = new TpmReader(bytes, "TPMT_SIGNATURE");
        int alg = rd.u16();
        int hash = rd.u16();
        TpmAlg.digestSize(hash);
        TpmSignature sig = switch (alg) {
            case TpmAlg.RSASSA, TpmAlg.RSAPSS -> new TpmSignature(alg, hash, rd.tpm2b(MAX), new byte[0], new byte[0]);
            case TpmAlg.ECDSA -> new TpmSignature(alg, hash, new byte[0], rd.tpm2b(66), rd.tpm2b(66));
            default -> throw TpmReader.malformed("unsupported TPM signature scheme 0x" + Integer.toHexString(alg));
        };
        rd.end();
        return sig;
    }

    /**
     * Marshals this signature as a {@code TPMT_SIGNATURE}.
     *
     * @return a new array that {@link #parse(byte[])} reads back to an equal signature
     */
    public byte[] marshal() {
        TpmWriter w = new TpmWriter().u16(sigAlg).u16(hashAlg);
        if (sigAlg == TpmAlg.ECDSA) {
            w.tpm2b(r).tpm2b(s);
        } else {
            w.tpm2b(rsa);
        }
        return w.toByteArray();
    }

    /**
     * Returns the RSA signature.
     *
     * @return a copy of the {@code rsa} bytes (the record keeps its own); empty for ECDSA
     */
    @Override
    public byte[] rsa() {
        return rsa.clone();
    }

    /**
     * Returns the ECDSA {@code r} value (big-endian).
     *
     * @return a copy of the {@code r} bytes (the record keeps its own); empty for RSA
     */
    @Override
    public byte[] r() {
        return r.clone();
    }

    /**
     * Returns the ECDSA {@code s} value (big-endian).
     *
     * @return a copy of the {@code s} bytes (the record keeps its own); empty for RSA
     */
    @Override
    public byte[] s() {
        return s.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TpmSignature t && t.sigAlg == sigAlg && t.hashAlg == hashAlg && Arrays.equals(t.rsa, rsa)
                && Arrays.equals(t.r, r) && Arrays.equals(t.s, s);
    }

    @Override
    public int hashCode() {
        return sigAlg * 31 + Arrays.hashCode(rsa) + Arrays.hashCode(r);
    }

    @Override
    public String toString() {
        return "TpmSignature[alg=0x" + Integer.toHexString(sigAlg) + ", hash=0x" + Integer.toHexString(hashAlg) + "]";
    }
}
