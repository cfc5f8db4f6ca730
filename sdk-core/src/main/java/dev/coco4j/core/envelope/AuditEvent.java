package dev.coco4j.core.envelope;

import java.time.Instant;
import java.util.Objects;

/**
 * One audit event of envelope encryption: what happened to which data key, under which KEK. Never carries key bytes,
 * plaintext or PHI; the message id is the random id from the envelope header (it identifies a data key, not a
 * patient).
 *
 * @param type what happened
 * @param kekId the key-encryption key's id, or {@code null} when unknown (an unparseable header)
 * @param messageId the envelope's message id in hex, or {@code null} when unknown
 * @param time when it happened (the cipher's clock)
 */
public record AuditEvent(Type type, String kekId, String messageId, Instant time) {

    /** What happened. */
    public enum Type {
        /** A fresh data key was generated and wrapped (encryption). */
        DATA_KEY_GENERATED,
        /** A wrapped data key was unwrapped and its commitment checked (decryption). */
        DATA_KEY_UNWRAPPED,
        /** A data key was re-wrapped under another KEK (rotation); {@code kekId} is the new KEK. */
        DATA_KEY_REWRAPPED,
        /** A decryption was refused (the ciphertext, its context or its key was not authentic). */
        DECRYPT_FAILED,
        /** A key-encryption key was destroyed (crypto-shredding). */
        KEY_DESTROYED
    }

    /**
     * Checks the components.
     *
     * @throws NullPointerException if {@code type} or {@code time} is null
     */
    public AuditEvent {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(time, "time");
    }
}
