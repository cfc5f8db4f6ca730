package dev.coco4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.gpu.sim.SimulatedGpu;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import dev.coco4j.kbs.evidence.DeviceAttester;
import dev.coco4j.kbs.evidence.SnpEvidenceSerializer;
import dev.coco4j.kbs.protocol.KbsTee;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.tdx.sim.SimulatedTdxPlatform;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * KbsClient ↔ embedded KBS over HTTPS: TDX alone, and SNP or TDX composite with a simulated GPU bound by the device
 * digest; plus the GPU fault cases (wrong nonce, tampered measurement, no GPU verifier, additional evidence swapped
 * after the CPU bound it), each refused with no key released.
 */
class CompositeAttestationEndToEndTest {
    private static final byte[] KEY = "composite-kek".getBytes(StandardCharsets.UTF_8);
    static SimulatedSnpPlatform snp;
    static SimulatedTdxPlatform tdx;
    static SimulatedGpu gpu;

    @BeforeAll
    static void platforms() {
        snp = SimulatedSnpPlatform.builder().build();
        tdx = SimulatedTdxPlatform.builder().build();
        gpu = SimulatedGpu.create();
    }

    private final List<KbsEvent> events = new CopyOnWriteArrayList<>();

    private EmbeddedKbs.Builder kbs() {
        return EmbeddedKbs.builder().trustSnpRoots(snp.trustRoots()).trustSimulatedTdx(tdx)
                .resource("default/key/kek", KEY).listener(events::add);
    }

    private static KbsClient.Builder client(EmbeddedKbs kbs, Attester cpu) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("embedded-kbs-ca", kbs.caCertificate());
        String url = kbs.baseUri().toString();
        return KbsClient.builder().baseUrl(url.substring(0, url.length() - 1)).trustStore(trust).attester(cpu);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> submods(KbsClient c) throws Exception {
        return (Map<String, Object>) SignedJWT.parse(c.attestationToken()).getJWTClaimsSet().getClaim("submods");
    }

    private Reason refusal() {
        return events.stream().filter(e -> e instanceof KbsEvent.AttestationRefused)
                .map(e -> ((KbsEvent.AttestationRefused) e).reason()).findFirst().orElseThrow();
    }

    private void assertNothingReleased() {
        assertThat(events).noneMatch(e -> e instanceof KbsEvent.ResourceReleased);
        assertThat(events).noneMatch(e -> e instanceof KbsEvent.AttestationAccepted);
    }

    @Test
    void tdxAloneReleases() throws Exception {
        try (EmbeddedKbs kbs = kbs().start();
             KbsClient c = client(kbs, new SimulatedTdxAttester(tdx)).build();
             KbsSecret s = c.getResource("default/key/kek")) {
            assertThat(s.bytes()).isEqualTo(KEY);
            Map<String, Object> sub = submods(c);
            assertThat(sub).containsOnlyKeys("cpu0");
            assertThat(sub.get("cpu0").toString()).contains("tdx=").contains("mr_td=");
        }
    }

    @Test
    void snpPlusGpuCompositeReleasesAndThePolicySeesTheGpu() throws Exception {
        SimulatedGpuAttester g = new SimulatedGpuAttester(gpu);
        ResourcePolicy gpuAffirming = (claims, path) -> claims.get("submods") instanceof Map<?, ?> m
                && m.get("gpu0") instanceof Map<?, ?> g0 && "affirming".equals(g0.get("ear.status"));
        try (EmbeddedKbs kbs = kbs().trustSimulatedGpu(gpu).resourcePolicy(gpuAffirming).start();
             KbsClient c = client(kbs, new SimulatedSnpAttester(snp)).deviceAttester(g.deviceAttester()).build();
             KbsSecret s = c.getResource("default/key/kek")) {
            assertThat(s.bytes()).isEqualTo(KEY);
            Map<String, Object> sub = submods(c);
            assertThat(sub).containsOnlyKeys("cpu0", "gpu0");
            String gpu0 = sub.get("gpu0").toString();
            assertThat(gpu0).contains("measres=success").contains("uuid=" + g.uuid()).contains("default_gpu")
                    .contains("driver_version=" + SimulatedGpu.DRIVER_VERSION);
            // the CPU's runtime-data claims carry the very additional_evidence string that was verified
            assertThat(sub.get("cpu0").toString()).contains("additional-evidence={\"nvidia\":");
        }
    }

    @Test
    void tdxPlusGpuCompositeReleases() throws Exception {
        SimulatedGpuAttester g = new SimulatedGpuAttester(gpu);
        try (EmbeddedKbs kbs = kbs().trustSimulatedGpu(gpu).resourcePolicy(ResourcePolicy.affirmingOnly()).start();
             KbsClient c = client(kbs, new SimulatedTdxAttester(tdx)).deviceAttester(g.deviceAttester()).build();
             KbsSecret s = c.getResource("default/key/kek")) {
            assertThat(s.bytes()).isEqualTo(KEY);
            assertThat(submods(c)).containsOnlyKeys("cpu0", "gpu0");
        }
    }

