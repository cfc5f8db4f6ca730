/**
 * Evidence for the KBS: per-TEE serialisers producing the {@code primary_evidence} JSON Trustee's verifiers parse
 * ({@link dev.coco4j.kbs.evidence.SnpEvidenceSerializer}, {@link dev.coco4j.kbs.evidence.TdxEvidenceSerializer},
 * {@link dev.coco4j.kbs.evidence.SampleEvidenceSerializer}),
 * the extension point for more ({@link dev.coco4j.kbs.evidence.EvidenceSerializer}), device attesters (NVIDIA GPUs:
 * {@link dev.coco4j.kbs.evidence.NvidiaDeviceAttester}), and Trustee's non-secure sample attester for tests.
 */
package dev.coco4j.kbs.evidence;
