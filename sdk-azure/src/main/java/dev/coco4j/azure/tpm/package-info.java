/**
 * TPM 2.0 for vTPM evidence: parsing of {@code TPMS_ATTEST}, {@code TPMT_SIGNATURE} and {@code TPMT_PUBLIC}
 * (big-endian, TPM 2.0 Library Part 2 layouts), quote verification with PCR-digest and nonce checks, and a small
 * command encoder ({@link dev.coco4j.azure.tpm.Tpm2}) over a character device ({@code /dev/tpmrm0}) or an swtpm TCP
 * socket. No native TPM library is used.
 */
package dev.coco4j.azure.tpm;
