package dev.coco4j.azure.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.azure.Vectors;
import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.core.spi.Verifier;
import dev.coco4j.core.spi.Verifiers;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * The Azure {@link Verifier} services found through {@link Verifiers#forTee}, with the Trustee fixtures at their
 * pinned time (PROVENANCE.md): az-snp-vtpm verifies with the nonce "challenge", az-tdx-vtpm is refused
 * COLLATERAL_UNAVAILABLE offline, and wrong nonces, tampered quotes and wrong TEEs are refused.
 */
class AzVtpmVerifierSpiTest {
    static final Instant T = Instant.parse("2026-06-01T00:00:00Z");
    static final ReportData CHALLENGE = ReportData.of("challenge".getBytes(StandardCharsets.US_ASCII));

    static VerificationOptions.Builder offlineAtT() {
        return VerificationOptions.builder().offline(true).clock(Clock.fixed(T, ZoneOffset.UTC));
    }

    static Evidence snp() {
        return Evidence.of(TeeType.AZ_SNP_VTPM, Vectors.bytes("kbs/az-snp-vtpm-evidence-v1.json"));
    }

    static Evidence tdx() {
        return Evidence.of(TeeType.AZ_TDX_VTPM, Vectors.bytes("kbs/az-tdx-vtpm-evidence-v1.json"));
    }

    static Reason reason(Throwable t) {
        return ((CocoException) t).reason();
    }

    @Test
    void bothAzureVerifiersAreInstalled() {
        assertThat(Verifiers.forTee(TeeType.AZ_SNP_VTPM)).isInstanceOf(AzSnpVtpmEvidenceVerifier.class)
                .extracting(Verifier::teeType).isEqualTo(TeeType.AZ_SNP_VTPM);
        assertThat(Verifiers.forTee(TeeType.AZ_TDX_VTPM)).isInstanceOf(AzTdxVtpmEvidenceVerifier.class)
                .extracting(Verifier::teeType).isEqualTo(TeeType.AZ_TDX_VTPM);
    }

    @Test
    void trusteeSnpFixtureVerifiesWithTheChallengeAsExpectedReportData() {
        AttestationResult r = Verifiers.forTee(TeeType.AZ_SNP_VTPM).verify(snp(),
                offlineAtT().expectedReportData(CHALLENGE).build());
        assertThat(r.tee()).isEqualTo(TeeType.AZ_SNP_VTPM);
        assertThat(r.claim("nonce")).isEqualTo(HexFormat.of().formatHex("challenge".getBytes(StandardCharsets.US_ASCII)));
        assertThat(r.verifiedAt()).isEqualTo(T);
        assertThat(r.warnings()).doesNotContain(VerifiedAzVtpmEvidence.NONCE_NOT_CHECKED);
        assertThat(r.claims()).containsKeys("snp", "pcrs", "hcl");
    }

    @Test
    void withoutExpectedReportDataTheNonceIsNotCheckedAndSaysSo() {
        AttestationResult r = Verifiers.forTee(TeeType.AZ_SNP_VTPM).verify(snp(), offlineAtT().build());
        assertThat(r.warnings()).contains(VerifiedAzVtpmEvidence.NONCE_NOT_CHECKED);
    }

    @Test
    void wrongNonceIsRefused() {
        Verifier v = Verifiers.forTee(TeeType.AZ_SNP_VTPM);
        for (String other : new String[] {"challengf", "challenge!", "challeng", ""}) {
            VerificationOptions o = offlineAtT().expectedReportData(ReportData.of(other.getBytes(StandardCharsets.US_ASCII)))
                    .build();
            assertThatThrownBy(() -> v.verify(snp(), o)).as(other).extracting(AzVtpmVerifierSpiTest::reason)
                    .isEqualTo(Reason.NONCE_MISMATCH);
        }
        VerificationOptions digest = offlineAtT().expectedReportData(ReportData.binding("runtime".getBytes(),
                ReportData.HashAlgorithm.SHA384)).build();
        assertThatThrownBy(() -> v.verify(snp(), digest)).extracting(AzVtpmVerifierSpiTest::reason)
                .isEqualTo(Reason.NONCE_MISMATCH);
    }

    @Test
    void vcekOutsideItsValidityAtTheOptionsClockIsRefused() {
        VerificationOptions later = VerificationOptions.builder().offline(true).expectedReportData(CHALLENGE)
                .clock(Clock.fixed(Instant.parse("2099-01-01T00:00:00Z"), ZoneOffset.UTC)).build();
        assertThatThrownBy(() -> Verifiers.forTee(TeeType.AZ_SNP_VTPM).verify(snp(), later))
                .extracting(AzVtpmVerifierSpiTest::reason).isEqualTo(Reason.CERT_EXPIRED);
    }

    @Test
    void trusteeTdxFixtureIsRefusedCollateralUnavailableOffline() {
        assertThatThrownBy(() -> Verifiers.forTee(TeeType.AZ_TDX_VTPM).verify(tdx(),
                offlineAtT().expectedReportData(CHALLENGE).build()))
                .isInstanceOf(CollateralException.class).extracting(AzVtpmVerifierSpiTest::reason)
                .isEqualTo(Reason.COLLATERAL_UNAVAILABLE);
    }

    @Test
    void tdxWrongNonceIsRefusedBeforeCollateralIsNeeded() {
        assertThatThrownBy(() -> Verifiers.forTee(TeeType.AZ_TDX_VTPM).verify(tdx(),
                offlineAtT().expectedReportData(ReportData.of(new byte[] {1})).build()))
                .extracting(AzVtpmVerifierSpiTest::reason).isEqualTo(Reason.NONCE_MISMATCH);
    }

    @Test
    void evidenceOfAnotherTeeIsAConfigurationError() {
        Evidence snpAsTdx = Evidence.of(TeeType.AZ_TDX_VTPM, snp().data());
        assertThatThrownBy(() -> Verifiers.forTee(TeeType.AZ_SNP_VTPM).verify(snpAsTdx, offlineAtT().build()))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> Verifiers.forTee(TeeType.AZ_TDX_VTPM).verify(snp(), offlineAtT().build()))
                .isInstanceOf(ConfigurationException.class);
    }

    @Property(tries = 60)
    void aFlippedBitInTheSignedQuoteIsRefused(@ForAll @IntRange(min = 0, max = 10_000) int pos,
                                              @ForAll @IntRange(min = 0, max = 7) int bit) {
        AzVtpmEvidence ev = AzVtpmEvidence.of(snp());
        byte[] msg = ev.quote().message();
        int i = pos % msg.length;
        msg[i] ^= (byte) (1 << bit);
        AzVtpmEvidence flipped = new AzVtpmEvidence(ev.tee(), new dev.coco4j.azure.tpm.TpmQuote(msg,
                ev.quote().signature(), ev.quote().pcrs()), ev.hclReport(), ev.hardwareProof());
        assertThatThrownBy(() -> Verifiers.forTee(TeeType.AZ_SNP_VTPM).verify(flipped.toEvidence(),
                offlineAtT().expectedReportData(CHALLENGE).build())).isInstanceOf(CocoException.class);
    }

    @Property(tries = 100)
    void arbitraryOrTruncatedInputIsATypedRefusal(@ForAll byte[] junk, @ForAll @IntRange(min = 0, max = 20_000) int cut) {
        byte[] fixture = new String(snp().data(), StandardCharsets.UTF_8).strip().getBytes(StandardCharsets.UTF_8);
        byte[] truncated = java.util.Arrays.copyOf(fixture, Math.min(cut, fixture.length - 1));
        for (byte[] data : new byte[][] {junk, truncated}) {
            for (Evidence e : new Evidence[] {Evidence.of(TeeType.AZ_SNP_VTPM, data),
                    Evidence.of(TeeType.AZ_TDX_VTPM, data)}) {
                assertThatThrownBy(() -> Verifiers.forTee(e.tee()).verify(e, offlineAtT().build()))
                        .isInstanceOf(CocoException.class);
            }
        }
    }
}
