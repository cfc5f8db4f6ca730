package dev.coco4j.azure.verify;

import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.VerifiedTpmQuote;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.validate.SnpPolicy;
import dev.coco4j.sev.validate.SnpPolicyValidator;
import dev.coco4j.sev.verify.SnpCollateral;
import dev.coco4j.sev.verify.SnpReportVerifier;
import dev.coco4j.sev.verify.VerifiedSnpReport;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;

/**
 * Verifies {@code az-snp-vtpm} evidence: (1) the SEV-SNP report inside the HCL report with sdk-sev's
 * {@link SnpReportVerifier} (signature, VCEK chain to the trusted ARK, chip and TCB binding) using the evidence's
 * VCEK; (2) the report's REPORT_DATA equals the digest of the HCL runtime claims, zero-padded
 * ({@link Reason#REPORT_DATA_MISMATCH}); (3) the TPM quote is signed by the {@code HCLAkPub} key of those claims
 * ({@link Reason#SIGNATURE_INVALID}), carries the expected nonce ({@link Reason#NONCE_MISMATCH}) and its PCR digest
 * matches the reported PCR values ({@link Reason#PCR_DIGEST_MISMATCH}). A result is returned only when all hold.
 *
 * <p>For KBS evidence the expected nonce is the runtime-data digest (SHA-384 of the canonical runtime data), which
 * the attester passes as the quote's qualifying data. Immutable and thread-safe.
 */
public final class AzSnpVtpmVerifier {
    private final SnpReportVerifier snp;
    private final Clock clock;
    private final SnpProduct product;
    private final X509CRL crl;
    private final SnpPolicy policy;

    private AzSnpVtpmVerifier(Builder b) {
        this.snp = b.snp != null ? b.snp : SnpReportVerifier.builder().clock(b.clock).offline(true).build();
        this.clock = b.clock;
        this.product = b.product;
        this.crl = b.crl;
        this.policy = b.policy;
    }

    /**
     * A builder: AMD's pinned roots, offline, system UTC clock.
     *
     * @return a new builder with no policy, product or CRL set
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies and requires the TPM quote's nonce to equal {@code expectedNonce}.
     *
     * @param evidence      parsed {@code az-snp-vtpm} evidence, not {@code null}; another TEE is refused with
     *                      {@code MALFORMED_EVIDENCE}
     * @param expectedNonce the exact qualifying data the quote must carry (0..64 bytes), not {@code null}
     * @return the verified evidence; {@link VerifiedAzVtpmEvidence#nonceChecked()} is {@code true}
     * @throws AttestationException with the reason of the first failed check
     * @throws dev.coco4j.core.CollateralException if the SNP verifier needs collateral it cannot get
     */
    public VerifiedAzVtpmEvidence verify(AzVtpmEvidence evidence, byte[] expectedNonce) {
        return run(evidence, Objects.requireNonNull(expectedNonce, "expectedNonce"));
    }

    /**
     * Verifies everything except the quote's nonce; the result carries
     * {@link VerifiedAzVtpmEvidence#NONCE_NOT_CHECKED}.
     *
     * @param evidence parsed {@code az-snp-vtpm} evidence, not {@code null}
     * @return the verified evidence; {@link VerifiedAzVtpmEvidence#nonceChecked()} is {@code false}, so the caller
     *         must establish freshness some other way
     * @throws AttestationException with the reason of the first failed check
     * @throws dev.coco4j.core.CollateralException if the SNP verifier needs collateral it cannot get
     */
    public VerifiedAzVtpmEvidence verifyIgnoringNonce(AzVtpmEvidence evidence) {
        return run(evidence, null);
    }

