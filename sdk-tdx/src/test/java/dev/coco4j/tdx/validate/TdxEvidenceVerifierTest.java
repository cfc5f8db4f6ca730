package dev.coco4j.tdx.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TcbStatus;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.core.spi.Verifiers;
import dev.coco4j.tdx.TdxSets;
import dev.coco4j.tdx.Vectors;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.verify.TdxTcbStatus;
import dev.coco4j.tdx.verify.VerifiedTdxQuote;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TdxEvidenceVerifierTest {
    static final byte[] BUNDLE = Vectors.bytes("phala-dcap-qvl/collateral_fmspcb0c06f000000_2025-06-19.json");
    static final Clock AT = Clock.fixed(Instant.parse("2025-06-20T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void serviceLoaderFindsIt() {
        assertThat(Verifiers.forTee(TeeType.TDX)).isInstanceOf(TdxEvidenceVerifier.class);
    }

    @Test
    void setAWithItsBundleAsAuxiliaryIsAccepted() {
        Evidence ev = new Evidence(TeeType.TDX, Vectors.bytes(Vectors.SET_A_QUOTE), BUNDLE);
        byte[] rd = TdxQuote.parse(ev.data()).body().reportData();
        AttestationResult r = new TdxEvidenceVerifier().verify(ev, VerificationOptions.builder().clock(AT)
                .offline(true).expectedReportData(ReportData.of(rd)).build());
        assertThat(r.tcbStatus()).isEqualTo(TcbStatus.UP_TO_DATE);
        assertThat(r.warnings()).isEmpty();
    }

    @Test
    void wrongReportDataIsRefused() {
        Evidence ev = new Evidence(TeeType.TDX, Vectors.bytes(Vectors.SET_A_QUOTE), BUNDLE);
        assertThatThrownBy(() -> new TdxEvidenceVerifier().verify(ev, VerificationOptions.builder().clock(AT)
                .offline(true).expectedReportData(ReportData.zero()).build()))
                .isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.REPORT_DATA_MISMATCH));
    }

    @Test
    void offlineWithoutCollateralIsUnavailable() {
        Evidence ev = Evidence.of(TeeType.TDX, Vectors.bytes(Vectors.SET_A_QUOTE));
        assertThatThrownBy(() -> new TdxEvidenceVerifier().verify(ev, VerificationOptions.builder().clock(AT)
                .offline(true).build())).isInstanceOfSatisfying(CocoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE));
    }

    @Test
    void aDebugTdIsRefusedByDefault() {
        // Trustee's quote 4 has DEBUG set; it has no collateral, so pair its body with set A's verified result
        VerifiedTdxQuote a = TdxPolicyValidatorTest.A;
        TdxQuote debug = TdxQuote.parse(Vectors.bytes("trustee/quote_v4_fmspc50806f000000.dat"));
        assertThat(debug.body().debug()).isTrue();
        VerifiedTdxQuote v = new VerifiedTdxQuote(debug, a.pck(), TdxTcbStatus.UP_TO_DATE, List.of(), a.tcbDate(),
                a.platformStatus(), a.moduleStatus(), a.qeStatus(), 17, a.collateralExpiresAt(), List.of(),
                a.verifiedAt());
        assertThatThrownBy(() -> TdxPolicyValidator.validate(v, TdxPolicy.defaults()))
                .isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.POLICY_VIOLATION));
        TdxPolicyValidator.validate(v, TdxPolicy.builder().allowDebug(true).build());
    }

    @Test
    void setBThroughTheServiceIsTcbNotSupported() {
        TdxSets.Set b = TdxSets.b();
        Evidence ev = new Evidence(TeeType.TDX, b.quote(),
                Vectors.bytes("phala-dcap-qvl/collateral_fmspc90c06f000000_2026-02-18.json"));
        assertThatThrownBy(() -> new TdxEvidenceVerifier().verify(ev, VerificationOptions.builder()
                .clock(Clock.fixed(b.at(), ZoneOffset.UTC)).offline(true).build()))
                .isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.TCB_NOT_SUPPORTED));
    }
}
