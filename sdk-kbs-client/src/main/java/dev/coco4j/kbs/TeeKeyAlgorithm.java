package dev.coco4j.kbs;

/**
 * The algorithm of the ephemeral TEE key pair a {@link KbsClient} session generates and binds into its evidence; the
 * KBS encrypts resources to it.
 */
public enum TeeKeyAlgorithm {
    /** EC P-256 with {@code ECDH-ES+A256KW}: Trustee's client default. */
    EC_P256,
    /** EC P-521 with {@code ECDH-ES+A256KW}. */
    EC_P521,
    /** RSA 3072 with {@code RSA-OAEP-256}. */
    RSA_OAEP_256
}
