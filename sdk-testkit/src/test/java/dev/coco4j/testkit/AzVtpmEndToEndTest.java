package dev.coco4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jwt.SignedJWT;
import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.sim.SimulatedAzVtpm;
import dev.coco4j.azure.tpm.TpmAlg;
import dev.coco4j.azure.tpm.TpmQuote;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.kbs.InitData;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import dev.coco4j.tdx.abi.TdReportBody;
import dev.coco4j.tdx.sim.SimulatedTdxPlatform;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * KbsClient with the simulated Azure vTPM attester ↔ embedded KBS over HTTPS: attest → release → decrypt for
 * az-snp-vtpm (RSA and ECC AK) and az-tdx-vtpm, the token claims, and the refusals (tampered PCR value, tampered HCL
 * report byte, tampered runtime claims, evidence bound to another nonce, untrusted roots, TDX not trusted, a policy
 * requiring a PCR value the evidence lacks, init-data not in PCR 8), each with no resource released.
 */
class AzVtpmEndToEndTest {
    private static final byte[] KEY = "azure-kek".getBytes(StandardCharsets.UTF_8);
    static SimulatedSnpPlatform snp;
    static SimulatedAzVtpm vtpm;

    @BeforeAll
    static void platforms() {
        snp = SimulatedSnpPlatform.builder().build();
        vtpm = SimulatedAzVtpm.on(snp);
    }

    private final List<KbsEvent> events = new CopyOnWriteArrayList<>();

    private EmbeddedKbs.Builder kbs() {
        return EmbeddedKbs.builder().trustSnpRoots(snp.trustRoots()).resource("default/key/kek", KEY)
                .listener(events::add);
    }

