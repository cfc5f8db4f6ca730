package dev.coco4j.kbs.sealed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.ECKey;
import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.Vectors;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealedSecretTest {
    private final JsonNode v = Vectors.json("derived/sealed-secrets.json");
    private final String testKey = new String(Vectors.bytes("guest-components/sealed-secret/test-key.json"),
            StandardCharsets.UTF_8);

    private VerificationKeyResolver resolver() {
        return kid -> {
            assertThat(kid).isEqualTo("test-key");
            return VerificationKeyResolver.publicKey(testKey);
        };
    }

    @Test
    void validSealedSecretVerifies() {
        SealedSecret s = SealedSecret.verify(v.get("valid_signed_by_test_key").textValue(), resolver());
        assertThat(s.verified()).isTrue();
        assertThat(s.kid()).contains("test-key");
        assertThat(s.payload()).isEqualTo(v.get("expected_payload"));
        assertThat(s.payload()).isEqualTo(Vectors.json("guest-components/sealed-secret/vault-2.json"));
        assertThat(s.type()).isEqualTo("vault");
    }

    @Test
    void wrongKeyAndTamperingAreRefused() {
        for (String name : new String[] {"invalid_signed_by_test_key_2_with_kid_test_key", "invalid_tampered_payload"}) {
            assertThatThrownBy(() -> SealedSecret.verify(v.get(name).textValue(), resolver()))
                    .isInstanceOf(CiphertextException.class)
                    .satisfies(e -> assertThat(((CocoException) e).reason()).isEqualTo(Reason.SIGNATURE_INVALID));
        }
    }

    @Test
    void legacyUnsignedOnlyWithExplicitFlag() {
        String legacy = v.get("legacy_unsigned_accepted_only_with_SKIP_SEALED_SECRET_VERIFICATION_true").textValue();
        assertThatThrownBy(() -> SealedSecret.verify(legacy, resolver())).isInstanceOf(CiphertextException.class);
        assertThatThrownBy(() -> SealedSecret.parseUnverified(legacy, false))
                .isInstanceOf(ConfigurationException.class);
        SealedSecret s = SealedSecret.parseUnverified(legacy, true);
        assertThat(s.verified()).isFalse();
        assertThat(s.payload()).isEqualTo(v.get("expected_payload"));
        assertThatThrownBy(() -> s.unseal(null)).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void createdSecretsVerifyAndMatchTheFixturePayload() throws Exception {
        ECPrivateKey key = ECKey.parse(testKey).toECPrivateKey();
        String sealed = SealedSecret.sealVault("kbs:///one/2/trois", key, "test-key");
        assertThat(sealed).startsWith("sealed.");
        SealedSecret s = SealedSecret.verify(sealed, resolver());
        assertThat(s.payload()).isEqualTo(v.get("expected_payload"));
        assertThatThrownBy(() -> SealedSecret.sealVault("kbs:///only/two", key, "k"))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void directoryResolverRefusesTraversal(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("test-key"), testKey);
        VerificationKeyResolver r = VerificationKeyResolver.directory(dir);
        assertThat(SealedSecret.verify(v.get("valid_signed_by_test_key").textValue(), r).verified()).isTrue();
        assertThatThrownBy(() -> r.resolve("../test-key")).isInstanceOf(CiphertextException.class);
        assertThatThrownBy(() -> r.resolve("missing")).isInstanceOf(CiphertextException.class);
    }

    @Test
    void malformedInputIsTyped() {
        assertThatThrownBy(() -> SealedSecret.verify("sealed.a.b", resolver())).isInstanceOf(CiphertextException.class)
                .satisfies(e -> assertThat(((CocoException) e).reason()).isEqualTo(Reason.CIPHERTEXT_INVALID));
        assertThatThrownBy(() -> SealedSecret.verify("notsealed.a.b.c", resolver()))
                .isInstanceOf(CiphertextException.class);
    }
}
