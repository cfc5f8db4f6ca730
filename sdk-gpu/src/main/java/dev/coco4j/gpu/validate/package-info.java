/**
 * Policy over verified GPU evidence (accepted driver and VBIOS versions, RIM comparison, OCSP requirement) and the
 * {@link dev.coco4j.core.spi.Verifier} service for {@link dev.coco4j.core.TeeType#NVIDIA_GPU}.
 */
package dev.coco4j.gpu.validate;