    private static KbsClient.Builder client(EmbeddedKbs kbs, Attester attester) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("embedded-kbs-ca", kbs.caCertificate());
        String url = kbs.baseUri().toString();
        return KbsClient.builder().baseUrl(url.substring(0, url.length() - 1)).trustStore(trust).attester(attester);
    }

    /** An az-snp-vtpm attester whose evidence passes through {@code change} before it is sent. */
    private static Attester tampering(Function<ReportData, AzVtpmEvidence> make) {
        return new Attester() {
            @Override
            public TeeType teeType() {
                return TeeType.AZ_SNP_VTPM;
            }

            @Override
            public boolean isAvailable() {
                return true;
            }

            @Override
            public String describeAvailability() {
                return "tampering test attester";
            }

            @Override
            public Evidence attest(ReportData reportData) {
                return make.apply(reportData).toEvidence();
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> azClaims(KbsClient c) throws Exception {
        Map<String, Object> submods = (Map<String, Object>) SignedJWT.parse(c.attestationToken()).getJWTClaimsSet()
                .getClaim("submods");
        Map<String, Object> cpu0 = (Map<String, Object>) submods.get("cpu0");
        Map<String, Object> annotated = (Map<String, Object>) cpu0.get("ear.veraison.annotated-evidence");
        return (Map<String, Object>) annotated.get("az-snp-vtpm");
    }

    private Reason refusal() {
        return events.stream().filter(e -> e instanceof KbsEvent.AttestationRefused)
                .map(e -> ((KbsEvent.AttestationRefused) e).reason()).findFirst().orElseThrow();
    }

    private void assertNothingReleased() {
        assertThat(events).noneMatch(e -> e instanceof KbsEvent.ResourceReleased);
    }

    private void refusedAtAttestation(Attester attester, Reason reason) throws Exception {
        try (EmbeddedKbs kbs = kbs().start(); KbsClient c = client(kbs, attester).build()) {
            assertThatThrownBy(() -> c.getResource("default/key/kek")).isInstanceOf(CocoException.class);
        }
        assertThat(refusal()).isEqualTo(reason);
        assertThat(events).noneMatch(e -> e instanceof KbsEvent.AttestationAccepted);
        assertNothingReleased();
    }

    @Test
    void attestReleaseDecryptWithTheSimulatedAzureVtpm() throws Exception {
        try (EmbeddedKbs kbs = kbs().start();
             KbsClient c = client(kbs, new SimulatedAzVtpmAttester(vtpm)).build();
             KbsSecret s = c.getResource("default/key/kek")) {
            assertThat(s.bytes()).isEqualTo(KEY);
            Map<String, Object> claims = azClaims(c);
            // the SNP report's claims, as for snp, plus the TPM PCRs and the HCL runtime claims
            assertThat(claims).containsKeys("measurement", "chip_id", "report_data", "tpm", "hcl");
            @SuppressWarnings("unchecked")
            Map<String, Object> tpm = (Map<String, Object>) claims.get("tpm");
            assertThat(tpm).hasSize(24).containsEntry("pcr00", HexFormat.of().formatHex(vtpm.pcr(0)))
                    .containsEntry("pcr23", HexFormat.of().formatHex(vtpm.pcr(23)));
            assertThat(claims.get("hcl").toString()).contains("secure-boot=true").contains("user-data=");
        }
        assertThat(events).contains(new KbsEvent.AttestationAccepted(
                ((KbsEvent.AuthIssued) events.getFirst()).session(), "az-snp-vtpm"));
        assertThat(events).hasAtLeastOneElementOfType(KbsEvent.ResourceReleased.class);
    }

    @Test
    void anEccAttestationKeyWorksEndToEnd() throws Exception {
        SimulatedAzVtpm ecc = SimulatedAzVtpm.builder().platform(snp).akType(SimulatedAzVtpm.AkType.ECC_P256).build();
        try (EmbeddedKbs kbs = kbs().start();
             KbsClient c = client(kbs, new SimulatedAzVtpmAttester(ecc)).build();
             KbsSecret s = c.getResource("default/key/kek")) {
            assertThat(s.bytes()).isEqualTo(KEY);
        }
    }

    @Test
    void aTamperedPcrValueIsRefused() throws Exception {
        refusedAtAttestation(tampering(rd -> {
            AzVtpmEvidence ev = vtpm.evidence(rd);
            List<byte[]> pcrs = new ArrayList<>(ev.quote().pcrs());
            byte[] pcr7 = pcrs.get(7);
            pcr7[0] ^= 1;
            pcrs.set(7, pcr7);
            return new AzVtpmEvidence(ev.tee(), new TpmQuote(ev.quote().message(), ev.quote().signature(), pcrs),
                    ev.hclReport(), ev.hardwareProof());
        }), Reason.PCR_DIGEST_MISMATCH);
    }

    @Test
    void aTamperedHclReportByteIsRefused() throws Exception {
        refusedAtAttestation(tampering(rd -> {
            AzVtpmEvidence ev = vtpm.evidence(rd);
            byte[] hcl = ev.hclReport();
            hcl[HclReport.HW_REPORT_OFFSET + 0x90] ^= 1; // a byte of the SNP report's MEASUREMENT
            return new AzVtpmEvidence(ev.tee(), ev.quote(), hcl, ev.hardwareProof());
        }), Reason.SIGNATURE_INVALID);
    }

    @Test
    void tamperedRuntimeClaimsNoLongerMatchTheSnpReportData() throws Exception {
        refusedAtAttestation(tampering(rd -> {
            AzVtpmEvidence ev = vtpm.evidence(rd);
            // same length, still valid JSON with the same HCLAkPub: only the hash binding to the SNP report breaks
            String tampered = new String(ev.hclReport(), StandardCharsets.ISO_8859_1)
                    .replace("\"secure-boot\":true", "\"secure-boot\":1   ");
            return new AzVtpmEvidence(ev.tee(), ev.quote(), tampered.getBytes(StandardCharsets.ISO_8859_1),
                    ev.hardwareProof());
        }), Reason.REPORT_DATA_MISMATCH);
    }

    @Test
    void evidenceBoundToAnotherNonceIsRefused() throws Exception {
        refusedAtAttestation(tampering(rd -> {
            byte[] other = rd.toByteArray();
            other[0] ^= 1;
            return vtpm.evidence(ReportData.of(other));
        }), Reason.NONCE_MISMATCH);
    }

    @Test
    void evidenceFromAnUntrustedSimulatorIsRefused() throws Exception {
        SimulatedAzVtpm stranger = SimulatedAzVtpm.on(SimulatedSnpPlatform.builder().build());
        refusedAtAttestation(new SimulatedAzVtpmAttester(stranger), Reason.CHAIN_INVALID);
    }

    @Test
    void aPolicyRequiringAPcrValueTheEvidenceLacksDeniesTheRelease() throws Exception {
        String wanted = HexFormat.of().formatHex(TpmAlg.digest(TpmAlg.SHA256, "golden kernel".getBytes()));
        ResourcePolicy pcr4 = (claims, path) -> claims.get("submods") instanceof Map<?, ?> s
                && s.get("cpu0") instanceof Map<?, ?> cpu0
                && cpu0.get("ear.veraison.annotated-evidence") instanceof Map<?, ?> a
                && a.get("az-snp-vtpm") instanceof Map<?, ?> az && az.get("tpm") instanceof Map<?, ?> tpm
                && wanted.equals(tpm.get("pcr04"));
        try (EmbeddedKbs kbs = kbs().resourcePolicy(pcr4).start();
             KbsClient c = client(kbs, new SimulatedAzVtpmAttester(vtpm)).build()) {
            assertThatThrownBy(() -> c.getResource("default/key/kek")).isInstanceOf(CocoException.class)
                    .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.KEY_RELEASE_DENIED);
        }
        assertThat(events).hasAtLeastOneElementOfType(KbsEvent.AttestationAccepted.class);
        assertNothingReleased();
        // the same policy releases to a vTPM that measured the wanted value into PCR 4
        events.clear();
        SimulatedAzVtpm golden = SimulatedAzVtpm.builder().platform(snp)
                .pcr(4, HexFormat.of().parseHex(wanted)).build();
        try (EmbeddedKbs kbs = kbs().resourcePolicy(pcr4).start();
             KbsClient c = client(kbs, new SimulatedAzVtpmAttester(golden)).build();
             KbsSecret s = c.getResource("default/key/kek")) {
            assertThat(s.bytes()).isEqualTo(KEY);
        }
    }

    @Test
    void azTdxVtpmReleasesWhenTheTdxSimulatorIsTrustedAndIsRefusedOtherwise() throws Exception {
        SimulatedTdxPlatform tdx = SimulatedTdxPlatform.builder().build();
        SimulatedAzVtpmAttester azTdx = new SimulatedAzVtpmAttester(tdx);
        assertThat(azTdx.teeType()).isEqualTo(TeeType.AZ_TDX_VTPM);
        try (EmbeddedKbs kbs = kbs().trustSimulatedTdx(tdx).start();
             KbsClient c = client(kbs, azTdx).build();
             KbsSecret s = c.getResource("default/key/kek")) {
            assertThat(s.bytes()).isEqualTo(KEY);
            @SuppressWarnings("unchecked")
            Map<String, Object> submods = (Map<String, Object>) SignedJWT.parse(c.attestationToken())
                    .getJWTClaimsSet().getClaim("submods");
            String cpu0 = submods.get("cpu0").toString();
            assertThat(cpu0).contains("az-tdx-vtpm={").contains("mr_td=").contains("pcr23=");
        }
        events.clear();
        // without trustTdx the KBS cannot verify the TD quote: refused, never passed through
        refusedAtAttestation(azTdx, Reason.CONFIGURATION);
        events.clear();
        // a TD quote from another (untrusted) TDX simulator is refused
        try (EmbeddedKbs kbs = kbs().trustSimulatedTdx(SimulatedTdxPlatform.builder().build()).start();
             KbsClient c = client(kbs, azTdx).build()) {
            assertThatThrownBy(() -> c.getResource("default/key/kek")).isInstanceOf(CocoException.class);
        }
        assertThat(events).noneMatch(e -> e instanceof KbsEvent.AttestationAccepted);
        assertNothingReleased();
        events.clear();
        // the TD quote is held to the tdx policy: a debug TD is refused even though everything verifies
        SimulatedTdxPlatform debug = SimulatedTdxPlatform.builder().tdAttributes(TdReportBody.ATTR_DEBUG).build();
        try (EmbeddedKbs kbs = kbs().trustSimulatedTdx(debug).start();
             KbsClient c = client(kbs, new SimulatedAzVtpmAttester(debug)).build()) {
            assertThatThrownBy(() -> c.getResource("default/key/kek")).isInstanceOf(CocoException.class);
        }
        assertThat(refusal()).isEqualTo(Reason.POLICY_VIOLATION);
        assertNothingReleased();
    }

    @Test
    void initDataIsCheckedAgainstPcr8() throws Exception {
        InitData init = InitData.parse("version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n\"aa.toml\" = \"x\"\n"
                .getBytes(StandardCharsets.UTF_8));
        byte[] pcr8 = TpmAlg.digest(TpmAlg.SHA256, new byte[32], init.digest());
        SimulatedAzVtpm measured = SimulatedAzVtpm.builder().platform(snp).pcr(8, pcr8).build();
        try (EmbeddedKbs kbs = kbs().start();
             KbsClient c = client(kbs, new SimulatedAzVtpmAttester(measured)).initData(init).build();
             KbsSecret s = c.getResource("default/key/kek")) {
            assertThat(s.bytes()).isEqualTo(KEY);
        }
        events.clear();
        try (EmbeddedKbs kbs = kbs().start();
             KbsClient c = client(kbs, new SimulatedAzVtpmAttester(vtpm)).initData(init).build()) {
            assertThatThrownBy(() -> c.getResource("default/key/kek")).isInstanceOf(CocoException.class);
        }
        assertThat(refusal()).isEqualTo(Reason.MEASUREMENT_MISMATCH);
        assertNothingReleased();
    }
}
