package dev.coco4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.CocoException;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import dev.coco4j.testkit.junit.EmbeddedKbsTest;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import org.junit.jupiter.api.Test;

/** The real sdk-kbs-client KbsClient against the embedded KBS over HTTPS, with the simulated SNP attester. */
@EmbeddedKbsTest(resources = "default/key/app=c2VjcmV0LWtleQ==")
class KbsClientAgainstEmbeddedKbsTest {

    static KbsClient client(EmbeddedKbs kbs, SimulatedSnpAttester attester) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("embedded-kbs-ca", kbs.caCertificate());
        String url = kbs.baseUri().toString();
        return KbsClient.builder().baseUrl(url.substring(0, url.length() - 1)).trustStore(trust)
                .attester(attester).build();
    }

    @Test
    void attestReleaseDecrypt(EmbeddedKbs kbs, SimulatedSnpAttester attester) throws Exception {
        kbs.faults().reset();
        kbs.resourcePolicy(ResourcePolicy.trusteeDefault());
        try (KbsClient client = client(kbs, attester);
             KbsSecret secret = client.getResource("default/key/app")) {
            assertThat(new String(secret.bytes(), StandardCharsets.UTF_8)).isEqualTo("secret-key");
        }
    }

    @Test
    void policyDenyReachesTheClientAsARefusal(EmbeddedKbs kbs, SimulatedSnpAttester attester) throws Exception {
        kbs.faults().reset();
        kbs.resourcePolicy(ResourcePolicy.denyAll());
        try (KbsClient client = client(kbs, attester)) {
            assertThatThrownBy(() -> client.getResource("default/key/app")).isInstanceOf(CocoException.class)
                    .satisfies(e -> assertThat(((CocoException) e).reason().name()).isEqualTo("KEY_RELEASE_DENIED"));
        } finally {
            kbs.resourcePolicy(ResourcePolicy.trusteeDefault());
        }
    }

    @Test
    void corruptedJweIsRefusedByTheClient(EmbeddedKbs kbs, SimulatedSnpAttester attester) throws Exception {
        kbs.faults().reset().corruptJweTag(1);
        try (KbsClient client = client(kbs, attester)) {
            assertThatThrownBy(() -> client.getResource("default/key/app")).isInstanceOf(CocoException.class)
                    .satisfies(e -> assertThat(((CocoException) e).reason().name()).isEqualTo("CIPHERTEXT_INVALID"));
        } finally {
            kbs.faults().reset();
        }
    }
}
