package dev.coco4j.azure.verify;

import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.TpmQuote;
import dev.coco4j.azure.tpm.TpmQuoteVerifier;
import dev.coco4j.azure.tpm.VerifiedTpmQuote;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.security.MessageDigest;

/** The checks both Azure verifiers share: report-data binding of the runtime claims and the TPM quote. */
final class VtpmBinding {
    private VtpmBinding() {
    }

    static HclReport parse(AzVtpmEvidence evidence, HclReport.ReportType expected) {
        HclReport hcl = HclReport.parse(evidence.hclReport());
        if (hcl.reportType() != expected) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "the HCL report carries a " + hcl.reportType()
                    + " report, " + expected + " expected for " + evidence.tee().id());
        }
        return hcl;
    }

    /** The signed report data must be the variable-data digest followed by zero bytes. */
    static void checkReportData(HclReport hcl, byte[] signedReportData, String where) {
        if (!MessageDigest.isEqual(hcl.expectedReportData(), signedReportData)) {
            throw new AttestationException(Reason.REPORT_DATA_MISMATCH, where + " is not the " + hcl.hashType()
                    + " digest of the HCL runtime claims (zero-padded): the claims and the vTPM key are not bound");
        }
    }

    static VerifiedTpmQuote quote(HclReport hcl, TpmQuote quote, byte[] expectedNonce) {
        return expectedNonce == null
                ? TpmQuoteVerifier.verifyIgnoringNonce(quote, hcl.runtimeClaims().attestationKey())
                : TpmQuoteVerifier.verify(quote, hcl.runtimeClaims().attestationKey(), expectedNonce);
    }
}
