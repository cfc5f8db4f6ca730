package dev.coco4j.kbs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.jwk.JWK;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import java.security.Provider;
import java.security.interfaces.ECPrivateKey;
import java.text.ParseException;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The KBS resource JWE: the provider choice for the client's decryption, {@code tee-pubkey} parsing, and one-shot
 * sealing (the server side lives in {@link JweRecipient}). The client's ECDH-ES agreement uses Bouncy Castle, several
 * times faster than SunEC for P-256 (measured on this project's build machine: about 4x) and constant-time for the
 * TEE private key; AES key wrap and AES-GCM stay with the JDK's default (hardware-accelerated) providers. The provider
 * is a private instance: nothing is registered with {@link java.security.Security}. The peer point is checked on the
 * curve (by nimbus before the agreement and by Bouncy Castle when it imports it).
 */
public final class JoseCrypto {
    /** The Bouncy Castle provider instance used for key agreement. */
    public static final Provider KEY_AGREEMENT = new BouncyCastleProvider();

    private JoseCrypto() {
    }

    /**
     * An ECDH-ES decrypter for this private key, agreement through {@link #KEY_AGREEMENT}. Thread-safe.
     *
     * @param privateKey the TEE's EC private key (P-256 or P-521); not null, kept by the decrypter
     * @return a new decrypter
     * @throws JOSEException if nimbus does not accept the key's curve
     */
    public static ECDHDecrypter decrypter(ECPrivateKey privateKey) throws JOSEException {
        ECDHDecrypter d = new ECDHDecrypter(privateKey);
        d.getJCAContext().setKeyEncryptionProvider(KEY_AGREEMENT);
        return d;
    }

    /**
     * A {@code tee-pubkey} JWK parsed once, for {@link #seal(JWK, byte[])}.
     *
     * @param teePubkey the JWK JSON object; not null
     * @return the parsed JWK (public part only)
     * @throws KeyReleaseException {@link Reason#MALFORMED_EVIDENCE} if it is not a valid public JWK
     */
    public static JWK parsePublicKey(JsonNode teePubkey) {
        JWK jwk;
        try {
            jwk = JWK.parse(Json.write(teePubkey));
        } catch (ParseException e) {
            throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, "tee-pubkey is not a valid JWK");
        }
        if (jwk.isPrivate()) {
            throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, "tee-pubkey must be a public key");
        }
        return jwk;
    }

    /**
     * Encrypts {@code plaintext} to a parsed public {@code tee-pubkey} (see {@link JweRecipient}; keep a recipient
     * instead when sealing to the same key repeatedly).
     *
     * @param jwk the public JWK, {@code alg} {@code ECDH-ES+A256KW} (P-256/P-521), {@code RSA-OAEP-256} or
     *     {@code RSA1_5}; not null
     * @param plaintext the bytes to encrypt; not null, not kept
     * @return a new flattened JWE JSON object (no {@code aad} member)
     * @throws KeyReleaseException {@link Reason#MALFORMED_EVIDENCE} if the key is private or names an algorithm Trustee
     *     does not serve
     */
    public static ObjectNode seal(JWK jwk, byte[] plaintext) {
        return JweRecipient.of(jwk).seal(plaintext);
    }
}
