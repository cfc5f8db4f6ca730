/**
 * Reference values: the measurements a relying party expects for each workload (SEV-SNP MEASUREMENT and HOST_DATA,
 * TDX MRTD, RTMRs and MRCONFIGID, NVIDIA GPU driver and VBIOS versions), loaded from a JSON document, with the
 * init-data digest bound where the platform measures it. The TEE modules build their validation policies from a
 * {@link dev.coco4j.core.reference.WorkloadReference}.
 */
package dev.coco4j.core.reference;
