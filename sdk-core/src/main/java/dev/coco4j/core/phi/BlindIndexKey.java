package dev.coco4j.core.phi;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.envelope.internal.Hkdf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.security.auth.Destroyable;

/**
 * The secret behind blind-index tokens ({@link PhiFieldEncryptor.Builder#blindIndex}). Each selector gets its own
 * HMAC-SHA-256 key, derived with HKDF-SHA-256 from this key and the selector text, so equal values in different fields
 * give unrelated tokens. Keep it separate from data keys: it is long-lived, because tokens must stay comparable over
 * time. {@link #destroy()} zeroes it; {@link #toString()} never shows it.
 */
public final class BlindIndexKey implements Destroyable {
    private final byte[] key;
    private volatile boolean destroyed;

    private BlindIndexKey(byte[] key) {
        this.key = key;
    }

    /**
     * A blind-index key from 32 random bytes (copied).
     *
     * @param key 32 random key bytes; copied, so the caller may zero the array afterwards
     * @return a new blind-index key
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code key} is not 32 bytes
     */
    public static BlindIndexKey of(byte[] key) {
        if (key.length != 32) {
            throw new ConfigurationException(Reason.CONFIGURATION, "a blind-index key must be 32 bytes");
        }
        return new BlindIndexKey(key.clone());
    }

    /**
     * A blind-index key derived from another 32-byte root secret (for instance the bytes of a key file that also
     * serves as a KEK) with HKDF-SHA-256 and the label {@code coco4j-phi-blind-index-v1}: domain-separated, so the
     * derived key reveals nothing about the root and is never used for encryption.
     *
     * @param rootSecret the root secret, at least 32 bytes; not modified or retained
     * @return a new blind-index key holding only the derived bytes
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the root secret is shorter than 32 bytes
     */
    public static BlindIndexKey derivedFrom(byte[] rootSecret) {
        if (rootSecret.length < 32) {
            throw new ConfigurationException(Reason.CONFIGURATION, "the root secret must be at least 32 bytes");
        }
        return new BlindIndexKey(Hkdf.sha256(rootSecret, "coco4j-phi".getBytes(StandardCharsets.US_ASCII),
                "coco4j-phi-blind-index-v1".getBytes(StandardCharsets.US_ASCII), 32));
    }

    /** The HMAC key for one selector. */
    byte[] fieldKey(String selector) {
        if (destroyed) {
            throw new ConfigurationException(Reason.CONFIGURATION, "blind-index key is destroyed");
        }
        return Hkdf.sha256(key, "coco4j-phi-blind-index-field".getBytes(StandardCharsets.US_ASCII),
                selector.getBytes(StandardCharsets.UTF_8), 32);
    }

    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    @Override
    public String toString() {
        return "BlindIndexKey[" + (destroyed ? "destroyed" : "redacted") + "]";
    }
}
