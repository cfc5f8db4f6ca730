package dev.coco4j.core.crypto;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Verifies ECDSA signatures given as raw integers (r, s) — little-endian as in SEV-SNP reports, or big-endian as in
 * TDX quotes and SPDM — without building DER. Uses Bouncy Castle's lightweight API, which verifies P-384 several
 * times faster than the JDK's SunEC here; the curve point is decoded once per key and reused.
 *
 * <p>Immutable and thread-safe. Returns false for any invalid signature, including r or s out of range, and never
 * throws on attacker-controlled signature bytes.
 */
public final class RawEcdsaVerifier {

    /** The digest applied to the message before verification. */
    public enum Hash {
        /** SHA-256. */
        SHA256,
        /** SHA-384. */
        SHA384,
        /** SHA-512. */
        SHA512;

        Digest newDigest() {
            return switch (this) {
                case SHA256 -> new SHA256Digest();
                case SHA384 -> new SHA384Digest();
                case SHA512 -> new SHA512Digest();
            };
        }
    }

    private final ECPublicKeyParameters key;
    private final BigInteger order;
    private final Hash hash;

    private RawEcdsaVerifier(ECPublicKeyParameters key, Hash hash) {
        this.key = key;
        this.order = key.getParameters().getN();
        this.hash = hash;
    }

    /**
     * A verifier for an EC public key on P-256, P-384 or P-521.
     *
     * @param publicKey the EC public key; not null
     * @param hash the digest applied to messages before verification; not null
     * @return a reusable, thread-safe verifier for that key
     * @throws ConfigurationException if the key is not an EC key on a supported named curve
     */
    public static RawEcdsaVerifier forKey(PublicKey publicKey, Hash hash) {
        if (!(publicKey instanceof ECPublicKey ec)) {
            throw new ConfigurationException(Reason.CHAIN_INVALID,
                    "expected an EC public key, got " + publicKey.getAlgorithm());
        }
        int bits = ec.getParams().getCurve().getField().getFieldSize();
        String curve = switch (bits) {
            case 256 -> "P-256";
            case 384 -> "P-384";
            case 521 -> "P-521";
            default -> throw new ConfigurationException(Reason.CHAIN_INVALID, "unsupported EC field size " + bits);
        };
        X9ECParameters x9 = ECNamedCurveTable.getByName(curve);
        if (!(ec.getParams().getCurve().getField() instanceof ECFieldFp fp)
                || !fp.getP().equals(x9.getCurve().getField().getCharacteristic())
                || !x9.getN().equals(ec.getParams().getOrder())) {
            throw new ConfigurationException(Reason.CHAIN_INVALID, "EC key is not on " + curve);
        }
        ECDomainParameters domain = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
        ECPoint q = x9.getCurve().createPoint(ec.getW().getAffineX(), ec.getW().getAffineY());
        if (!q.isValid()) {
            throw new ConfigurationException(Reason.CHAIN_INVALID, "EC public key point is not on " + curve);
        }
        return new RawEcdsaVerifier(new ECPublicKeyParameters(q, domain), hash);
    }

    /**
     * Verifies a signature over {@code message[offset, offset+length)}.
     *
     * @param message the buffer holding the signed bytes; not modified
     * @param offset the start of the signed bytes in {@code message}
     * @param length the number of signed bytes; {@code offset + length} must not exceed {@code message.length}
     * @param r the r integer, unsigned, in {@code order}
     * @param s the s integer, unsigned, in {@code order}
     * @param order the byte order of {@code r} and {@code s} (little-endian for AMD SEV-SNP reports)
     * @return true only if the signature is valid; false for r or s outside 1..n-1 or a wrong signature
     */
    public boolean verify(byte[] message, int offset, int length, byte[] r, byte[] s, ByteOrder order) {
        BigInteger ri = unsigned(r, order);
        BigInteger si = unsigned(s, order);
        if (ri.signum() <= 0 || si.signum() <= 0 || ri.compareTo(this.order) >= 0 || si.compareTo(this.order) >= 0) {
            return false;
        }
        Digest d = hash.newDigest();
        d.update(message, offset, length);
        byte[] h = new byte[d.getDigestSize()];
        d.doFinal(h, 0);
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, key);
        try {
            return signer.verifySignature(h, ri, si);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Verifies a signature over the whole message.
     *
     * @param message the signed bytes; not modified
     * @param r the r integer, unsigned, in {@code order}
     * @param s the s integer, unsigned, in {@code order}
     * @param order the byte order of {@code r} and {@code s}
     * @return true only if the signature is valid
     */
    public boolean verify(byte[] message, byte[] r, byte[] s, ByteOrder order) {
        return verify(message, 0, message.length, r, s, order);
    }

    private static BigInteger unsigned(byte[] v, ByteOrder order) {
        if (order == ByteOrder.BIG_ENDIAN) {
            return new BigInteger(1, v);
        }
        byte[] be = new byte[v.length];
        for (int i = 0; i < v.length; i++) {
            be[i] = v[v.length - 1 - i];
        }
        return new BigInteger(1, be);
    }
}
