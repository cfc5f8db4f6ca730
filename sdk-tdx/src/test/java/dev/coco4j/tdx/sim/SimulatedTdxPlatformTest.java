package dev.coco4j.tdx.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.validate.TdxPolicy;
import dev.coco4j.tdx.validate.TdxPolicyValidator;
import dev.coco4j.tdx.verify.PckCertificate;
import dev.coco4j.tdx.verify.TdxCollateral;
import dev.coco4j.tdx.verify.TdxQuoteVerifier;
import dev.coco4j.tdx.verify.TdxTcbStatus;
import dev.coco4j.tdx.verify.VerifiedTdxQuote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimulatedTdxPlatformTest {
    static final Instant NOW = Instant.parse("2030-01-02T03:04:05Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final ReportData RD = ReportData.ofHex("ab".repeat(64));
    static final SimulatedTdxPlatform SIM = SimulatedTdxPlatform.builder().clock(CLOCK).build();

    static VerifiedTdxQuote verify(SimulatedTdxPlatform sim, byte[] quote) {
        return sim.verifier().verify(quote, sim.collateral());
    }

    @Test
    void verifiesUpToDateWithTheSimulatorRootOnly() {
        byte[] quote = SIM.quote(RD);
        VerifiedTdxQuote v = TdxQuoteVerifier.builder().trustedRoot(SIM.root()).build()
                .verify(TdxQuote.parse(quote), SIM.collateral(), NOW);
        assertThat(v.tcbStatus()).isEqualTo(TdxTcbStatus.UP_TO_DATE);
        assertThat(v.body().reportData()).isEqualTo(RD.toByteArray());
        assertThat(v.body().debug()).isFalse();
        assertThat(TdxPolicyValidator.validate(v, TdxPolicy.defaults()).tcbStatus()).isEqualTo(TdxTcbStatus.UP_TO_DATE);
        assertThat(v.toAttestationResult()).isNotNull();
    }

    @Test
    void thePinnedIntelRootRefusesIt() {
        assertThatThrownBy(() -> TdxQuoteVerifier.builder().clock(CLOCK).build().verify(SIM.quote(RD),
                SIM.collateral()))
                .isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CHAIN_INVALID));
    }

    @Test
    void namesSayItIsSimulated() {
        assertThat(SIM.root().getSubjectX500Principal().getName()).contains("Simulated Intel SGX Root CA (coco4j sim)");
        assertThat(SIM.root().getIssuerX500Principal()).isEqualTo(SIM.root().getSubjectX500Principal());
    }

    @Test
    void pckExtensionRoundTripsThroughTheVerifiersParser() {
        PckCertificate p = PckCertificate.of(SIM.pckCertificate(), PckCertificate.CaType.PLATFORM);
        assertThat(HexFormat.of().formatHex(p.fmspc())).isEqualTo("00906ed50000");
        assertThat(p.pceSvn()).isEqualTo(11);
        assertThat(p.pceId()).containsExactly(0, 0);
        assertThat(p.componentSvns()).startsWith(3, 3, 2, 2, 4, 1, 0, 5);
    }

    @Test
    void version5WithTdx15Body() {
        SimulatedTdxPlatform sim = SimulatedTdxPlatform.builder().clock(CLOCK).quoteVersion(5).build();
        VerifiedTdxQuote v = verify(sim, sim.quote(RD));
        assertThat(v.quote().version()).isEqualTo(5);
        assertThat(v.quote().bodyType()).isEqualTo(3);
        assertThat(v.tcbStatus()).isEqualTo(TdxTcbStatus.UP_TO_DATE);
    }

    @Test
    void measurementsAndAttributesAreCarried() {
        byte[] mrTd = new byte[48];
        mrTd[0] = 7;
        byte[] rtmr2 = new byte[48];
        rtmr2[47] = 9;
        SimulatedTdxPlatform sim = SimulatedTdxPlatform.builder().clock(CLOCK).mrTd(mrTd).rtmr(2, rtmr2)
                .xfam(0xe7L).fmspc(HexFormat.of().parseHex("112233445566")).build();
        VerifiedTdxQuote v = verify(sim, sim.quote(RD));
        assertThat(v.body().mrTd()).isEqualTo(mrTd);
        assertThat(v.body().rtmr(2)).isEqualTo(rtmr2);
        assertThat(v.body().xfamValue()).isEqualTo(0xe7L);
        assertThat(v.pck().fmspc()).isEqualTo(HexFormat.of().parseHex("112233445566"));
    }

    @Test
    void debugTdIsRefusedByPolicyDefaults() {
        SimulatedTdxPlatform sim = SimulatedTdxPlatform.builder().clock(CLOCK)
                .tdAttributes(dev.coco4j.tdx.abi.TdReportBody.ATTR_DEBUG).build();
        VerifiedTdxQuote v = verify(sim, sim.quote(RD));
        assertThat(v.body().debug()).isTrue();
        assertThatThrownBy(() -> TdxPolicyValidator.validate(v, TdxPolicy.defaults()))
                .isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.POLICY_VIOLATION));
        assertThat(TdxPolicyValidator.validate(v, TdxPolicy.builder().allowDebug(true).build())).isNotNull();
    }

    @Test
    void tweakAfterSigningBreaksTheQuoteSignature() {
        SimulatedTdxPlatform sim = SimulatedTdxPlatform.builder().clock(CLOCK).tweak(new SimulatedTdxPlatform.Tweak() {
            @Override
            public byte[] signedQuote(byte[] quote) {
                quote[48 + 136] ^= 1;
                return quote;
            }
        }).build();
        assertThatThrownBy(() -> verify(sim, sim.quote(RD))).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_INVALID));
    }

    @Test
    void tweakBeforeSigningGivesValidVariants() {
        SimulatedTdxPlatform sim = SimulatedTdxPlatform.builder().clock(CLOCK).tweak(new SimulatedTdxPlatform.Tweak() {
            @Override
            public String tcbInfoJson(String json) {
                return json.replace("\"tcbStatus\":\"UpToDate\"}]}", "\"tcbStatus\":\"Revoked\"}]}");
            }
        }).build();
        assertThatThrownBy(() -> verify(sim, sim.quote(RD))).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.TCB_STATUS_REJECTED));
    }

    @Test
    void swHardeningNeededCarriesAdvisories() {
        SimulatedTdxPlatform sim = SimulatedTdxPlatform.builder().clock(CLOCK)
                .tcbStatus(TdxTcbStatus.SW_HARDENING_NEEDED, List.of("INTEL-SA-00615")).build();
        VerifiedTdxQuote v = verify(sim, sim.quote(RD));
        assertThat(v.tcbStatus()).isEqualTo(TdxTcbStatus.SW_HARDENING_NEEDED);
        assertThat(v.advisoryIds()).containsExactly("INTEL-SA-00615");
    }

    @Test
    void revokedPckIsRefused() {
        SimulatedTdxPlatform sim = SimulatedTdxPlatform.builder().clock(CLOCK).revokePck(true).build();
        assertThatThrownBy(() -> verify(sim, sim.quote(RD))).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.REVOKED));
    }

    @Test
    void collateralExpiresAfterThirtyDays() {
        assertThatThrownBy(() -> SIM.verifier().verify(TdxQuote.parse(SIM.quote(RD)), SIM.collateral(),
                NOW.plusSeconds(31L * 86400))).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_EXPIRED));
    }

    @Test
    void writeToProducesTheCliDirectoryForm(@TempDir Path dir) throws Exception {
        SIM.writeTo(dir, RD);
        for (String f : List.of("quote.dat", "root.pem", TdxCollateral.TCB_INFO_FILE, TdxCollateral.QE_IDENTITY_FILE,
                TdxCollateral.TCB_INFO_CHAIN_FILE, TdxCollateral.QE_IDENTITY_CHAIN_FILE, TdxCollateral.PCK_CRL_FILE,
                TdxCollateral.PCK_CRL_CHAIN_FILE, TdxCollateral.ROOT_CA_CRL_FILE)) {
            assertThat(dir.resolve(f)).isRegularFile();
        }
        TdxCollateral c = TdxCollateral.fromDirectory(dir);
        assertThat(c).isEqualTo(SIM.collateral());
        VerifiedTdxQuote v = TdxQuoteVerifier.builder()
                .trustedRoot(Certificates.parse(Files.readAllBytes(dir.resolve("root.pem")))).clock(CLOCK).build()
                .verify(Files.readAllBytes(dir.resolve("quote.dat")), c);
        assertThat(v.body().reportData()).isEqualTo(RD.toByteArray());
    }
}
