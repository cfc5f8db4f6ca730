/**
 * Envelope encryption with a key-encryption key that a Trustee KBS releases after attestation:
 * {@link dev.coco4j.kbs.envelope.KbsKeyEncryptionKey} plugs into {@link dev.coco4j.core.envelope.EnvelopeCipher}.
 */
package dev.coco4j.kbs.envelope;
