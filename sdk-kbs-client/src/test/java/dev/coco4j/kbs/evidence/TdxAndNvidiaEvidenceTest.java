package dev.coco4j.kbs.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.kbs.Vectors;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.protocol.Challenge;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TdxAndNvidiaEvidenceTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] PEM = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"
            .getBytes(StandardCharsets.US_ASCII);
    private final JsonNode v = Vectors.json("derived/runtime-data-binding.json");

    /** A stand-in GPU: the "report" is a marker, the nonce it was asked for, and a trailer. */
    private static final class EchoGpu implements Attester {
        ReportData last;

        @Override
        public TeeType teeType() {
            return TeeType.NVIDIA_GPU;
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public String describeAvailability() {
            return "echo";
        }

        @Override
        public Evidence attest(ReportData reportData) {
            last = reportData;
            byte[] r = new byte[36];
            r[0] = 0x11;
            System.arraycopy(reportData.toByteArray(), 0, r, 4, 32);
            return new Evidence(TeeType.NVIDIA_GPU, r, PEM);
        }
    }

    @Test
    void tdxEvidenceHasTrusteeShapeAndRoundTrips() {
        byte[] quote = new byte[] {4, 0, 2, 0, (byte) 0x81, 0, 0, 0, (byte) 0xFF};
        JsonNode j = new TdxEvidenceSerializer().primaryEvidence(Evidence.of(TeeType.TDX, quote), null);
        assertThat(Json.write(j)).isEqualTo("{\"cc_eventlog\":null,\"quote\":\"BAACAIEAAAD/\"}");
        assertThat(TdxEvidenceSerializer.parse(j).data()).isEqualTo(quote);
        assertThat(TdxEvidenceSerializer.eventLog(j)).isEmpty();

        byte[] log = {1, 2, 3, (byte) 0xFE};
        JsonNode withLog = TdxEvidenceSerializer.withEventLog(() -> Optional.of(log))
                .primaryEvidence(Evidence.of(TeeType.TDX, quote), null);
        assertThat(Json.write(withLog)).isEqualTo("{\"cc_eventlog\":\"AQID/g==\",\"quote\":\"BAACAIEAAAD/\"}");
        assertThat(TdxEvidenceSerializer.eventLog(withLog)).hasValueSatisfying(b -> assertThat(b).isEqualTo(log));
    }

    @Test
    void tdxSerialiserRefusesOtherEvidence() {
        assertThatThrownBy(() -> new TdxEvidenceSerializer().primaryEvidence(Evidence.of(TeeType.SNP, new byte[8]),
                null)).isInstanceOf(AttestationException.class);
        for (String bad : List.of("[]", "{}", "{\"quote\":5}", "{\"quote\":\"!!\"}", "{\"quote\":\"\"}",
                "{\"quote\":\"AAAA\",\"cc_eventlog\":7}", "{\"quote\":\"AAAA\",\"cc_eventlog\":\"%%\"}")) {
            assertThatThrownBy(() -> TdxEvidenceSerializer.parse(Json.parse(bad, "t")))
                    .as(bad).isInstanceOf(AttestationException.class);
        }
    }

    @Test
    void nvidiaNonceIsFirst32BytesOfTheVectorDeviceDigest() {
        RuntimeDataBinding b = RuntimeDataBinding.of(Challenge.fromJson(v.get("challenge")), v.get("tee_pubkey"), "");
        EchoGpu gpu = new EchoGpu();
        JsonNode ev = NvidiaDeviceAttester.of("HOPPER", "GPU-0000", gpu).evidence(b.deviceDigest());
        String expectedNonce = v.get("nvidia_spdm_nonce_hex_first_32_bytes").textValue();
        assertThat(HEX.formatHex(NvidiaDeviceAttester.nonce(b.deviceDigest()))).isEqualTo(expectedNonce);
        assertThat(HEX.formatHex(gpu.last.toByteArray(), 0, 32)).isEqualTo(expectedNonce);
        assertThat(gpu.last.toByteArray()).endsWith(new byte[32]);
        NvidiaGpuEvidence parsed = NvidiaGpuEvidence.parseList(ev).getFirst();
        assertThat(HEX.formatHex(Arrays.copyOfRange(parsed.report(), 4, 36))).isEqualTo(expectedNonce);
        assertThat(parsed.toEvidence().auxiliary()).isEqualTo(PEM);
    }

    @Test
    void compositeStringAndPrimaryBindingAreByteExact() {
        RuntimeDataBinding device = RuntimeDataBinding.of(Challenge.fromJson(v.get("challenge")),
                v.get("tee_pubkey"), "");
        JsonNode ev = NvidiaDeviceAttester.of("Hopper", "GPU-0000", new EchoGpu()).evidence(device.deviceDigest());
        Map<String, JsonNode> map = new LinkedHashMap<>();
        map.put("nvidia", ev);
        String composite = RuntimeDataBinding.compositeAdditionalEvidence(map);
        // written independently: serde_json of {"nvidia":{"device_evidence_list":[{arch,uuid,evidence,certificate}]}}
        String reportB64 = java.util.Base64.getEncoder().encodeToString(NvidiaGpuEvidence.parseList(ev).getFirst()
                .report());
        String pemB64 = java.util.Base64.getEncoder().encodeToString(PEM);
        assertThat(composite).isEqualTo("{\"nvidia\":{\"device_evidence_list\":[{\"arch\":\"Hopper\",\"uuid\":"
                + "\"GPU-0000\",\"evidence\":\"" + reportB64 + "\",\"certificate\":\"" + pemB64 + "\"}]}}");
        RuntimeDataBinding primary = RuntimeDataBinding.of(Challenge.fromJson(v.get("challenge")),
                v.get("tee_pubkey"), composite);
        // the vector's canonical JSON with "" replaced by the JSON string literal of the composite text
        String canonical = v.get("primary_runtime_data_canonical_json").textValue().replace(
                "\"additional-evidence\":\"\"", "\"additional-evidence\":" + Json.write(
                        Json.MAPPER.getNodeFactory().textNode(composite)));
        assertThat(new String(primary.primaryCanonicalJson(), StandardCharsets.UTF_8)).isEqualTo(canonical);
        // the device digest does not depend on the device evidence
        assertThat(primary.deviceDigest()).isEqualTo(device.deviceDigest());
        assertThat(primary.primaryDigest()).isNotEqualTo(device.primaryDigest());
    }

    @Test
    void gpuAttesterMustBeAGpu() {
        Attester cpu = new InsecureSampleAttester();
        assertThatThrownBy(() -> NvidiaDeviceAttester.of("HOPPER", "GPU-1", cpu))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> NvidiaDeviceAttester.of("VOLTA", "GPU-1", new EchoGpu()))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> NvidiaDeviceAttester.of(List.of())).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void nvidiaListRoundTripsAndRefusesMalformedEntries() {
        var a = new NvidiaGpuEvidence("HOPPER", "GPU-a", new byte[] {1, 2}, PEM);
        var b = new NvidiaGpuEvidence("LS10", "SWITCH-b", new byte[] {3}, PEM);
        var c = new NvidiaGpuEvidence("Blackwell", "GPU-c", new byte[] {4}, PEM);
        assertThat(NvidiaGpuEvidence.parseList(NvidiaGpuEvidence.listToJson(List.of(c)))).containsExactly(c);
        assertThat(NvidiaGpuEvidence.parseList(NvidiaGpuEvidence.listToJson(List.of(a, b)))).containsExactly(a, b);
        for (String bad : List.of("[]", "{}", "{\"device_evidence_list\":[]}", "{\"device_evidence_list\":[1]}",
                "{\"device_evidence_list\":[{\"arch\":\"HOPPER\",\"uuid\":\"u\",\"evidence\":\"AQ==\"}]}",
                "{\"device_evidence_list\":[{\"arch\":\"hopper\",\"uuid\":\"u\",\"evidence\":\"AQ==\",\"certificate\":\"AQ==\"}]}",
                "{\"device_evidence_list\":[{\"arch\":\"HOPPER\",\"uuid\":\"\",\"evidence\":\"AQ==\",\"certificate\":\"AQ==\"}]}",
                "{\"device_evidence_list\":[{\"arch\":\"HOPPER\",\"uuid\":\"u\",\"evidence\":\"@@\",\"certificate\":\"AQ==\"}]}")) {
            assertThatThrownBy(() -> NvidiaGpuEvidence.parseList(Json.parse(bad, "n")))
                    .as(bad).isInstanceOf(AttestationException.class);
        }
    }

    @Property(tries = 300)
    void randomTextNeverLeaksARuntimeException(@ForAll @Size(max = 200) String text) {
        JsonNode j = Json.MAPPER.getNodeFactory().objectNode().put("quote", text).put("cc_eventlog", text);
        try {
            TdxEvidenceSerializer.parse(j);
        } catch (AttestationException e) {
            assertThat(e.reason()).isNotNull();
        }
        JsonNode n = Json.MAPPER.createObjectNode().set("device_evidence_list", Json.MAPPER.createArrayNode()
                .add(Json.MAPPER.createObjectNode().put("arch", "HOPPER").put("uuid", text).put("evidence", text)
                        .put("certificate", text)));
        try {
            assertThat(NvidiaGpuEvidence.parseList(n)).hasSize(1);
        } catch (AttestationException e) {
            assertThat(e.reason()).isNotNull();
        }
    }
}
