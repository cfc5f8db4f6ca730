package dev.coco4j.azure.verify;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.core.spi.Verifier;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.pcs.PcsClient;
import dev.coco4j.tdx.validate.TdxPolicy;
import dev.coco4j.tdx.verify.TdxCollateral;
import dev.coco4j.tdx.verify.TdxQuoteVerifier;
import java.util.Objects;

/**
 * The {@code az-tdx-vtpm} {@link Verifier} service: parses the {@link Evidence}'s data as Trustee's version-1 JSON
 * ({@link AzVtpmEvidence}) and verifies it with {@link AzTdxVtpmVerifier} (runtime-claims binding to the TD quote and
 * the TDREPORT, TPM quote signature, nonce and PCR digest, then full DCAP verification of the TD quote to Intel's
 * pinned root), applying the TEE-independent options:
 * <ul>
 *   <li>the clock: certificate and collateral validity are checked at {@code options.clock()};</li>
 *   <li>the expected report data: the TPM quote's nonce, zero-padded to 64 bytes, must equal it
 *       ({@code NONCE_MISMATCH}); without it the result carries the warning "TPM quote nonce not checked";</li>
 *   <li>the default {@link TdxPolicy}: debug refused unless allowed, TCB status UpToDate or SWHardeningNeeded (as
 *       a warning);</li>
 *   <li>collateral: the evidence's auxiliary bytes when present (a bundle in the CLI's JSON form), else Intel PCS
 *       when online; offline without auxiliary collateral the evidence is refused with
 *       {@code COLLATERAL_UNAVAILABLE} after the other checks — never accepted.</li>
 * </ul>
 *
 * <p>Discovered through {@link java.util.ServiceLoader} ({@code Verifiers.forTee(TeeType.AZ_TDX_VTPM)}); thread-safe.
 * For the full policy use {@link AzTdxVtpmVerifier} directly.
 */
public final class AzTdxVtpmEvidenceVerifier implements Verifier {
    private final TdxQuoteVerifier verifier;
    private final PcsClient pcs;

    /** Intel's pinned root and the public Intel PCS through a default collateral fetcher. */
    public AzTdxVtpmEvidenceVerifier() {
        this(TdxQuoteVerifier.builder().build(), PcsClient.builder().fetcher(CollateralFetcher.builder().build())
                .build());
    }

    /**
     * An explicit TD quote verifier (roots) and PCS client (PCCS, caches, tests).
     *
     * @param verifier the TD quote verifier (trusted root, caches) used for every verification, not {@code null}
     * @param pcs      the client that fetches DCAP collateral for the quote's FMSPC when online, not {@code null}
     * @throws NullPointerException if an argument is {@code null}
     */
    public AzTdxVtpmEvidenceVerifier(TdxQuoteVerifier verifier, PcsClient pcs) {
        this.verifier = Objects.requireNonNull(verifier, "verifier");
        this.pcs = Objects.requireNonNull(pcs, "pcs");
    }

    @Override
    public TeeType teeType() {
        return TeeType.AZ_TDX_VTPM;
    }

    @Override
    public AttestationResult verify(Evidence evidence, VerificationOptions options) {
        AzVtpmEvidence ev = VtpmBinding.evidenceFor(TeeType.AZ_TDX_VTPM, evidence, options);
        TdxCollateral collateral = evidence.auxiliaryIfPresent().map(TdxCollateral::fromBundleJson)
                .orElseGet(() -> options.offline() ? null : pcs.collateralFor(TdxQuote.parse(ev.hardwareProof())));
        AzTdxVtpmVerifier v = AzTdxVtpmVerifier.builder().tdxVerifier(verifier).clock(options.clock())
                .policy(TdxPolicy.builder().allowDebug(options.allowDebug()).build()).build();
        return VtpmBinding.verify(ev, options, (e, nonce) -> v.verify(e, collateral, nonce),
                e -> v.verifyIgnoringNonce(e, collateral)).toAttestationResult();
    }
}
