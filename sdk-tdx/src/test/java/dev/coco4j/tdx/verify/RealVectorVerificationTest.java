package dev.coco4j.tdx.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TcbStatus;
import dev.coco4j.core.TeeType;
import dev.coco4j.tdx.TdxSets;
import dev.coco4j.tdx.Vectors;
import dev.coco4j.tdx.abi.TdxQuote;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real quotes reach the verdicts PROVENANCE.md gives at its verify-at instants. */
class RealVectorVerificationTest {
    static final TdxQuoteVerifier V = TdxQuoteVerifier.builder().build();

    static Reason refusal(TdxSets.Set s, Instant at) {
        try {
            V.verify(TdxQuote.parse(s.quote()), s.collateral(), at);
            throw new AssertionError("accepted");
        } catch (CocoException e) {
            return e.reason();
        }
    }

    @Test
    void setAIsUpToDateWithNoAdvisories() {
        TdxSets.Set a = TdxSets.a();
        VerifiedTdxQuote v = V.verify(TdxQuote.parse(a.quote()), a.collateral(), a.at());
        assertThat(v.tcbStatus()).isEqualTo(TdxTcbStatus.UP_TO_DATE);
        assertThat(v.advisoryIds()).isEmpty();
        assertThat(v.qeStatus()).isEqualTo(TdxTcbStatus.UP_TO_DATE);
        assertThat(v.moduleStatus()).contains(TdxTcbStatus.UP_TO_DATE);
        assertThat(v.tcbDate()).isEqualTo(Instant.parse("2024-03-13T00:00:00Z"));
        assertThat(v.tcbEvaluationDataNumber()).isEqualTo(17);
        assertThat(v.pck().pceSvn()).isEqualTo(11);
        assertThat(v.pck().componentSvns().subList(0, 8)).containsExactly(3, 3, 2, 2, 4, 1, 0, 5);
        assertThat(v.pck().caType()).isEqualTo(PckCertificate.CaType.PLATFORM);
        assertThat(v.collateralExpiresAt()).isEqualTo(Instant.parse("2025-07-19T10:00:35Z"));
        AttestationResult r = v.toAttestationResult();
        assertThat(r.tee()).isEqualTo(TeeType.TDX);
        assertThat(r.tcbStatus()).isEqualTo(TcbStatus.UP_TO_DATE);
        assertThat(r.claim("fmspc")).isEqualTo("b0c06f000000");
        assertThat(r.claim("tcb_status")).isEqualTo("UpToDate");
        assertThat(r.claim("mr_td")).isEqualTo("91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03"
                + "ae6dc5f87f27428b2538873118b7");
        assertThat(r.claims()).containsKeys("rtmr0", "rtmr3", "mr_config_id", "mr_owner", "mr_owner_config",
                "mr_seam", "mr_signer_seam", "td_attributes", "xfam", "report_data", "tee_tcb_svn", "advisory_ids",
                "tcb_date");
    }

    @Test
    void setAAtTheEdgesOfItsWindow() {
        TdxSets.Set a = TdxSets.a();
        TdxQuote q = TdxQuote.parse(a.quote());
        assertThat(V.verify(q, a.collateral(), Instant.parse("2025-06-19T10:32:27Z")).tcbStatus())
                .isEqualTo(TdxTcbStatus.UP_TO_DATE);
        assertThat(V.verify(q, a.collateral(), Instant.parse("2025-07-19T10:00:35Z")).tcbStatus())
                .isEqualTo(TdxTcbStatus.UP_TO_DATE);
        // before the QE Identity was issued, after the PCK CRL's nextUpdate, and far later (TCB Info etc.)
        assertThat(refusal(a, Instant.parse("2025-06-19T10:20:00Z"))).isEqualTo(Reason.COLLATERAL_EXPIRED);
        assertThat(refusal(a, Instant.parse("2025-07-19T10:00:36Z"))).isEqualTo(Reason.COLLATERAL_EXPIRED);
        assertThat(refusal(a, Instant.parse("2025-08-01T00:00:00Z"))).isEqualTo(Reason.COLLATERAL_EXPIRED);
    }

