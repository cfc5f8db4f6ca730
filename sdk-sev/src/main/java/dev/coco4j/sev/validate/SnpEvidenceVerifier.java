package dev.coco4j.sev.validate;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.core.spi.Verifier;
import dev.coco4j.sev.kds.KdsClient;
import dev.coco4j.sev.verify.CrlFetcher;
import dev.coco4j.sev.verify.SnpCollateral;
import dev.coco4j.sev.verify.SnpReportVerifier;
import dev.coco4j.sev.verify.SnpTrustRoots;
import dev.coco4j.sev.verify.VekFetcher;
import dev.coco4j.sev.verify.VerifiedSnpReport;
import java.util.Objects;

/**
 * The SEV-SNP {@link Verifier} service: verifies SNP {@link Evidence} (the report, plus the certificate table in its
 * auxiliary bytes when present) with {@link SnpReportVerifier} and then applies the TEE-independent policy of the
 * {@link VerificationOptions}: debug refused unless allowed, and the expected report data when given. Missing VCEKs and
 * AMD's CRL come from the AMD KDS unless the options say offline, in which case a missing VCEK is
 * {@code COLLATERAL_UNAVAILABLE} and an unchecked revocation is a warning.
 *
 * <p>Discovered through {@link java.util.ServiceLoader} ({@code Verifiers.forTee(TeeType.SNP)}); thread-safe. For the
 * full policy (measurement, TCB minimums, VMPL, ...) use {@link SnpReportVerifier} and {@link SnpPolicyValidator}
 * directly.
 */
public final class SnpEvidenceVerifier implements Verifier {
    private final SnpReportVerifier online;
    private final SnpReportVerifier offline;

    /** AMD's pinned roots and the public AMD KDS through a default collateral fetcher. */
    public SnpEvidenceVerifier() {
        this(SnpTrustRoots.amd(), KdsClient.builder().fetcher(CollateralFetcher.builder().build()).build());
    }

    /**
     * Explicit roots and KDS client (tests, air-gapped mirrors, simulators).
     *
     * @param roots the pinned AMD roots the chain must end in, not {@code null}
     * @param kds the client used for VCEKs and CRLs when the options are not offline, not {@code null}
     * @throws NullPointerException if either argument is {@code null}
     */
    public SnpEvidenceVerifier(SnpTrustRoots roots, KdsClient kds) {
        Objects.requireNonNull(roots, "roots");
        Objects.requireNonNull(kds, "kds");
        VekFetcher vek = kds::fetchVcek;
        CrlFetcher crl = (product, kind) -> kds.fetchCrl(product, KdsClient.KeyKind.valueOf(kind.name()));
        this.online = SnpReportVerifier.builder().trustRoots(roots).vekFetcher(vek).crlFetcher(crl).build();
        this.offline = SnpReportVerifier.builder().trustRoots(roots).offline(true).build();
    }

    @Override
    public TeeType teeType() {
        return TeeType.SNP;
    }

    @Override
    public AttestationResult verify(Evidence evidence, VerificationOptions options) {
        SnpReportVerifier v = options.offline() ? offline : online;
        VerifiedSnpReport verified = v.verify(evidence, SnpCollateral.none(), options.clock().instant());
        SnpPolicy.Builder policy = SnpPolicy.builder().allowDebug(options.allowDebug());
        options.expectedReportData().ifPresent(rd -> policy.reportData(rd.toByteArray()));
        SnpPolicyValidator.validate(verified, policy.build());
        return verified.toAttestationResult();
    }
}
