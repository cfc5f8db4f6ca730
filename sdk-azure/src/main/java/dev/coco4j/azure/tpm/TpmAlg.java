package dev.coco4j.azure.tpm;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The {@code TPM_ALG_ID} values coco4j uses (TPM 2.0 Library Part 2, table "TPM_ALG_ID"). */
public final class TpmAlg {
    /** TPM_ALG_RSA. */
    public static final int RSA = 0x0001;
    /** TPM_ALG_SHA1 (refused for signatures and digests). */
    public static final int SHA1 = 0x0004;
    /** TPM_ALG_SHA256. */
    public static final int SHA256 = 0x000B;
    /** TPM_ALG_SHA384. */
    public static final int SHA384 = 0x000C;
    /** TPM_ALG_SHA512. */
    public static final int SHA512 = 0x000D;
    /** TPM_ALG_NULL. */
    public static final int NULL = 0x0010;
    /** TPM_ALG_RSASSA (PKCS#1 v1.5). */
    public static final int RSASSA = 0x0014;
    /** TPM_ALG_RSAPSS. */
    public static final int RSAPSS = 0x0016;
    /** TPM_ALG_ECDSA. */
    public static final int ECDSA = 0x0018;
    /** TPM_ALG_ECC. */
    public static final int ECC = 0x0023;
    /** TPM_ALG_AES. */
    public static final int AES = 0x0006;
    /** TPM_ALG_CFB. */
    public static final int CFB = 0x0043;

    private TpmAlg() {
    }

    /**
     * The digest size of a hash algorithm, or throws {@code MALFORMED_EVIDENCE} for anything but SHA-2.
     *
     * @param hashAlg a {@code TPM_ALG_ID}
     * @return 32, 48 or 64 for SHA-256, SHA-384 or SHA-512
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} for any other algorithm (SHA-1 included)
     */
    public static int digestSize(int hashAlg) {
        return switch (hashAlg) {
            case SHA256 -> 32;
            case SHA384 -> 48;
            case SHA512 -> 64;
            default -> throw new AttestationException(Reason.MALFORMED_EVIDENCE,
                    "unsupported TPM hash algorithm 0x" + Integer.toHexString(hashAlg));
        };
    }

    /**
     * The JCA name ({@code SHA-256}, ...) of a SHA-2 hash algorithm.
     *
     * @param hashAlg a {@code TPM_ALG_ID}: {@link #SHA256}, {@link #SHA384} or {@link #SHA512}
     * @return {@code "SHA-256"}, {@code "SHA-384"} or {@code "SHA-512"}
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} for any other algorithm
     */
    public static String jcaName(int hashAlg) {
        return "SHA-" + digestSize(hashAlg) * 8;
    }

    /**
     * The digest of {@code data} with a SHA-2 hash algorithm.
     *
     * @param hashAlg a {@code TPM_ALG_ID}: {@link #SHA256}, {@link #SHA384} or {@link #SHA512}
     * @param data    the parts to hash, in order, as if concatenated; none gives the digest of the empty input
     * @return a new array of {@link #digestSize(int)} bytes
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} for an algorithm other than SHA-2
     */
    public static byte[] digest(int hashAlg, byte[]... data) {
        try {
            MessageDigest md = MessageDigest.getInstance(jcaName(hashAlg));
            for (byte[] d : data) {
                md.update(d);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
