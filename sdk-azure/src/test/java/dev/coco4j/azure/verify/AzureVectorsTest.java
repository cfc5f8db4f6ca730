package dev.coco4j.azure.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coco4j.azure.Vectors;
import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.TpmQuote;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.sev.abi.SnpProduct;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Trustee Azure fixtures and the Azure HCL reports of the shared vector set, with the verdicts PROVENANCE gives. */
class AzureVectorsTest {
    /** Inside every VCEK's validity (the earliest expiry is 2030). */
    static final Instant T = Instant.parse("2026-06-01T00:00:00Z");
    static final byte[] CHALLENGE = "challenge".getBytes(StandardCharsets.US_ASCII);

    static AzSnpVtpmVerifier snpVerifier() {
        return AzSnpVtpmVerifier.builder().clock(Clock.fixed(T, ZoneOffset.UTC)).build();
    }

    static AzTdxVtpmVerifier tdxVerifier() {
        return AzTdxVtpmVerifier.builder().clock(Clock.fixed(T, ZoneOffset.UTC)).build();
    }

    static AzVtpmEvidence snpFixture() {
        return AzVtpmEvidence.parse(TeeType.AZ_SNP_VTPM, Vectors.bytes("kbs/az-snp-vtpm-evidence-v1.json"));
    }

    static AzVtpmEvidence tdxFixture() {
        return AzVtpmEvidence.parse(TeeType.AZ_TDX_VTPM, Vectors.bytes("kbs/az-tdx-vtpm-evidence-v1.json"));
    }

    @Test
    void trusteeSnpFixtureVerifiesWithItsNonce() throws Exception {
        AzVtpmEvidence ev = snpFixture();
        VerifiedAzVtpmEvidence v = snpVerifier().verify(ev, CHALLENGE);
        assertThat(v.nonceChecked()).isTrue();
        assertThat(v.tpmQuote().sha256Pcrs()).hasSize(24);
        String firstPcr = new ObjectMapper().readTree(Vectors.bytes("kbs/az-snp-vtpm-evidence-v1.json"))
                .get("tpm_quote").get("pcrs").get(0).asText();
        AttestationResult r = v.toAttestationResult();
        assertThat(r.tee()).isEqualTo(TeeType.AZ_SNP_VTPM);
        assertThat((Map<String, String>) r.claim("pcrs")).containsEntry("sha256:0", firstPcr);
        assertThat(r.claim("nonce")).isEqualTo(HexFormat.of().formatHex(CHALLENGE));
        @SuppressWarnings("unchecked")
        Map<String, Object> snp = (Map<String, Object>) r.claim("snp");
        assertThat((String) snp.get("report_data"))
                .startsWith("af2910341dd8108360e485f1b72494255190b9cdd5ccb44b73b883037cf99f21")
                .endsWith("0".repeat(64));
        assertThat(snp.get("tcb")).isEqualTo("db18000000000004");
        @SuppressWarnings("unchecked")
        Map<String, Object> hcl = (Map<String, Object>) r.claim("hcl");
        assertThat((Map<String, Object>) hcl.get("vm-configuration")).containsEntry("secure-boot", true)
                .containsEntry("vmUniqueId", "26F8BC30-774E-4290-8E7A-535F3B672AEE");
        assertThat(hcl.get("user-data")).isEqualTo("0".repeat(128));
        assertThat(r.warnings()).doesNotContain(VerifiedAzVtpmEvidence.NONCE_NOT_CHECKED);
    }

    @Test
    void withoutAnExpectedNonceTheResultSaysSo() {
        assertThat(snpVerifier().verifyIgnoringNonce(snpFixture()).toAttestationResult().warnings())
                .contains(VerifiedAzVtpmEvidence.NONCE_NOT_CHECKED);
    }

