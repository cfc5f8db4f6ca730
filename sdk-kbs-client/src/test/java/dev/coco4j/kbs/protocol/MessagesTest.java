package dev.coco4j.kbs.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.kbs.Vectors;
import dev.coco4j.kbs.internal.Json;
import org.junit.jupiter.api.Test;

class MessagesTest {

    @Test
    void rcarSampleExchangeRoundTrips() {
        JsonNode req = Vectors.json("derived/rcar-sample-request.json");
        KbsRequest r = KbsRequest.fromJson(req);
        assertThat(r.version()).isEqualTo("0.4.0");
        assertThat(r.tee()).isEqualTo("sample");
        assertThat(r.toJson()).isEqualTo(req);

        JsonNode ch = Vectors.json("derived/rcar-sample-challenge.json");
        assertThat(Challenge.fromJson(ch).toJson()).isEqualTo(ch);

        JsonNode att = Vectors.json("derived/rcar-sample-attestation.json");
        Attestation a = Attestation.fromJson(att);
        assertThat(a.initDataIfPresent()).isEmpty();
        assertThat(a.toJson()).isEqualTo(att);
        assertThat(Json.write(a.toJson())).contains("\"tee-evidence\":{\"primary_evidence\"")
                .contains("\"additional_evidence\":\"\"").contains("\"runtime-data\":{\"nonce\"");
    }

    @Test
    void requestOfAdvertisesSupportedHashes() {
        assertThat(Json.write(KbsRequest.of("0.4.0", "snp").toJson())).isEqualTo(
                "{\"version\":\"0.4.0\",\"tee\":\"snp\",\"extra-params\":{\"supported-hash-algorithms\":"
                        + "[\"sha256\",\"sha384\",\"sha512\"]}}");
    }

    @Test
    void errorBodies() {
        for (JsonNode ex : Vectors.json("derived/error-bodies.json").get("examples")) {
            ErrorInformation e = ErrorInformation.fromJson(ex.get("body"));
            assertThat(e.knownType()).isPresent();
            assertThat(e.knownType().get().httpStatus()).isEqualTo(ex.get("status").intValue());
            assertThat(e.knownType().get().typeUri()).isEqualTo(e.type());
        }
        JsonNode first = Vectors.json("derived/error-bodies.json").get("examples").get(0).get("body");
        assertThat(ErrorInformation.fromJson(first).isVersionMismatch()).isTrue();
        assertThat(ErrorInformation.of(ErrorType.POLICY_DENY, "Access denied by policy").isVersionMismatch())
                .isFalse();
        assertThat(ErrorType.fromType("https://github.com/confidential-containers/kbs/errors/AttestationFailed"))
                .isEmpty();
    }

    @Test
    void malformedMessagesAreTyped() {
        assertThatThrownBy(() -> Challenge.fromJson(Json.parse("{\"nonce\":5}", "c")))
                .isInstanceOf(KeyReleaseException.class).hasMessageContaining("nonce");
        assertThatThrownBy(() -> Json.parse("{\"nonce\":", "challenge"))
                .isInstanceOf(KeyReleaseException.class);
        assertThatThrownBy(() -> Json.parse("{\"a\":1,\"a\":2}", "x")).isInstanceOf(KeyReleaseException.class);
        assertThatThrownBy(() -> TeeEvidence.fromJson(Json.parse(
                "{\"primary_evidence\":{},\"additional_evidence\":{}}", "t")))
                .isInstanceOf(KeyReleaseException.class);
    }

    @Test
    void teePubkeyPointers() {
        JsonNode claims = Vectors.json("derived/ear-tokens.json").get("claims_valid");
        assertThat(TokenClaims.teePubkey(claims)).contains(
                Vectors.json("derived/runtime-data-binding.json").get("tee_pubkey"));
        assertThat(TokenClaims.teePubkey(Json.parse("{\"tee-pubkey\":{\"kty\":\"EC\"}}", "c"))).isPresent();
        assertThat(TokenClaims.teePubkey(Json.object())).isEmpty();
    }

    @Test
    void tokenResponseHidesToken() {
        assertThat(new TokenResponse("secret.token.value").toString()).doesNotContain("secret");
    }
}
