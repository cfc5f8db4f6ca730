package dev.coco4j.azure.tpm;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;

/**
 * A parsed {@code TPMT_PUBLIC} of an RSA or ECC key (big-endian): {@code u16 type, u16 nameAlg, u32 objectAttributes,
 * TPM2B authPolicy}, then for RSA {@code TPMT_SYM_DEF_OBJECT, TPMT_RSA_SCHEME, u16 keyBits, u32 exponent,
 * TPM2B modulus}, for ECC {@code TPMT_SYM_DEF_OBJECT, TPMT_ECC_SCHEME, u16 curveID, TPMT_KDF_SCHEME,
 * TPM2B x, TPM2B y}.
 *
 * @param type       {@link TpmAlg#RSA} or {@link TpmAlg#ECC}
 * @param nameAlg    the name algorithm
 * @param attributes {@code TPMA_OBJECT}
 * @param scheme     the signing scheme ({@link TpmAlg#NULL} when unrestricted)
 * @param schemeHash the scheme's hash algorithm ({@link TpmAlg#NULL} when none)
 * @param publicKey  the key as a JCA public key
 */
public record TpmPublic(int type, int nameAlg, long attributes, int scheme, int schemeHash, PublicKey publicKey) {
    /** TPMA_OBJECT restricted. */
    public static final long RESTRICTED = 1L << 16;
    /** TPMA_OBJECT sign. */
    public static final long SIGN = 1L << 18;
    /** TPM_ECC_NIST_P256. */
    public static final int ECC_NIST_P256 = 0x0003;
    /** TPM_ECC_NIST_P384. */
    public static final int ECC_NIST_P384 = 0x0004;

    /**
     * Parses a {@code TPMT_PUBLIC} (without the TPM2B size prefix); every byte must be consumed.
     *
     * @param tpmtPublic the marshalled public area of an RSA key or an ECC P-256/P-384 key; not kept
     * @return the parsed public area with its key as a JCA {@link PublicKey}
     * @throws dev.coco4j.core.AttestationException {@code MALFORMED_EVIDENCE} on any fault
     */
    public static TpmPublic parse(byte[] tpmtPublic) {
        TpmReader r = new TpmReader(tpmtPublic, "TPMT_PUBLIC");
        int type = r.u16();
        int nameAlg = r.u16();
        long attrs = r.u32();
        r.tpm2b(64);
        int sym = r.u16();
        if (sym != TpmAlg.NULL) {
            r.u16();
            r.u16();
        }
        int scheme = r.u16();
        int hash = TpmAlg.NULL;
        if (scheme != TpmAlg.NULL) {
            hash = r.u16();
        }
        PublicKey key;
        try {
            if (type == TpmAlg.RSA) {
                r.u16();
                long exp = r.u32();
                byte[] n = r.tpm2b(512);
                BigInteger e = BigInteger.valueOf(exp == 0 ? 65537 : exp);
                key = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(new BigInteger(1, n), e));
            } else if (type == TpmAlg.ECC) {
                int curve = r.u16();
                int kdf = r.u16();
                if (kdf != TpmAlg.NULL) {
                    r.u16();
                }
                byte[] x = r.tpm2b(66);
                byte[] y = r.tpm2b(66);
                String name = switch (curve) {
                    case ECC_NIST_P256 -> "secp256r1";
                    case ECC_NIST_P384 -> "secp384r1";
                    default -> throw TpmReader.malformed("unsupported TPM ECC curve 0x" + Integer.toHexString(curve));
                };
                AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
                p.init(new ECGenParameterSpec(name));
                key = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                        new ECPoint(new BigInteger(1, x), new BigInteger(1, y)), p.getParameterSpec(ECParameterSpec.class)));
            } else {
                throw TpmReader.malformed("unsupported TPM key type 0x" + Integer.toHexString(type));
            }
        } catch (GeneralSecurityException e) {
            throw TpmReader.malformed("TPMT_PUBLIC holds an invalid key");
        }
        r.end();
        return new TpmPublic(type, nameAlg, attrs, scheme, hash, key);
    }
}
