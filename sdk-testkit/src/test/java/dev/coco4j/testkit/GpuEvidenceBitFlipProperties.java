package dev.coco4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.coco4j.core.ReportData;
import dev.coco4j.gpu.sim.SimulatedGpu;
import dev.coco4j.kbs.evidence.NvidiaGpuEvidence;
import dev.coco4j.kbs.evidence.SnpEvidenceSerializer;
import dev.coco4j.kbs.protocol.KbsTee;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every byte of a GPU report is signed (SPDM request and response): a single flipped bit anywhere in the report —
 * with the CPU evidence correctly binding the altered additional_evidence, so only the GPU check can catch it — is
 * refused with no token. A control attestation without the flip is accepted.
 */
class GpuEvidenceBitFlipProperties {
    static SimulatedSnpPlatform snp;
    static SimulatedGpu gpu;
    static SimulatedGpuAttester attester;
    static EmbeddedKbs kbs;

    @BeforeContainer
    static void start() {
        snp = SimulatedSnpPlatform.builder().build();
        gpu = SimulatedGpu.create();
        attester = new SimulatedGpuAttester(gpu);
        kbs = EmbeddedKbs.builder().trustSnpRoots(snp.trustRoots()).trustSimulatedGpu(gpu).start();
    }

    @AfterContainer
    static void stop() {
        kbs.close();
    }

    /** Runs /auth and /attest with the GPU report bit {@code bit} flipped (or none when negative). */
    private static int attest(long bitChoice, boolean flip) throws Exception {
        KbsTestClient http = new KbsTestClient(kbs);
        String nonce = http.auth("snp").json().get("nonce").asText();
        ECKey key = new ECKeyGenerator(Curve.P_256).generate();
        ObjectNode pub = KbsTestClient.teePubkey(key);
        RuntimeDataBinding device = new RuntimeDataBinding(ReportData.HashAlgorithm.SHA384, nonce, pub, "");
        NvidiaGpuEvidence e = NvidiaGpuEvidence.parseList(attester.deviceAttester().evidence(device.deviceDigest()))
                .getFirst();
        byte[] report = e.report();
        if (flip) {
            int bit = (int) Math.floorMod(bitChoice, (long) report.length * 8);
            report[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        JsonNode list = NvidiaGpuEvidence.listToJson(List.of(
                new NvidiaGpuEvidence(e.arch(), e.uuid(), report, e.certChainPem())));
        String additional = RuntimeDataBinding.compositeAdditionalEvidence(Map.of(KbsTee.NVIDIA, list));
        RuntimeDataBinding primary = new RuntimeDataBinding(ReportData.HashAlgorithm.SHA384, nonce, pub, additional);
        JsonNode ev = new SnpEvidenceSerializer().primaryEvidence(
                new SimulatedSnpAttester(snp).attest(primary.reportData()), primary);
        ObjectNode body = (ObjectNode) KbsTestClient.JSON.readTree(Flows.attestation(nonce, pub, ev));
        ((ObjectNode) body.get("tee-evidence")).put("additional_evidence", additional);
        KbsTestClient.Reply r = http.post("kbs/v0/attest", body.toString());
        if (r.status() == 200) {
            assertThat(r.json().get("token").asText()).isNotEmpty();
        } else {
            assertThat(r.json().has("token")).isFalse();
        }
        return r.status();
    }

    @Property(tries = 12)
    void anySingleBitFlipInTheGpuReportIsRefused(@ForAll long bit) throws Exception {
        assertThat(attest(bit, true)).isEqualTo(401);
    }

    @Property(tries = 1)
    void theUnflippedControlIsAccepted(@ForAll long bit) throws Exception {
        assertThat(attest(bit, false)).isEqualTo(200);
    }
}
