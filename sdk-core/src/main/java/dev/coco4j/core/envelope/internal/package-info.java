/**
 * Implementation of the envelope format (header codec, key derivation, segment and record sealing). Not exported:
 * used by {@link dev.coco4j.core.envelope} and {@link dev.coco4j.core.phi} inside {@code dev.coco4j.core} only.
 */
package dev.coco4j.core.envelope.internal;
