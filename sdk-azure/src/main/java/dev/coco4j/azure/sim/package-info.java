/**
 * A simulated Azure vTPM: {@code az-snp-vtpm} evidence (HCL report around a simulated SEV-SNP report, TPM quote by a
 * Java-held attestation key) exactly in the form {@link dev.coco4j.azure.guest.AzVtpmAttester} collects on Azure, for
 * development and tests without an Azure confidential VM. Its evidence verifies only against the simulated SNP
 * platform's own roots, never against AMD's.
 */
package dev.coco4j.azure.sim;
