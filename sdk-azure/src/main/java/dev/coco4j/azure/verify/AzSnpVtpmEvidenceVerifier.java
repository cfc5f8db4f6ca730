package dev.coco4j.azure.verify;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.core.spi.Verifier;
import dev.coco4j.sev.kds.KdsClient;
import dev.coco4j.sev.validate.SnpPolicy;
import dev.coco4j.sev.verify.CrlFetcher;
import dev.coco4j.sev.verify.SnpReportVerifier;
import dev.coco4j.sev.verify.SnpTrustRoots;
import java.util.Objects;

/**
 * The {@code az-snp-vtpm} {@link Verifier} service: parses the {@link Evidence}'s data as Trustee's version-1 JSON
 * ({@link AzVtpmEvidence}) and verifies it with {@link AzSnpVtpmVerifier} (SNP report with the evidence's VCEK to
 * AMD's pinned ARK, runtime-claims binding, TPM quote signature, nonce and PCR digest), then applies the
 * TEE-independent options:
 * <ul>
 *   <li>the clock: certificate validity is checked at {@code options.clock()};</li>
 *   <li>the expected report data: the TPM quote's nonce, zero-padded to 64 bytes, must equal it
 *       ({@code NONCE_MISMATCH}) — the attester quotes the leading report-data bytes (the 48-byte SHA-384
 *       runtime-data digest for the KBS); without it the result carries the warning "TPM quote nonce not checked";
 *       the SNP report's own REPORT_DATA is the runtime-claims digest and is checked as such;</li>
 *   <li>debug guests are refused unless allowed ({@code POLICY_VIOLATION});</li>
 *   <li>online, AMD's CRL is fetched from the KDS; offline, unchecked revocation is a warning (the VCEK is always
 *       in the evidence).</li>
 * </ul>
 *
 * <p>Discovered through {@link java.util.ServiceLoader} ({@code Verifiers.forTee(TeeType.AZ_SNP_VTPM)}); thread-safe.
 * For the full policy (measurement, TCB minimums, a v2 report's product) use {@link AzSnpVtpmVerifier} directly.
 */
public final class AzSnpVtpmEvidenceVerifier implements Verifier {
    private final SnpReportVerifier online;
    private final SnpReportVerifier offline;

    /** AMD's pinned roots and AMD's CRL from the public KDS through a default collateral fetcher. */
    public AzSnpVtpmEvidenceVerifier() {
        this(SnpTrustRoots.amd(), KdsClient.builder().fetcher(CollateralFetcher.builder().build()).build());
    }

    /**
     * Explicit roots and KDS client (tests, air-gapped mirrors, simulators).
     *
     * @param roots the trusted AMD root keys (ARK/ASK) the VCEK chain must end in, not {@code null}
     * @param kds   the KDS client used for AMD's CRL when a verification is online, not {@code null}
     * @throws NullPointerException if an argument is {@code null}
     */
    public AzSnpVtpmEvidenceVerifier(SnpTrustRoots roots, KdsClient kds) {
        Objects.requireNonNull(roots, "roots");
        Objects.requireNonNull(kds, "kds");
        CrlFetcher crl = (product, kind) -> kds.fetchCrl(product, KdsClient.KeyKind.valueOf(kind.name()));
        this.online = SnpReportVerifier.builder().trustRoots(roots).crlFetcher(crl).build();
        this.offline = SnpReportVerifier.builder().trustRoots(roots).offline(true).build();
    }

    @Override
    public TeeType teeType() {
        return TeeType.AZ_SNP_VTPM;
    }

    @Override
    public AttestationResult verify(Evidence evidence, VerificationOptions options) {
        AzVtpmEvidence ev = VtpmBinding.evidenceFor(TeeType.AZ_SNP_VTPM, evidence, options);
        AzSnpVtpmVerifier v = AzSnpVtpmVerifier.builder().snpVerifier(options.offline() ? offline : online)
                .clock(options.clock()).policy(SnpPolicy.builder().allowDebug(options.allowDebug()).build()).build();
        return VtpmBinding.verify(ev, options, v::verify, v::verifyIgnoringNonce)
                .toAttestationResult();
    }
}
