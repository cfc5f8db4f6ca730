package dev.coco4j.kbs.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.kbs.Vectors;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.protocol.Challenge;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The az-snp-vtpm / az-tdx-vtpm serialisers against Trustee's fixtures. */
class AzVtpmEvidenceSerializerTest {
    private static RuntimeDataBinding binding() {
        JsonNode v = Vectors.json("derived/runtime-data-binding.json");
        return RuntimeDataBinding.of(Challenge.fromJson(v.get("challenge")), v.get("tee_pubkey"), "");
    }

    @ParameterizedTest
    @CsvSource({"az-snp-vtpm, trustee/evidence/az-snp-vtpm-evidence-v1.json",
            "az-tdx-vtpm, trustee/evidence/az-tdx-vtpm-evidence-v1.json"})
    void parseThenReserialiseEqualsTheFixture(String tee, String fixture) {
        byte[] bytes = Vectors.bytes(fixture);
        TeeType t = TeeType.fromId(tee);
        EvidenceSerializer s = EvidenceSerializers.require(t);
        assertThat(s).isInstanceOf(AzVtpmEvidenceSerializer.class);
        JsonNode out = s.primaryEvidence(Evidence.of(t, bytes), binding());
        JsonNode expected = Json.parse(bytes, "fixture");
        assertThat(out).isEqualTo(expected);
        // members in Trustee's struct order: version, tpm_quote{signature, message, pcrs}, hcl_report, proof
        assertThat(Json.write(out)).startsWith("{\"version\":1,\"tpm_quote\":{\"signature\":\"");
        // idempotent: feeding our output back gives the same bytes
        JsonNode again = s.primaryEvidence(Evidence.of(t, Json.write(out).getBytes(StandardCharsets.UTF_8)),
                binding());
        assertThat(Json.write(again)).isEqualTo(Json.write(out));
    }

    @Test
    void tdxFixtureIsReproducedByteForByteInCompactForm() {
        byte[] bytes = Vectors.bytes("trustee/evidence/az-tdx-vtpm-evidence-v1.json");
        JsonNode out = AzVtpmEvidenceSerializer.tdx().primaryEvidence(Evidence.of(TeeType.AZ_TDX_VTPM, bytes),
                binding());
        assertThat(Json.write(out)).isEqualTo(Json.write(Json.parse(bytes, "fixture")));
    }

    @Test
    void malformedEvidenceIsRefusedWithTypedErrors() {
        byte[] snp = Vectors.bytes("trustee/evidence/az-snp-vtpm-evidence-v1.json");
        AzVtpmEvidenceSerializer s = AzVtpmEvidenceSerializer.snp();
        assertThatThrownBy(() -> s.primaryEvidence(Evidence.of(TeeType.AZ_TDX_VTPM, snp), binding()))
                .isInstanceOf(AttestationException.class);
        assertThatThrownBy(() -> AzVtpmEvidenceSerializer.tdx().primaryEvidence(Evidence.of(TeeType.AZ_TDX_VTPM,
                snp), binding())).extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
        ObjectNode v2 = (ObjectNode) Json.parse(snp, "fixture");
        v2.put("version", 2);
        assertThatThrownBy(() -> s.primaryEvidence(Evidence.of(TeeType.AZ_SNP_VTPM,
                Json.write(v2).getBytes(StandardCharsets.UTF_8)), binding()))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
        ObjectNode badHex = (ObjectNode) Json.parse(snp, "fixture");
        ((ObjectNode) badHex.get("tpm_quote")).put("message", "xyz");
        assertThatThrownBy(() -> s.primaryEvidence(Evidence.of(TeeType.AZ_SNP_VTPM,
                Json.write(badHex).getBytes(StandardCharsets.UTF_8)), binding()))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
        assertThatThrownBy(() -> s.primaryEvidence(Evidence.of(TeeType.AZ_SNP_VTPM,
                "not json".getBytes(StandardCharsets.UTF_8)), binding()))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
    }
}
