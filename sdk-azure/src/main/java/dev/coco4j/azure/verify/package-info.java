/**
 * Verifiers for Azure confidential-VM vTPM evidence ({@code az-snp-vtpm}, {@code az-tdx-vtpm}): the hardware
 * evidence through sdk-sev / sdk-tdx, the HCL runtime-claims binding, and the TPM quote signed by the attestation key
 * those claims carry.
 */
package dev.coco4j.azure.verify;
