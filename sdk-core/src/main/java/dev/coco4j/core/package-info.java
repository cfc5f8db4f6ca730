/** The coco4j vocabulary: evidence, report data, attestation results, and the exception family with its stable {@link dev.coco4j.core.Reason} codes. */
package dev.coco4j.core;