    @Test
    void gpuEvidenceForAnotherNonceIsRefused() throws Exception {
        SimulatedGpuAttester g = new SimulatedGpuAttester(gpu);
        DeviceAttester wrongNonce = new DeviceAttester() {
            @Override
            public String kbsTeeName() {
                return KbsTee.NVIDIA;
            }

            @Override
            public JsonNode evidence(byte[] deviceDigest) {
                byte[] other = deviceDigest.clone();
                other[0] ^= 1;
                return g.deviceAttester().evidence(other);
            }
        };
        try (EmbeddedKbs kbs = kbs().trustSimulatedGpu(gpu).start();
             KbsClient c = client(kbs, new SimulatedSnpAttester(snp)).deviceAttester(wrongNonce).build()) {
            assertThatThrownBy(() -> c.getResource("default/key/kek")).isInstanceOf(CocoException.class)
                    .satisfies(e -> assertThat(((CocoException) e).reason()).isEqualTo(Reason.KEY_RELEASE_DENIED));
        }
        assertThat(refusal()).isEqualTo(Reason.NONCE_MISMATCH);
        assertNothingReleased();
    }

    @Test
    void tamperedGpuMeasurementIsRefused() throws Exception {
        byte[] other = new byte[48];
        other[0] = 1;
        SimulatedGpuAttester tampered = new SimulatedGpuAttester(gpu.withMeasurement(7, other));
        try (EmbeddedKbs kbs = kbs().trustSimulatedGpu(gpu).start();
             KbsClient c = client(kbs, new SimulatedTdxAttester(tdx)).deviceAttester(tampered.deviceAttester())
                     .build()) {
            assertThatThrownBy(() -> c.getResource("default/key/kek")).isInstanceOf(CocoException.class);
        }
        assertThat(refusal()).isEqualTo(Reason.MEASUREMENT_MISMATCH);
        assertNothingReleased();
    }

    @Test
    void additionalEvidenceWithoutAGpuVerifierIsRefused() throws Exception {
        SimulatedGpuAttester g = new SimulatedGpuAttester(gpu);
        try (EmbeddedKbs kbs = kbs().start();
             KbsClient c = client(kbs, new SimulatedSnpAttester(snp)).deviceAttester(g.deviceAttester()).build()) {
            assertThatThrownBy(() -> c.getResource("default/key/kek")).isInstanceOf(CocoException.class);
        }
        assertThat(refusal()).isEqualTo(Reason.POLICY_VIOLATION);
        assertNothingReleased();
    }

    @Test
    void untrustedGpuIsRefused() throws Exception {
        SimulatedGpuAttester stranger = new SimulatedGpuAttester(SimulatedGpu.create());
        try (EmbeddedKbs kbs = kbs().trustSimulatedGpu(gpu).start();
             KbsClient c = client(kbs, new SimulatedSnpAttester(snp)).deviceAttester(stranger.deviceAttester())
                     .build()) {
            assertThatThrownBy(() -> c.getResource("default/key/kek")).isInstanceOf(CocoException.class);
        }
        assertThat(refusal()).isEqualTo(Reason.CHAIN_INVALID);
        assertNothingReleased();
    }

    @Test
    void additionalEvidenceSwappedAfterTheCpuBoundItIsRefused() throws Exception {
        SimulatedGpuAttester g = new SimulatedGpuAttester(gpu);
        try (EmbeddedKbs kbs = kbs().trustSimulatedGpu(gpu).start()) {
            KbsTestClient http = new KbsTestClient(kbs);
            String nonce = http.auth("snp").json().get("nonce").asText();
            ECKey key = new ECKeyGenerator(Curve.P_256).generate();
            ObjectNode pub = KbsTestClient.teePubkey(key);
            RuntimeDataBinding device = new RuntimeDataBinding(ReportData.HashAlgorithm.SHA384, nonce, pub, "");
            // two valid GPU evidences for the right nonce; the CPU binds the first, the message carries the second
            String bound = RuntimeDataBinding.compositeAdditionalEvidence(
                    Map.of(KbsTee.NVIDIA, g.deviceAttester().evidence(device.deviceDigest())));
            String sent = RuntimeDataBinding.compositeAdditionalEvidence(
                    Map.of(KbsTee.NVIDIA, g.deviceAttester().evidence(device.deviceDigest())));
            assertThat(sent).isNotEqualTo(bound);
            RuntimeDataBinding primary = new RuntimeDataBinding(ReportData.HashAlgorithm.SHA384, nonce, pub, bound);
            JsonNode ev = new SnpEvidenceSerializer().primaryEvidence(
                    new SimulatedSnpAttester(snp).attest(primary.reportData()), primary);
            ObjectNode body = (ObjectNode) KbsTestClient.JSON.readTree(Flows.attestation(nonce, pub, ev));
            ((ObjectNode) body.get("tee-evidence")).put("additional_evidence", sent);
            KbsTestClient.Reply r = http.post("kbs/v0/attest", body.toString());
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.errorType()).endsWith("/AttestationError");

            // and the same message with the bound string is accepted: the refusal was the binding, nothing else
            ((ObjectNode) body.get("tee-evidence")).put("additional_evidence", bound);
            KbsTestClient again = new KbsTestClient(kbs);
            again.cookie = http.cookie;
            assertThat(again.post("kbs/v0/attest", body.toString()).status()).isEqualTo(200);
        }
        assertThat(refusal()).isEqualTo(Reason.REPORT_DATA_MISMATCH);
    }
}
