/**
 * Byte layouts of NVIDIA GPU confidential-computing evidence: the SPDM 1.1 GET_MEASUREMENTS request and MEASUREMENTS
 * response that {@code nvmlDeviceGetConfComputeGpuAttestationReport} returns concatenated, its measurement blocks and
 * NVIDIA's opaque data. Pure parsing: no crypto, no I/O; every length is bounded and checked, and malformed input is an
 * {@link dev.coco4j.core.AttestationException} with {@link dev.coco4j.core.Reason#MALFORMED_EVIDENCE} or
 * {@link dev.coco4j.core.Reason#UNSUPPORTED_VERSION}, never another exception.
 */
package dev.coco4j.gpu.abi;
