package dev.coco4j.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.internal.JoseCrypto;

/**
 * KBS resource responses: the resource bytes encrypted to the TEE public key as a JWE in flattened JSON serialisation
 * (RFC 7516 §7.2.2), without an {@code aad} member, always {@code enc A256GCM}:
 * <pre>{"protected":"b64url(header)","encrypted_key":"...","iv":"...","ciphertext":"...","tag":"..."}</pre>
 * Key management follows the JWK's {@code alg}: {@code ECDH-ES+A256KW} (P-256, P-521), {@code RSA-OAEP-256}, or the
 * deprecated {@code RSA1_5}. This class is the server side (a mock or embedded KBS); the client decrypts with
 * {@link dev.coco4j.kbs.KbsClient}. Every call uses a fresh content key, IV and (for ECDH-ES) ephemeral key pair.
 */
public final class ResourceResponses {
    private ResourceResponses() {
    }

    /**
     * Encrypts {@code plaintext} to the {@code tee-pubkey} JWK.
     *
     * @param teePubkey the {@code tee-pubkey} JWK from the attestation's runtime data; not null
     * @param plaintext the resource bytes; not null, any length, not kept
     * @return the flattened JWE JSON object
     * @throws KeyReleaseException {@link Reason#MALFORMED_EVIDENCE} if the JWK is malformed or names an algorithm
     *     Trustee does not serve
     */
    public static ObjectNode encrypt(JsonNode teePubkey, byte[] plaintext) {
        return JoseCrypto.seal(JoseCrypto.parsePublicKey(teePubkey), plaintext);
    }
}
