package dev.coco4j.core.envelope;

import javax.security.auth.Destroyable;

/**
 * A key-encryption key (KEK): wraps and unwraps data keys under associated data. This is the service-provider
 * interface for key custody. {@link LocalKeyEncryptionKey} holds an AES-256 key in process memory; a cloud KMS, an
 * HSM or a key released by a Trustee KBS after attestation (sdk-kbs-client's {@code KbsKeyEncryptionKey}) implement
 * the same interface, so {@link EnvelopeCipher} never sees where the key lives.
 *
 * <h2>Contract for implementations</h2>
 * <ul>
 *   <li>{@link #wrap} must be an authenticated encryption of the data key that binds {@code aad} (AES-GCM, AES-KWP with
 *       the AAD authenticated separately, or a KMS {@code Encrypt} call with the AAD as its encryption context). The
 *       envelope passes the suite, message id, encryption context and KEK id as {@code aad}, so a KMS audit log sees
 *       the context, and a wrapped key cannot be lifted into another envelope.</li>
 *   <li>{@link #unwrap} must throw {@link dev.coco4j.core.CiphertextException} (reason {@code CIPHERTEXT_INVALID}) when
 *       the wrapped key or the aad is not authentic, and may throw {@link dev.coco4j.core.KeyReleaseException} or
 *       {@link dev.coco4j.core.CollateralException} when a remote service refuses or is unavailable.</li>
 *   <li>The wrapped form must be at most 4096 bytes; the id 1..255 UTF-8 bytes, stable, and never secret.</li>
 *   <li>{@link #destroy()} must make the key unusable and zero any local key material; after it, {@code wrap} and
 *       {@code unwrap} throw. {@code toString()} must never reveal key material.</li>
 *   <li>Implementations must be safe for use by several threads.</li>
 * </ul>
 */
public interface KeyEncryptionKey extends Destroyable {

    /**
     * The stable, non-secret id stored in every envelope header this key wraps a data key for.
     *
     * @return the key id, at most 255 UTF-8 bytes; never null
     */
    String id();

    /**
     * Wraps (encrypts and authenticates) a data key.
     *
     * @param dataKey the 32-byte data key; not retained
     * @param aad associated data bound to the wrapped key
     * @return the wrapped key, at most 4096 bytes
     */
    byte[] wrap(byte[] dataKey, byte[] aad);

    /**
     * Unwraps a data key wrapped by {@link #wrap} under the same {@code aad}.
     *
     * @param wrappedKey the wrapped data key as returned by {@link #wrap}; not modified
     * @param aad the associated data given to {@link #wrap}; not modified
     * @return a new array with the 32-byte data key; the caller zeroes it after use
     * @throws dev.coco4j.core.CiphertextException if the wrapped key or the aad is not authentic
     */
    byte[] unwrap(byte[] wrappedKey, byte[] aad);
}
