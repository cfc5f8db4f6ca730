package dev.coco4j.testkit.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.kbs.internal.JweRecipient;

/**
 * Seals a resource to the attested TEE key with {@link JweRecipient} (the same JWE code as the protocol package's
 * {@code ResourceResponses.encrypt}, which the client's tests use: flattened JSON, A256GCM, ECDH-ES+A256KW or
 * RSA-OAEP-256/RSA1_5 by the JWK's {@code alg}), adding only the embedded KBS's fault injection. A key that cannot be encrypted to is
 * {@link JweException}, which the KBS answers with 401 {@code JweError}.
 */
public final class ResourceSealer {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The TEE key cannot be encrypted to. */
    public static final class JweException extends Exception {
        private static final long serialVersionUID = 1L;

        /**
         * Creates the exception; the message never carries key material.
         *
         * @param message what failed, without key material
         * @param cause the underlying JOSE, key or JSON error, or null
         */
        public JweException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private ResourceSealer() {
    }

    /**
     * Seals {@code plaintext} to {@code teeKey}.
     *
     * @param teeKey the {@code tee-pubkey} JWK
     * @param plaintext the resource bytes to encrypt, not null; not modified
     * @param corruptTag flip one bit of the authentication tag (fault injection)
     * @param otherKey encrypt to a fresh key of the same type and algorithm instead (fault injection)
     * @return the flattened JWE JSON text
     * @throws JweException if the key cannot be encrypted to (unsupported key or algorithm, JOSE failure)
     */
    public static String seal(JweRecipient teeKey, byte[] plaintext, boolean corruptTag, boolean otherKey)
            throws JweException {
        try {
            JweRecipient target = otherKey ? JweRecipient.of(freshKeyLike(teeKey.jwk())) : teeKey;
            ObjectNode out = target.seal(plaintext);
            if (corruptTag) {
                byte[] tag = new Base64URL(out.get("tag").asText()).decode();
                tag[0] ^= 0x01;
                out.put("tag", Base64URL.encode(tag).toString());
            }
            return JSON.writeValueAsString(out);
        } catch (KeyReleaseException | JOSEException
                 | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new JweException("cannot encrypt to the TEE key", e);
        }
    }

    private static JWK freshKeyLike(JWK jwk) throws JOSEException {
        return jwk instanceof ECKey ec
                ? new ECKeyGenerator(ec.getCurve()).algorithm(jwk.getAlgorithm()).generate().toPublicJWK()
                : new RSAKeyGenerator(Math.max(2048, ((RSAKey) jwk).size())).algorithm(jwk.getAlgorithm()).generate()
                        .toPublicJWK();
    }
}