    @Test
    void anotherNonceIsRefusedWithNonceMismatch() {
        assertThatThrownBy(() -> snpVerifier().verify(snpFixture(), "challengf".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(AttestationException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.NONCE_MISMATCH);
        assertThatThrownBy(() -> tdxVerifier().verify(tdxFixture(), null, new byte[48]))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.NONCE_MISMATCH);
    }

    @Test
    void alteredPcrValuesAreRefusedWithPcrDigestMismatch() {
        AzVtpmEvidence ev = snpFixture();
        List<byte[]> pcrs = new ArrayList<>(ev.quote().pcrs());
        byte[] p7 = pcrs.get(7);
        p7[0] ^= 1;
        pcrs.set(7, p7);
        AzVtpmEvidence changed = new AzVtpmEvidence(ev.tee(), new TpmQuote(ev.quote().message(),
                ev.quote().signature(), pcrs), ev.hclReport(), ev.hardwareProof());
        assertThatThrownBy(() -> snpVerifier().verify(changed, CHALLENGE))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.PCR_DIGEST_MISMATCH);

        List<byte[]> fewer = new ArrayList<>(ev.quote().pcrs()).subList(0, 23);
        AzVtpmEvidence missing = new AzVtpmEvidence(ev.tee(), new TpmQuote(ev.quote().message(),
                ev.quote().signature(), fewer), ev.hclReport(), ev.hardwareProof());
        assertThatThrownBy(() -> snpVerifier().verify(missing, CHALLENGE))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.PCR_DIGEST_MISMATCH);
    }

    @Test
    void aTpmQuoteFromAnotherVmIsRefused() {
        // the TDX fixture's quote is signed by another vTPM's AK
        AzVtpmEvidence snp = snpFixture();
        AzVtpmEvidence mixed = new AzVtpmEvidence(snp.tee(), tdxFixture().quote(), snp.hclReport(),
                snp.hardwareProof());
        assertThatThrownBy(() -> snpVerifier().verify(mixed, CHALLENGE))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SIGNATURE_INVALID);
    }

    @Test
    void changedRuntimeClaimsBreakTheReportDataBinding() {
        AzVtpmEvidence ev = snpFixture();
        String text = new String(ev.hclReport(), StandardCharsets.ISO_8859_1);
        assertThat(text).contains("\"vmUniqueId\":\"26F8");
        byte[] same = text.replace("\"vmUniqueId\":\"26F8", "\"vmUniqueId\":\"36F8")
                .getBytes(StandardCharsets.ISO_8859_1);
        AzVtpmEvidence edited = new AzVtpmEvidence(ev.tee(), ev.quote(), same, ev.hardwareProof());
        assertThatThrownBy(() -> snpVerifier().verify(edited, CHALLENGE))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.REPORT_DATA_MISMATCH);
    }

    @ParameterizedTest
    @CsvSource({
            "sev/azure_milan_v2_hcl_report.bin, sev/azure_milan_v2_vcek_chain.pem, MILAN, 7308000000000003",
            "sev/azure_milan_v3_hcl_report.bin, sev/azure_milan_v3_vcek.pem, , db18000000000004",
            "sev/azure_genoa_v3_hcl_report.bin, sev/azure_genoa_v3_vcek.pem, , 541700000000000a"})
    void azureHclReportsVerify(String hcl, String vcek, SnpProduct product, String tcb) {
        AzSnpVtpmVerifier v = AzSnpVtpmVerifier.builder().clock(Clock.fixed(T, ZoneOffset.UTC)).product(product)
                .build();
        var verified = v.verifyHclReport(Vectors.bytes(hcl), Certificates.parse(Vectors.bytes(vcek)));
        assertThat(verified.reportedTcb().toHex()).isEqualTo(tcb);
        HclReport parsed = HclReport.parse(Vectors.bytes(hcl));
        assertThat(parsed.runtimeClaims().attestationKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(verified.report().reportData()).isEqualTo(parsed.expectedReportData());
    }

    @Test
    void anHclReportWithAnotherChipsVcekIsRefused() {
        AzSnpVtpmVerifier v = AzSnpVtpmVerifier.builder().clock(Clock.fixed(T, ZoneOffset.UTC))
                .product(SnpProduct.MILAN).build();
        assertThatThrownBy(() -> v.verifyHclReport(Vectors.bytes("sev/azure_milan_v2_hcl_report.bin"),
                Certificates.parse(Vectors.bytes("sev/azure_genoa_v3_vcek.pem"))))
                .isInstanceOf(CocoException.class)
                .extracting(e -> ((CocoException) e).reason())
                .isIn(Reason.SIGNATURE_INVALID, Reason.CHIP_ID_MISMATCH, Reason.CHAIN_INVALID);
    }

    @Test
    void trusteeTdxFixtureChecksBindingAndQuoteThenNeedsCollateral() {
        AzVtpmEvidence ev = tdxFixture();
        assertThat(ev.hardwareProof()).isEqualTo(Vectors.bytes("tdx/az_tdx_vtpm_td_quote_v4_fmspc00806f050000.bin"));
        assertThatThrownBy(() -> tdxVerifier().verify(ev, null, CHALLENGE))
                .isInstanceOf(CollateralException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE);
        // the checks before DCAP ran: a flipped quote bit is refused as a bad signature, not for collateral
        byte[] msg = ev.quote().message();
        msg[msg.length - 1] ^= 1;
        AzVtpmEvidence flipped = new AzVtpmEvidence(ev.tee(), new TpmQuote(msg, ev.quote().signature(),
                ev.quote().pcrs()), ev.hclReport(), ev.hardwareProof());
        assertThatThrownBy(() -> tdxVerifier().verify(flipped, null, CHALLENGE))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SIGNATURE_INVALID);
        // and a TD quote that is not the one the HCL report describes breaks the REPORTDATA binding
        byte[] td = ev.hardwareProof();
        td[48 + 520] ^= 1;
        AzVtpmEvidence other = new AzVtpmEvidence(ev.tee(), ev.quote(), ev.hclReport(), td);
        assertThatThrownBy(() -> tdxVerifier().verify(other, null, CHALLENGE))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.REPORT_DATA_MISMATCH);
    }

    @Test
    void evidenceOfTheWrongKindIsMalformed() {
        AzVtpmEvidence snp = snpFixture();
        AzVtpmEvidence asTdx = new AzVtpmEvidence(TeeType.AZ_TDX_VTPM, snp.quote(), snp.hclReport(),
                tdxFixture().hardwareProof());
        assertThatThrownBy(() -> tdxVerifier().verify(asTdx, null, CHALLENGE))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
        assertThatThrownBy(() -> AzVtpmEvidence.parse(TeeType.AZ_SNP_VTPM,
                "{\"version\":2}".getBytes(StandardCharsets.UTF_8)))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
        assertThatThrownBy(() -> AzVtpmEvidence.parse(TeeType.AZ_SNP_VTPM,
                Vectors.bytes("kbs/az-tdx-vtpm-evidence-v1.json")))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
    }

    @Test
    void reserializationIsByteCompatibleWithTheFixtures() throws Exception {
        ObjectMapper m = new ObjectMapper();
        for (String f : List.of("kbs/az-snp-vtpm-evidence-v1.json", "kbs/az-tdx-vtpm-evidence-v1.json")) {
            TeeType tee = f.contains("snp") ? TeeType.AZ_SNP_VTPM : TeeType.AZ_TDX_VTPM;
            byte[] fixture = Vectors.bytes(f);
            AzVtpmEvidence ev = AzVtpmEvidence.parse(tee, fixture);
            assertThat(m.readTree(ev.toJson())).isEqualTo(m.readTree(fixture));
            assertThat(AzVtpmEvidence.parse(tee, ev.toJson())).isEqualTo(ev);
        }
        // the TDX fixture's members are in Trustee's order: compact re-serialisation is byte-identical
        byte[] tdx = Vectors.bytes("kbs/az-tdx-vtpm-evidence-v1.json");
        assertThat(new String(tdxFixture().toJson(), StandardCharsets.UTF_8))
                .isEqualTo(m.writeValueAsString(m.readTree(tdx)));
    }
}
