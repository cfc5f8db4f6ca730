/**
 * coco4j Azure confidential VMs: the paravisor's HCL report ({@code hcl}), TPM 2.0 structures, quote verification and a
 * small command encoder with device and swtpm transports ({@code tpm}), the {@code az-snp-vtpm} / {@code az-tdx-vtpm}
 * verifiers ({@code verify}), in-guest vTPM evidence collection ({@code guest}) and a simulated Azure vTPM
 * for tests ({@code sim}).
 */
module dev.coco4j.azure {
    requires transitive dev.coco4j.core;
    requires transitive dev.coco4j.sev;
    requires transitive dev.coco4j.tdx;
    requires transitive com.fasterxml.jackson.databind;

    exports dev.coco4j.azure.hcl;
    exports dev.coco4j.azure.tpm;
    exports dev.coco4j.azure.verify;
    exports dev.coco4j.azure.guest;
    exports dev.coco4j.azure.sim;

    provides dev.coco4j.core.spi.Attester with dev.coco4j.azure.guest.AzSnpVtpmAttester,
            dev.coco4j.azure.guest.AzTdxVtpmAttester;
    provides dev.coco4j.core.spi.Verifier with dev.coco4j.azure.verify.AzSnpVtpmEvidenceVerifier,
            dev.coco4j.azure.verify.AzTdxVtpmEvidenceVerifier;
}