    @Test
    void setBHasNoMatchingTcbLevel() {
        TdxSets.Set b = TdxSets.b();
        assertThatThrownBy(() -> V.verify(TdxQuote.parse(b.quote()), b.collateral(), b.at()))
                .isInstanceOfSatisfying(AttestationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.TCB_NOT_SUPPORTED);
                    assertThat(e.detail()).contains("SGX TCB");
                });
    }

    @Test
    void setCHasNoMatchingTcbLevelAndExpiresBy2053() {
        TdxSets.Set c = TdxSets.c();
        assertThat(refusal(c, c.at())).isEqualTo(Reason.TCB_NOT_SUPPORTED);
        assertThat(refusal(c, Instant.parse("2053-07-01T00:00:00Z"))).isEqualTo(Reason.CERT_EXPIRED);
        assertThat(refusal(c, Instant.parse("2023-07-20T00:00:00Z"))).isEqualTo(Reason.COLLATERAL_EXPIRED);
    }

    @Test
    void setEIsOutOfDate() {
        TdxSets.Set e = TdxSets.e();
        VerifiedTdxQuote v = V.verify(TdxQuote.parse(e.quote()), e.collateral(), e.at());
        assertThat(v.tcbStatus()).isEqualTo(TdxTcbStatus.OUT_OF_DATE);
        assertThat(v.platformStatus()).isEqualTo(TdxTcbStatus.OUT_OF_DATE);
        assertThat(v.moduleStatus()).contains(TdxTcbStatus.UP_TO_DATE);
        assertThat(v.qeStatus()).isEqualTo(TdxTcbStatus.UP_TO_DATE);
        assertThat(v.tcbDate()).isEqualTo(Instant.parse("2018-01-04T00:00:00Z"));
        assertThat(v.toAttestationResult().tcbStatus()).isEqualTo(TcbStatus.OUT_OF_DATE);
    }

    @Test
    void directoryFormLoadsTheSameCollateral(@TempDir Path dir) throws Exception {
        String x = "phala-dcap-qvl/extracted_fmspcb0c06f000000_2025-06-19/";
        copy(x + "tcbinfo_pcs_body.json", dir.resolve(TdxCollateral.TCB_INFO_FILE));
        copy(x + "qeidentity_pcs_body.json", dir.resolve(TdxCollateral.QE_IDENTITY_FILE));
        copy(x + "tcb_signing_chain.pem", dir.resolve(TdxCollateral.TCB_INFO_CHAIN_FILE));
        copy(x + "tcb_signing_chain.pem", dir.resolve(TdxCollateral.QE_IDENTITY_CHAIN_FILE));
        copy(x + "pckcrl_platform.der", dir.resolve(TdxCollateral.PCK_CRL_FILE));
        copy(x + "pckcrl_issuer_chain.pem", dir.resolve(TdxCollateral.PCK_CRL_CHAIN_FILE));
        copy(x + "rootcacrl.der", dir.resolve(TdxCollateral.ROOT_CA_CRL_FILE));
        TdxCollateral fromDir = TdxCollateral.fromDirectory(dir);
        TdxSets.Set a = TdxSets.a();
        assertThat(fromDir).isEqualTo(a.collateral());
        assertThat(V.verify(TdxQuote.parse(a.quote()), fromDir, a.at()).tcbStatus()).isEqualTo(TdxTcbStatus.UP_TO_DATE);
        Files.delete(dir.resolve(TdxCollateral.PCK_CRL_FILE));
        assertThatThrownBy(() -> TdxCollateral.fromDirectory(dir)).isInstanceOfSatisfying(CocoException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE));
    }

    @Test
    void wrongCollateralForThePlatformIsRefused() {
        TdxSets.Set a = TdxSets.a();
        TdxSets.Set b = TdxSets.b();
        // set B's collateral (FMSPC 90c06f000000) for set A's quote, at an instant inside B's window: the PCK CRL
        // and TCB Info windows pass, the chains verify, the FMSPC does not match
        assertThat(refusal(new TdxSets.Set(a.quote(), b.collateral(), b.at()), b.at()))
                .isEqualTo(Reason.COLLATERAL_INVALID);
    }

    @Test
    void aForeignRootIsRefused() {
        TdxSets.Set a = TdxSets.a();
        var other = dev.coco4j.core.crypto.Certificates.parseAll(
                Vectors.bytes("phala-dcap-qvl/extracted_fmspcb0c06f000000_2025-06-19/tcb_signing_chain.pem"));
        TdxQuoteVerifier v = TdxQuoteVerifier.builder().trustedRoot(other.getFirst()).build();
        assertThatThrownBy(() -> v.verify(TdxQuote.parse(a.quote()), a.collateral(), a.at()))
                .isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CHAIN_INVALID));
        assertThat(List.of(IntelRoot.certificate().getSubjectX500Principal().getName())).first().asString()
                .contains("Intel SGX Root CA");
    }

    @Test
    void cachedSignatureChecksNeverSkipTimeChecks() {
        TdxSets.Set a = TdxSets.a();
        TdxQuote q = TdxQuote.parse(a.quote());
        TdxQuoteVerifier cached = TdxQuoteVerifier.builder().build();
        TdxQuoteVerifier uncached = TdxQuoteVerifier.builder().cacheSize(0).build();
        for (TdxQuoteVerifier v : List.of(cached, uncached)) {
            assertThat(v.verify(q, a.collateral(), a.at()).tcbStatus()).isEqualTo(TdxTcbStatus.UP_TO_DATE);
            assertThat(v.verify(q, a.collateral(), a.at()).tcbStatus()).isEqualTo(TdxTcbStatus.UP_TO_DATE);
            assertThatThrownBy(() -> v.verify(q, a.collateral(), Instant.parse("2025-08-01T00:00:00Z")))
                    .isInstanceOfSatisfying(AttestationException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_EXPIRED));
            assertThatThrownBy(() -> v.verify(q, a.collateral(), Instant.parse("2053-01-01T00:00:00Z")))
                    .isInstanceOfSatisfying(AttestationException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.CERT_EXPIRED));
        }
    }

    private static void copy(String vector, Path to) throws Exception {
        Files.write(to, Vectors.bytes(vector));
    }
}
