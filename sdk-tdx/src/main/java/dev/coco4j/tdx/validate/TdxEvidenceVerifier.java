package dev.coco4j.tdx.validate;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.core.spi.Verifier;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.pcs.PcsClient;
import dev.coco4j.tdx.verify.TdxCollateral;
import dev.coco4j.tdx.verify.TdxQuoteVerifier;
import dev.coco4j.tdx.verify.VerifiedTdxQuote;
import java.util.Objects;

/**
 * The Intel TDX {@link Verifier} service: verifies TDX {@link Evidence} (the quote, plus a collateral bundle in the
 * CLI's JSON form as its auxiliary bytes when present) with {@link TdxQuoteVerifier} and then applies the default
 * {@link TdxPolicy} with the TEE-independent options: debug refused unless allowed, the expected report data when
 * given, UpToDate or SWHardeningNeeded (as a warning). Without auxiliary collateral it is fetched from Intel PCS unless
 * the options say offline, in which case it is {@code COLLATERAL_UNAVAILABLE}.
 *
 * <p>Discovered through {@link java.util.ServiceLoader} ({@code Verifiers.forTee(TeeType.TDX)}); thread-safe. For
 * the full policy use {@link TdxQuoteVerifier} and {@link TdxPolicyValidator} directly.
 */
public final class TdxEvidenceVerifier implements Verifier {
    private final TdxQuoteVerifier verifier;
    private final PcsClient online;
    private final PcsClient offline;

    /** Intel's pinned root and the public Intel PCS through a default collateral fetcher. */
    public TdxEvidenceVerifier() {
        this(TdxQuoteVerifier.builder().build(), PcsClient.builder().fetcher(CollateralFetcher.builder().build())
                .build());
    }

    /**
     * An explicit verifier (roots) and PCS client (PCCS, caches, tests).
     *
     * @param verifier the quote verifier with the trust roots to use, not null
     * @param pcs the client that fetches collateral when the evidence carries none and the options are not offline, not
     *     null; offline verification uses a separate offline client, not this one
     */
    public TdxEvidenceVerifier(TdxQuoteVerifier verifier, PcsClient pcs) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.online = Objects.requireNonNull(pcs, "pcs");
        this.offline = PcsClient.builder().fetcher(CollateralFetcher.builder().offline(true).build()).offline(true)
                .build();
    }

    @Override
    public TeeType teeType() {
        return TeeType.TDX;
    }

    @Override
    public AttestationResult verify(Evidence evidence, VerificationOptions options) {
        if (evidence.tee() != TeeType.TDX) {
            throw new ConfigurationException(Reason.CONFIGURATION, "the TDX verifier was given " + evidence.tee()
                    + " evidence");
        }
        TdxQuote quote = TdxQuote.parse(evidence.data());
        TdxCollateral collateral = evidence.auxiliaryIfPresent().map(TdxCollateral::fromBundleJson)
                .orElseGet(() -> (options.offline() ? offline : online).collateralFor(quote));
        VerifiedTdxQuote v = verifier.verify(quote, collateral, options.clock().instant());
        TdxPolicy.Builder p = TdxPolicy.builder().allowDebug(options.allowDebug());
        options.expectedReportData().ifPresent(rd -> p.reportData(rd.toByteArray()));
        return TdxPolicyValidator.validate(v, p.build()).toAttestationResult();
    }
}