    /**
     * Verifies an HCL report on its own (no TPM quote): the SNP report with the given VCEK and the binding of the
     * runtime claims to its REPORT_DATA. On success the runtime claims (and the attestation key in them) are
     * authenticated by the hardware.
     *
     * @param hclReport the HCL report bytes as read from the vTPM NV index; not kept
     * @param vcek      the VCEK certificate of the chip that signed the SNP report, not {@code null}
     * @return the verified SNP report (the HCL report itself is not returned; parse it again to read the claims)
     * @throws AttestationException with the reason of the first failed check
     */
    public VerifiedSnpReport verifyHclReport(byte[] hclReport, X509Certificate vcek) {
        HclReport hcl = HclReport.parse(hclReport);
        if (hcl.reportType() != HclReport.ReportType.SNP) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "the HCL report carries a " + hcl.reportType()
                    + " report, not SNP");
        }
        SnpReport report = SnpReport.parse(hcl.snpReport());
        VerifiedSnpReport verified = snp.verifyAt(report, new SnpCollateral(Objects.requireNonNull(vcek, "vcek"),
                null, product, crl), clock.instant());
        VtpmBinding.checkReportData(hcl, report.reportData(), "the SNP report's REPORT_DATA");
        return verified;
    }

    private VerifiedAzVtpmEvidence run(AzVtpmEvidence evidence, byte[] nonce) {
        Objects.requireNonNull(evidence, "evidence");
        if (evidence.tee() != TeeType.AZ_SNP_VTPM) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "expected az-snp-vtpm evidence, got "
                    + evidence.tee().id());
        }
        Instant at = clock.instant();
        HclReport hcl = VtpmBinding.parse(evidence, HclReport.ReportType.SNP);
        SnpReport report = SnpReport.parse(hcl.snpReport());
        X509Certificate vcek;
        try {
            vcek = Certificates.parse(evidence.hardwareProof());
        } catch (RuntimeException e) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "the evidence's vcek is not a certificate", e);
        }
        VerifiedSnpReport verified = snp.verifyAt(report, new SnpCollateral(vcek, null, product, crl), at);
        VtpmBinding.checkReportData(hcl, report.reportData(), "the SNP report's REPORT_DATA");
        VerifiedTpmQuote q = VtpmBinding.quote(hcl, evidence.quote(), nonce);
        if (policy != null) {
            SnpPolicyValidator.validate(verified, policy);
        }
        return new VerifiedAzVtpmEvidence(TeeType.AZ_SNP_VTPM, hcl, q, verified.toAttestationResult(), nonce != null);
    }

    /** Builder for {@link AzSnpVtpmVerifier}. */
    public static final class Builder {
        private SnpReportVerifier snp;
        private Clock clock = Clock.systemUTC();
        private SnpProduct product;
        private X509CRL crl;
        private SnpPolicy policy;

        private Builder() {
        }

        /**
         * An SEV-SNP policy the verified report must also satisfy (after every authenticity check), e.g. debug refused
         * or a measurement; none by default. Its report data, if set, is compared with the SNP report's REPORT_DATA,
         * which on Azure is the runtime-claims digest, not the caller's nonce.
         *
         * @param policy the policy to apply after verification, or {@code null} for none
         * @return this builder
         */
        public Builder policy(SnpPolicy policy) {
            this.policy = policy;
            return this;
        }

        /**
         * The SNP verifier (trust roots, fetchers); default: AMD's pinned roots, offline, this builder's clock.
         *
         * @param verifier the SNP report verifier to use, not {@code null}; it is called with this builder's clock's
         *                 instant
         * @return this builder
         */
        public Builder snpVerifier(SnpReportVerifier verifier) {
            this.snp = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * The verification clock (also used for the default SNP verifier).
         *
         * @param clock the clock giving the verification instant (certificate and CRL validity), not {@code null}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The product of a version-2 SNP report (later versions name it in CPUID).
         *
         * @param product the SNP product (e.g. Milan, Genoa), or {@code null} to rely on the report
         * @return this builder
         */
        public Builder product(SnpProduct product) {
            this.product = product;
            return this;
        }

        /**
         * AMD's CRL for the product, checked by the SNP verifier when given.
         *
         * @param crl AMD's CRL for the product, or {@code null} to leave revocation to the SNP verifier's settings
         * @return this builder
         */
        public Builder crl(X509CRL crl) {
            this.crl = crl;
            return this;
        }

        /**
         * Builds the verifier.
         *
         * @return a new immutable verifier with this builder's settings
         */
        public AzSnpVtpmVerifier build() {
            return new AzSnpVtpmVerifier(this);
        }
    }
}
