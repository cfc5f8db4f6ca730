package dev.coco4j.kbs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.coco4j.core.CiphertextException;
import dev.coco4j.kbs.TeeKeyAlgorithm;
import dev.coco4j.kbs.Vectors;
import dev.coco4j.kbs.protocol.ResourceResponses;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;

class TeeKeyPairTest {

    private static TeeKeyPair fixtureKey() throws Exception {
        ECKey k = ECKey.parse(Json.write(Vectors.json("derived/jwe-ecdh-es-a256kw-p256.json")
                .get("recipient_private_jwk")));
        return TeeKeyPair.of(TeeKeyAlgorithm.EC_P256, new KeyPair(k.toECPublicKey(), k.toECPrivateKey()));
    }

    @Test
    void decryptsTheEcdhFixture() throws Exception {
        JsonNode v = Vectors.json("derived/jwe-ecdh-es-a256kw-p256.json");
        TeeKeyPair key = fixtureKey();
        assertThat(new String(key.decrypt(v.get("response")), StandardCharsets.UTF_8))
                .isEqualTo(v.get("plaintext_utf8").textValue());
        // The public JWK equals the fixture's tee-pubkey member for member.
        assertThat(key.publicJwk()).isEqualTo(Vectors.json("derived/runtime-data-binding.json").get("tee_pubkey"));
    }

    @Test
    void alteredProtectedHeaderIvOrExtraMembersAreRefused() throws Exception {
        JsonNode v = Vectors.json("derived/jwe-ecdh-es-a256kw-p256.json").get("response");
        TeeKeyPair key = fixtureKey();
        ObjectNode iv = v.deepCopy();
        iv.put("iv", "Ibw1Np4Y7uUBQ2vq");
        assertThatThrownBy(() -> key.decrypt(iv)).isInstanceOf(CiphertextException.class);
        ObjectNode aad = v.deepCopy();
        aad.put("aad", "eA");
        assertThatThrownBy(() -> key.decrypt(aad)).isInstanceOf(CiphertextException.class);
        ObjectNode missing = v.deepCopy();
        missing.remove("tag");
        assertThatThrownBy(() -> key.decrypt(missing)).isInstanceOf(CiphertextException.class);
    }

    @Test
    void rsaOaepAndLegacyRsa15RoundTrip() {
        TeeKeyPair key = TeeKeyPair.generate(TeeKeyAlgorithm.RSA_OAEP_256);
        byte[] msg = "resource".getBytes(StandardCharsets.UTF_8);
        assertThat(key.decrypt(ResourceResponses.encrypt(key.publicJwk(), msg))).isEqualTo(msg);
        ObjectNode legacy = (ObjectNode) key.publicJwk();
        legacy.put("alg", "RSA1_5");
        assertThat(key.decrypt(ResourceResponses.encrypt(legacy, msg))).isEqualTo(msg);
    }

    @Test
    void p521AndDestroy() {
        TeeKeyPair key = TeeKeyPair.generate(TeeKeyAlgorithm.EC_P521);
        assertThat(key.publicJwk().get("crv").textValue()).isEqualTo("P-521");
        assertThat(key.publicJwk().get("x").textValue()).hasSize(88); // 66 bytes, fixed length
        assertThat(key.publicJwk().has("d")).isFalse();
        byte[] msg = {1, 2, 3};
        JsonNode jwe = ResourceResponses.encrypt(key.publicJwk(), msg);
        assertThat(key.decrypt(jwe)).isEqualTo(msg);
        assertThat(key.toString()).doesNotContain(key.publicJwk().get("x").textValue());
        key.destroy();
        assertThat(key.isDestroyed()).isTrue();
        assertThatThrownBy(() -> key.decrypt(jwe)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void ecKeyRefusesRsaAlgorithms() {
        TeeKeyPair ec = TeeKeyPair.generate(TeeKeyAlgorithm.EC_P256);
        TeeKeyPair rsa = TeeKeyPair.generate(TeeKeyAlgorithm.RSA_OAEP_256);
        JsonNode forRsa = ResourceResponses.encrypt(rsa.publicJwk(), new byte[] {1});
        assertThatThrownBy(() -> ec.decrypt(forRsa)).isInstanceOf(CiphertextException.class);
    }
}
