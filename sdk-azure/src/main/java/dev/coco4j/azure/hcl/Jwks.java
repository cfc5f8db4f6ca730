package dev.coco4j.azure.hcl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Public JWKs (RFC 7517/7518) as the HCL runtime claims carry them: RSA ({@code n}, {@code e}) and EC on P-256,
 * P-384 and P-521 ({@code crv}, {@code x}, {@code y}), base64url without padding.
 */
public final class Jwks {
    private Jwks() {
    }

    /**
     * The public key a JWK object describes.
     *
     * @param jwk a JSON object with {@code kty} {@code RSA} (modulus 2048..8192 bits) or {@code EC} (P-256, P-384,
     *            P-521); other members such as {@code kid} are ignored
     * @return the JCA public key (RSA or EC)
     * @throws AttestationException {@code MALFORMED_EVIDENCE} for an unsupported or invalid key
     */
    public static PublicKey publicKey(JsonNode jwk) {
        String kty = jwk.path("kty").asText("");
        try {
            switch (kty) {
                case "RSA" -> {
                    BigInteger n = new BigInteger(1, b64(jwk, "n"));
                    BigInteger e = new BigInteger(1, b64(jwk, "e"));
                    if (n.bitLength() < 2048 || n.bitLength() > 8192 || e.signum() <= 0) {
                        throw HclReport.malformed("RSA JWK with an unusable modulus (" + n.bitLength() + " bits)");
                    }
                    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
                }
                case "EC" -> {
                    String curve = switch (jwk.path("crv").asText("")) {
                        case "P-256" -> "secp256r1";
                        case "P-384" -> "secp384r1";
                        case "P-521" -> "secp521r1";
                        default -> throw HclReport.malformed("unsupported EC JWK curve " + jwk.path("crv"));
                    };
                    AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
                    p.init(new ECGenParameterSpec(curve));
                    ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
                    ECPoint w = new ECPoint(new BigInteger(1, b64(jwk, "x")), new BigInteger(1, b64(jwk, "y")));
                    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec));
                }
                default -> throw HclReport.malformed("unsupported JWK key type '" + kty + "'");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "invalid " + kty + " JWK", e);
        }
    }

    /**
     * A public JWK for an RSA or EC key with the given key id and key operations, members in RFC 7638 order.
     *
     * @param key   an RSA key or an EC key on P-256, P-384 or P-521
     * @param kid   the {@code kid} member, e.g. {@link RuntimeClaims#AK_KID}
     * @param keyOp the single entry of the {@code key_ops} array, e.g. {@code sign}
     * @return a new mutable map, ready for JSON serialization, that {@link #publicKey(JsonNode)} reads back
     * @throws IllegalArgumentException if the key is neither RSA nor EC on a supported curve
     */
    public static Map<String, Object> toJwk(PublicKey key, String kid, String keyOp) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kid", kid);
        m.put("key_ops", java.util.List.of(keyOp));
        Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
        if (key instanceof RSAPublicKey r) {
            m.put("kty", "RSA");
            m.put("e", enc.encodeToString(unsigned(r.getPublicExponent(), 0)));
            m.put("n", enc.encodeToString(unsigned(r.getModulus(), (r.getModulus().bitLength() + 7) / 8)));
        } else if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            int len = (bits + 7) / 8;
            m.put("kty", "EC");
            m.put("crv", switch (bits) {
                case 256 -> "P-256";
                case 384 -> "P-384";
                case 521 -> "P-521";
                default -> throw new IllegalArgumentException("unsupported curve size " + bits);
            });
            m.put("x", enc.encodeToString(unsigned(ec.getW().getAffineX(), len)));
            m.put("y", enc.encodeToString(unsigned(ec.getW().getAffineY(), len)));
        } else {
            throw new IllegalArgumentException("unsupported key " + key.getAlgorithm());
        }
        return m;
    }

    private static byte[] unsigned(BigInteger v, int len) {
        byte[] b = v.toByteArray();
        if (b.length > 1 && b[0] == 0) {
            b = Arrays.copyOfRange(b, 1, b.length);
        }
        if (len <= b.length) {
            return b;
        }
        byte[] out = new byte[len];
        System.arraycopy(b, 0, out, len - b.length, b.length);
        return out;
    }

    private static byte[] b64(JsonNode jwk, String member) {
        JsonNode v = jwk.get(member);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw HclReport.malformed("JWK member '" + member + "' is missing");
        }
        return Base64.getUrlDecoder().decode(v.asText());
    }
}
