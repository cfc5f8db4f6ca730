package dev.coco4j.kbs.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.ReportData.HashAlgorithm;
import dev.coco4j.kbs.Vectors;
import dev.coco4j.kbs.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RuntimeDataBindingTest {
    private static final HexFormat HEX = HexFormat.of();
    private final JsonNode v = Vectors.json("derived/runtime-data-binding.json");

    private RuntimeDataBinding binding() {
        return RuntimeDataBinding.of(Challenge.fromJson(v.get("challenge")), v.get("tee_pubkey"), "");
    }

    @Test
    void primaryRuntimeDataMatchesVectorByteForByte() {
        RuntimeDataBinding b = binding();
        assertThat(b.hash()).isEqualTo(HashAlgorithm.SHA384);
        assertThat(new String(b.primaryCanonicalJson(), StandardCharsets.UTF_8))
                .isEqualTo(v.get("primary_runtime_data_canonical_json").textValue());
        assertThat(HEX.formatHex(b.primaryDigest())).isEqualTo(v.get("primary_sha384_hex").textValue());
        assertThat(b.reportData().toHex()).isEqualTo(v.get("report_data_64_snp_tdx_hex").textValue());
        assertThat(b.primaryRuntimeData()).isEqualTo(v.get("primary_runtime_data"));
    }

    @Test
    void sha512ForSe() {
        RuntimeDataBinding b = new RuntimeDataBinding(HashAlgorithm.SHA512, v.at("/challenge/nonce").textValue(),
                v.get("tee_pubkey"), "");
        assertThat(HEX.formatHex(b.primaryDigest())).isEqualTo(v.get("primary_sha512_hex_for_se").textValue());
    }

    @Test
    void deviceDigestAndNvidiaNonce() {
        RuntimeDataBinding b = binding();
        assertThat(new String(b.deviceCanonicalJson(), StandardCharsets.UTF_8))
                .isEqualTo(v.get("device_runtime_data_canonical_json").textValue());
        assertThat(HEX.formatHex(b.deviceDigest())).isEqualTo(v.get("device_sha384_hex").textValue());
        assertThat(HEX.formatHex(RuntimeDataBinding.fit(b.deviceDigest(), 32)))
                .isEqualTo(v.get("nvidia_spdm_nonce_hex_first_32_bytes").textValue());
    }

    @Test
    void compositeAdditionalEvidence() {
        assertThat(RuntimeDataBinding.compositeAdditionalEvidence(Map.of())).isEmpty();
        var ev = Json.object().put("svn", "1");
        assertThat(RuntimeDataBinding.compositeAdditionalEvidence(Map.of("sampledevice", ev)))
                .isEqualTo("{\"sampledevice\":{\"svn\":\"1\"}}");
    }

    @Test
    void fitPadsAndTruncates() {
        assertThat(RuntimeDataBinding.fit(new byte[] {1, 2}, 4)).containsExactly(1, 2, 0, 0);
        byte[] d = new byte[64];
        Arrays.fill(d, (byte) 7);
        assertThat(RuntimeDataBinding.fit(d, 32)).hasSize(32);
    }

    @Test
    void challengeHashSelection() {
        assertThat(Challenge.fromJson(Json.parse("{\"nonce\":\"n\",\"extra-params\":\"\"}", "c")).selectedHash())
                .isEqualTo(HashAlgorithm.SHA384);
        assertThat(Challenge.fromJson(Json.parse(
                "{\"nonce\":\"n\",\"extra-params\":{\"selected-hash-algorithm\":\"SHA512\"}}", "c")).selectedHash())
                .isEqualTo(HashAlgorithm.SHA512);
        assertThatThrownBy(() -> Challenge.fromJson(Json.parse(
                "{\"nonce\":\"n\",\"extra-params\":{\"selected-hash-algorithm\":\"sm3\"}}", "c")).selectedHash())
                .isInstanceOf(KeyReleaseException.class);
        assertThatThrownBy(() -> Challenge.fromJson(Json.parse(
                "{\"nonce\":\"n\",\"extra-params\":{\"selected-hash-algorithm\":5}}", "c")).selectedHash())
                .isInstanceOf(KeyReleaseException.class);
    }
}
