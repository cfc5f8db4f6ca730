package dev.coco4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.coco4j.core.ReportData;
import dev.coco4j.kbs.evidence.SnpEvidenceSerializer;
import dev.coco4j.kbs.protocol.Challenge;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.testkit.junit.EmbeddedKbsTest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What an application test looks like: one annotation, injected KBS and attester, attest → release → decrypt. */
@EmbeddedKbsTest(resources = "default/key/app=c2VjcmV0LWtleQ==")
class ExtensionUsageTest {

    @Test
    void attestReleaseDecrypt(EmbeddedKbs kbs, SimulatedSnpAttester attester) throws Exception {
        ECKey teeKey = new ECKeyGenerator(Curve.P_256).generate();
        ObjectNode pub = KbsTestClient.teePubkey(teeKey);
        KbsTestClient client = new KbsTestClient(kbs);

        Challenge challenge = Challenge.fromJson(client.auth("snp").json());
        RuntimeDataBinding binding = RuntimeDataBinding.of(challenge, pub, "");
        var evidence = new SnpEvidenceSerializer().primaryEvidence(attester.attest(binding.reportData()), binding);
        assertThat(client.post("kbs/v0/attest", Flows.attestation(challenge.nonce(), pub, evidence)).status())
                .isEqualTo(200);

        byte[] key = KbsTestClient.decrypt(client.get("kbs/v0/resource/default/key/app", null).body(), teeKey);
        assertThat(new String(key, StandardCharsets.UTF_8)).isEqualTo("secret-key");
    }

    @Test
    void theSameKbsAndPlatformAreInjectedAcrossTheClass(EmbeddedKbs kbs, SimulatedSnpPlatform platform,
                                                        SimulatedSnpAttester attester) {
        assertThat(kbs.isHttps()).isTrue();
        assertThat(attester.platform()).isSameAs(platform);
        assertThat(attester.isAvailable()).isTrue();
        assertThat(attester.attest(ReportData.zero()).tee()).isEqualTo(dev.coco4j.core.TeeType.SNP);
        assertThat(kbs.caCertificatePem()).startsWith("-----BEGIN CERTIFICATE-----");
    }
}
