package dev.coco4j.azure.verify;

import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.TpmQuote;
import dev.coco4j.azure.tpm.TpmQuoteVerifier;
import dev.coco4j.azure.tpm.VerifiedTpmQuote;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.VerificationOptions;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/** The checks both Azure verifiers share: report-data binding of the runtime claims and the TPM quote. */
final class VtpmBinding {
    private VtpmBinding() {
    }

    /**
     * The SPI verifiers' entry check: non-null arguments and evidence of {@code tee}, parsed.
     *
     * @param tee the TEE the calling verifier serves
     * @param evidence the evidence handed to it
     * @param options the verification options (only checked for null here)
     * @return the parsed Trustee version-1 evidence
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the evidence is of another TEE
     */
    static AzVtpmEvidence evidenceFor(TeeType tee, Evidence evidence, VerificationOptions options) {
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(options, "options");
        if (evidence.tee() != tee) {
            throw new ConfigurationException(Reason.CONFIGURATION, "the " + tee.id() + " verifier was given "
                    + evidence.tee().id() + " evidence");
        }
        return AzVtpmEvidence.of(evidence);
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

    /**
     * The SPI verifiers' nonce rule: the TPM quote's nonce, zero-padded to 64 bytes, must equal the expected report
     * data (an attester quotes the leading bytes of the report data: the 48-byte SHA-384 runtime-data digest for the
     * KBS, a short challenge elsewhere). Returns the nonce the strict verifier is then given: the quote's own nonce
     * when it fits that rule, otherwise the full 64 expected bytes, which the verifier refuses with
     * {@code NONCE_MISMATCH} after checking the signature.
     */
    static byte[] expectedNonce(AzVtpmEvidence evidence, ReportData expected) {
        byte[] nonce;
        try {
            nonce = dev.coco4j.azure.tpm.TpmsAttest.parse(evidence.quote().message()).extraData();
        } catch (RuntimeException malformedLeftToTheVerifier) {
            return expected.toByteArray();
        }
        return nonce.length <= ReportData.LENGTH && expected.matches(Arrays.copyOf(nonce, ReportData.LENGTH))
                ? nonce : expected.toByteArray();
    }

    /** Runs a verifier with the options' expected report data mapped to the nonce, or ignoring the nonce. */
    static VerifiedAzVtpmEvidence verify(AzVtpmEvidence evidence, VerificationOptions options,
                                         BiFunction<AzVtpmEvidence, byte[], VerifiedAzVtpmEvidence> withNonce,
                                         Function<AzVtpmEvidence, VerifiedAzVtpmEvidence> ignoringNonce) {
        return options.expectedReportData()
                .map(rd -> withNonce.apply(evidence, expectedNonce(evidence, rd)))
                .orElseGet(() -> ignoringNonce.apply(evidence));
    }
}
