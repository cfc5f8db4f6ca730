package dev.coco4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.kbs.evidence.SnpEvidenceSerializer;
import dev.coco4j.kbs.protocol.Challenge;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import dev.coco4j.sev.abi.SnpCertTable;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.testkit.internal.SnpSerdeJson;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The server's decoding of SNP primary_evidence, against Trustee's fixture and the client's serializer. */
class SnpSerdeJsonTest {
    static final Path VECTORS = Path.of("src/test/resources/vectors/kbs");

    @Test
    void decodesTrusteesSnpEvidenceFixture() throws Exception {
        JsonNode fixture = KbsTestClient.JSON.readTree(VECTORS.resolve("trustee/evidence/snp-evidence.json").toFile());
        Evidence ev = SnpSerdeJson.decode(fixture);
        SnpReport r = SnpReport.parse(ev.data());
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.policy().raw()).isEqualTo(196608L);
        assertThat(r.reportData()[0] & 0xff).isEqualTo(126);
        assertThat(r.productFromCpuid()).contains(SnpProduct.GENOA);
        assertThat(SnpCertTable.parse(ev.auxiliary()).find(SnpCertTable.VCEK)).isPresent();
        // The client's serializer writes the fixture back byte for byte from the decoded evidence.
        JsonNode again = new SnpEvidenceSerializer().primaryEvidence(ev, binding());
        assertThat(again.toString()).isEqualTo(fixture.toString());
    }

    @Test
    void roundTripsSimulatedEvidenceThroughTheClientSerializer() {
        for (SnpProduct p : SnpProduct.values()) {
            SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().product(p).build();
            Evidence ev = sim.evidence(ReportData.ofHex("ab".repeat(48)));
            Evidence decoded = SnpSerdeJson.decode(new SnpEvidenceSerializer().primaryEvidence(ev, binding()));
            assertThat(decoded.data()).as(p.name()).isEqualTo(ev.data());
            assertThat(SnpCertTable.parse(decoded.auxiliary()).find(SnpCertTable.VCEK).orElseThrow())
                    .isEqualTo(SnpCertTable.parse(ev.auxiliary()).find(SnpCertTable.VCEK).orElseThrow());
        }
    }

    @Test
    void malformedEvidenceIsRefused() throws Exception {
        JsonNode fixture = KbsTestClient.JSON.readTree(VECTORS.resolve("trustee/evidence/snp-evidence.json").toFile());
        ObjectNode shortData = fixture.deepCopy();
        ((ArrayNode) shortData.get("attestation_report").get("report_data")).remove(0);
        ObjectNode notByte = fixture.deepCopy();
        ((ArrayNode) notByte.get("attestation_report").get("measurement")).set(0, 256);
        ObjectNode missing = fixture.deepCopy();
        ((ObjectNode) missing.get("attestation_report")).remove("signature");
        ObjectNode text = fixture.deepCopy();
        ((ObjectNode) text.get("attestation_report")).set("version", TextNode.valueOf("3"));
        for (JsonNode bad : new JsonNode[] {shortData, notByte, missing, text}) {
            assertThatThrownBy(() -> SnpSerdeJson.decode(bad)).isInstanceOf(AttestationException.class)
                    .extracting(e -> ((AttestationException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
        }
    }

    @Test
    void bindingVectorMatchesWhatTheServerRequires() throws Exception {
        JsonNode v = KbsTestClient.JSON.readTree(VECTORS.resolve("derived/runtime-data-binding.json").toFile());
        RuntimeDataBinding b = new RuntimeDataBinding(ReportData.HashAlgorithm.SHA384,
                v.get("challenge").get("nonce").asText(), v.get("tee_pubkey"), "");
        assertThat(b.reportData().toHex()).isEqualTo(v.get("report_data_64_snp_tdx_hex").asText());
        assertThat(java.util.Base64.getEncoder().encodeToString(b.primaryDigest()))
                .isEqualTo(v.get("sample_evidence").get("report_data").asText());
        assertThat(HexFormat.of().formatHex(b.primaryDigest())).isEqualTo(v.get("primary_sha384_hex").asText());
    }

    private static RuntimeDataBinding binding() {
        return RuntimeDataBinding.of(new Challenge("n", TextNode.valueOf("")),
                KbsTestClient.JSON.createObjectNode().put("kty", "EC"), "");
    }
}
