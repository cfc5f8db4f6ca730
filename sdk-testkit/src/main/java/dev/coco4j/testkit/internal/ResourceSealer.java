package dev.coco4j.testkit.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JWEObjectJSON;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import java.util.Map;

/**
 * Encrypts a resource to the attested TEE key as Trustee does: a flattened JWE JSON object ({@code protected},
 * {@code encrypted_key}, {@code iv}, {@code ciphertext}, {@code tag}; no {@code aad}), content encryption A256GCM,
 * key management ECDH-ES+A256KW for EC P-256/P-521 keys and RSA-OAEP-256 (or the deprecated RSA1_5 when the key says
 * so) for RSA keys. All of it is done by nimbus-jose-jwt. Any other key is refused with {@link JweException}, which
 * the KBS maps to 401 {@code JweError}.
 */
public final class ResourceSealer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The TEE key cannot be encrypted to. */
    public static final class JweException extends Exception {
        private static final long serialVersionUID = 1L;

        public JweException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private ResourceSealer() {
    }

    /**
     * Seals {@code plaintext} to {@code teeKey}.
     *
     * @param teeKey the {@code tee-pubkey} JWK as a JSON object
     * @param corruptTag flip one bit of the authentication tag (fault injection)
     * @param otherKey encrypt to a fresh key of the same type instead (fault injection)
     * @return the flattened JWE JSON text
     */
    public static String seal(Map<String, Object> teeKey, byte[] plaintext, boolean corruptTag, boolean otherKey)
            throws JweException {
        try {
            JWK jwk = JWK.parse(teeKey);
            if (jwk.isPrivate()) {
                throw new JweException("tee-pubkey carries private key material", null);
            }
            JWEAlgorithm alg;
            JWEEncrypter enc;
            if (jwk instanceof ECKey ec) {
                if (!Curve.P_256.equals(ec.getCurve()) && !Curve.P_521.equals(ec.getCurve())) {
                    throw new JweException("unsupported EC curve " + ec.getCurve(), null);
                }
                alg = JWEAlgorithm.ECDH_ES_A256KW;
                ECKey target = otherKey ? new ECKeyGenerator(ec.getCurve()).generate().toPublicJWK() : ec;
                enc = new ECDHEncrypter(target);
            } else if (jwk instanceof RSAKey rsa) {
                alg = rsa.getAlgorithm() == null || JWEAlgorithm.RSA_OAEP_256.equals(rsa.getAlgorithm())
                        ? JWEAlgorithm.RSA_OAEP_256
                        : "RSA1_5".equals(rsa.getAlgorithm().getName()) ? JWEAlgorithm.RSA1_5 : null;
                if (alg == null) {
                    throw new JweException("unsupported RSA algorithm " + rsa.getAlgorithm(), null);
                }
                RSAKey target = otherKey
                        ? new RSAKeyGenerator(Math.max(2048, rsa.size())).generate().toPublicJWK() : rsa;
                enc = new RSAEncrypter(target);
            } else {
                throw new JweException("unsupported key type " + jwk.getKeyType(), null);
            }
            // Compact encryption keeps every header member (epk included) in the protected header, as Trustee does;
            // nimbus then gives the same object in flattened JSON serialisation.
            JWEObject jwe = new JWEObject(new JWEHeader(alg, EncryptionMethod.A256GCM), new Payload(plaintext));
            jwe.encrypt(enc);
            ObjectNode out = (ObjectNode) JSON.readTree(new JWEObjectJSON(jwe).serializeFlattened());
            if (corruptTag) {
                byte[] tag = new Base64URL(out.get("tag").asText()).decode();
                tag[0] ^= 0x01;
                out.put("tag", Base64URL.encode(tag).toString());
            }
            return JSON.writeValueAsString(out);
        } catch (JweException e) {
            throw e;
        } catch (java.text.ParseException | JOSEException | RuntimeException
                 | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new JweException("cannot encrypt to the TEE key", e);
        }
    }
}
