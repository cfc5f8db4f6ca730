/**
 * In-guest collection of Azure vTPM evidence: refresh the paravisor's HCL report with the report data (NV write to
 * the user-data index), read it back (NV index {@code 0x01400001}), and take a TPM quote over chosen PCRs with the
 * nonce, through {@link dev.coco4j.azure.tpm.Tpm2} over {@code /dev/tpmrm0}.
 */
package dev.coco4j.azure.guest;
