/**
 * Envelope encryption: {@link dev.coco4j.core.envelope.EnvelopeCipher} (one-shot, streams, channels, records,
 * re-wrap), the {@link dev.coco4j.core.envelope.KeyEncryptionKey} SPI with
 * {@link dev.coco4j.core.envelope.LocalKeyEncryptionKey}, and {@link dev.coco4j.core.envelope.AuditSink} events.
 * The wire format is specified in {@code sdk-core/docs/envelope-format.md} and in {@code EnvelopeCipher}'s Javadoc.
 */
package dev.coco4j.core.envelope;
