package dev.coco4j.azure.verify;

import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.VerifiedTpmQuote;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.validate.TdxPolicy;
import dev.coco4j.tdx.validate.TdxPolicyValidator;
import dev.coco4j.tdx.verify.TdxCollateral;
import dev.coco4j.tdx.verify.TdxQuoteVerifier;
import dev.coco4j.tdx.verify.VerifiedTdxQuote;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * Verifies {@code az-tdx-vtpm} evidence: (1) the TD quote's REPORTDATA equals the digest of the HCL runtime claims,
 * zero-padded, and equals the REPORTDATA of the TDREPORT inside the HCL report ({@link Reason#REPORT_DATA_MISMATCH});
 * (2) the TPM quote is signed by the {@code HCLAkPub} key of those claims, carries the expected nonce and its PCR
 * digest matches ({@link Reason#SIGNATURE_INVALID}, {@link Reason#NONCE_MISMATCH}, {@link Reason#PCR_DIGEST_MISMATCH});
 * (3) the TD quote passes full DCAP verification with sdk-tdx's {@link TdxQuoteVerifier} (PCK chain, CRLs, TCB Info,
 * QE Identity). Step 3 needs the platform's collateral; without it the evidence is refused with
 * {@link Reason#COLLATERAL_UNAVAILABLE} after steps 1 and 2 — never accepted. Immutable and thread-safe.
 */
public final class AzTdxVtpmVerifier {
    private static final int TDREPORT_REPORTDATA_OFFSET = 128;

    private final TdxQuoteVerifier tdx;
    private final Clock clock;
    private final TdxPolicy policy;

    private AzTdxVtpmVerifier(Builder b) {
        this.tdx = b.tdx != null ? b.tdx : TdxQuoteVerifier.builder().clock(b.clock).build();
        this.clock = b.clock;
        this.policy = b.policy;
    }

    /**
     * A builder: Intel's pinned SGX root, system UTC clock.
     *
     * @return a new builder with no policy set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies and requires the TPM quote's nonce to equal {@code expectedNonce}.
     *
     * @param evidence      parsed {@code az-tdx-vtpm} evidence, not {@code null}; another TEE is refused with
     *                      {@code MALFORMED_EVIDENCE}
     * @param collateral    the DCAP collateral for the quote's FMSPC, or {@code null} if none is available
     * @param expectedNonce the exact qualifying data the quote must carry (0..64 bytes), not {@code null}
     * @return the verified evidence; {@link VerifiedAzVtpmEvidence#nonceChecked()} is {@code true}
     * @throws AttestationException with the reason of the first failed check
     * @throws CollateralException  {@code COLLATERAL_UNAVAILABLE} when {@code collateral} is null
     */
    public VerifiedAzVtpmEvidence verify(AzVtpmEvidence evidence, TdxCollateral collateral, byte[] expectedNonce) {
        return run(evidence, collateral, Objects.requireNonNull(expectedNonce, "expectedNonce"));
    }

    /**
     * Verifies everything except the quote's nonce; the result carries
     * {@link VerifiedAzVtpmEvidence#NONCE_NOT_CHECKED}.
     *
     * @param evidence   parsed {@code az-tdx-vtpm} evidence, not {@code null}
     * @param collateral the DCAP collateral for the quote's FMSPC, or {@code null} if none is available
     * @return the verified evidence; {@link VerifiedAzVtpmEvidence#nonceChecked()} is {@code false}, so the caller
     *         must establish freshness some other way
     * @throws AttestationException with the reason of the first failed check
     * @throws CollateralException  {@code COLLATERAL_UNAVAILABLE} when {@code collateral} is null
     */
    public VerifiedAzVtpmEvidence verifyIgnoringNonce(AzVtpmEvidence evidence, TdxCollateral collateral) {
        return run(evidence, collateral, null);
    }

    private VerifiedAzVtpmEvidence run(AzVtpmEvidence evidence, TdxCollateral collateral, byte[] nonce) {
        Objects.requireNonNull(evidence, "evidence");
        if (evidence.tee() != TeeType.AZ_TDX_VTPM) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "expected az-tdx-vtpm evidence, got "
                    + evidence.tee().id());
        }
        Instant at = clock.instant();
        HclReport hcl = VtpmBinding.parse(evidence, HclReport.ReportType.TDX);
        TdxQuote quote = TdxQuote.parse(evidence.hardwareProof());
        byte[] quoteReportData = quote.body().reportData();
        VtpmBinding.checkReportData(hcl, quoteReportData, "the TD quote's REPORTDATA");
        byte[] tdReport = hcl.tdReport();
        byte[] tdReportData = Arrays.copyOfRange(tdReport, TDREPORT_REPORTDATA_OFFSET, TDREPORT_REPORTDATA_OFFSET + 64);
        if (!MessageDigest.isEqual(tdReportData, quoteReportData)) {
            throw new AttestationException(Reason.REPORT_DATA_MISMATCH,
                    "the TD quote's REPORTDATA differs from the TDREPORT's in the HCL report");
        }
        VerifiedTpmQuote q = VtpmBinding.quote(hcl, evidence.quote(), nonce);
        if (collateral == null) {
            throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE, "the TD quote needs DCAP collateral (TCB "
                    + "Info, QE Identity, CRLs) for its platform's FMSPC to be verified; the HCL binding and "
                    + "the TPM quote were checked, the evidence is not accepted without it");
        }
        VerifiedTdxQuote verified = tdx.verify(quote, collateral, at);
        if (policy != null) {
            verified = TdxPolicyValidator.validate(verified, policy);
        }
        return new VerifiedAzVtpmEvidence(TeeType.AZ_TDX_VTPM, hcl, q, verified.toAttestationResult(), nonce != null);
    }

    /** Builder for {@link AzTdxVtpmVerifier}. */
    public static final class Builder {
        private TdxQuoteVerifier tdx;
        private Clock clock = Clock.systemUTC();
        private TdxPolicy policy;

        private Builder() {
        }

        /**
         * A TDX policy the verified TD quote must also satisfy (after every other check), e.g. debug refused and the
         * accepted TCB statuses; none by default. Its report data, if set, is compared with the TD quote's REPORTDATA,
         * which on Azure is the runtime-claims digest, not the caller's nonce.
         *
         * @param policy the policy to apply after verification, or {@code null} for none
         * @return this builder
         */
        public Builder policy(TdxPolicy policy) {
            this.policy = policy;
            return this;
        }

        /**
         * The TD quote verifier (trusted root, cache); default: Intel's root and this builder's clock.
         *
         * @param verifier the TD quote verifier to use, not {@code null}; it is called with this builder's clock's
         *                 instant
         * @return this builder
         */
        public Builder tdxVerifier(TdxQuoteVerifier verifier) {
            this.tdx = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * The verification clock.
         *
         * @param clock the clock giving the verification instant (certificate, CRL and collateral validity), not
         *              {@code null}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the verifier.
         *
         * @return a new immutable verifier with this builder's settings
         */
        public AzTdxVtpmVerifier build() {
            return new AzTdxVtpmVerifier(this);
        }
    }
}
