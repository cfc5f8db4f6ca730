package dev.coco4j.samples.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.envelope.EnvelopeCipher;
import dev.coco4j.core.envelope.LocalKeyEncryptionKey;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.sealed.SealedSecret;
import dev.coco4j.kbs.sealed.VerificationKeyResolver;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.testkit.EmbeddedKbs;
import dev.coco4j.testkit.SimulatedSnpAttester;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the workload against the testkit's KBS over HTTPS with a simulated SEV-SNP CPU: the data owner registers the
 * keys, seals the model key and encrypts model and input; the workload attests, decrypts, infers and encrypts.
 */
class ConfidentialInferenceTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String MODEL_KEY = "default/model/key";
    static final String PHI_KEY = "default/phi/kek";
    static final SimulatedSnpPlatform CPU = SimulatedSnpPlatform.builder().build();
    static final byte[] MODEL_KEY_BYTES = random();
    static final byte[] PHI_KEY_BYTES = random();
    static EmbeddedKbs kbs;

    @TempDir
    static Path dir;
    static ECKey signer;
    static String sealed;

    static byte[] random() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return b;
    }

    @BeforeAll
    static void dataOwnerPreparesKeysAndData() throws Exception {
        kbs = EmbeddedKbs.builder().trustSnpRoots(CPU.trustRoots())
                .resource(MODEL_KEY, MODEL_KEY_BYTES).resource(PHI_KEY, PHI_KEY_BYTES).start();
        Files.writeString(dir.resolve("kbs-ca.pem"), kbs.caCertificatePem());

        signer = new ECKeyGenerator(Curve.P_256).keyID("model-owner").generate();
        Files.createDirectories(dir.resolve("keys"));
        Files.writeString(dir.resolve("keys/model-owner"), signer.toPublicJWK().toJSONString());
        sealed = SealedSecret.sealVault("kbs:///" + MODEL_KEY, signer.toECPrivateKey(), "model-owner");

        byte[] model = "{\"name\":\"bp-threshold-v1\",\"threshold_mmhg\":140}".getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("model.enc"), EnvelopeCipher.builder()
                .kek(LocalKeyEncryptionKey.of("kbs:///" + MODEL_KEY, MODEL_KEY_BYTES)).build()
                .encrypt(model, ConfidentialInference.MODEL_CONTEXT));
        byte[] input = ("[{\"patient\":\"Patient/1\",\"systolic\":128},{\"patient\":\"Patient/2\",\"systolic\":151},"
                + "{\"patient\":\"Patient/3\",\"systolic\":140}]").getBytes(StandardCharsets.UTF_8);
        Files.write(dir.resolve("input.enc"), EnvelopeCipher.builder()
                .kek(LocalKeyEncryptionKey.of("kbs:///" + PHI_KEY, PHI_KEY_BYTES)).build()
                .encrypt(input, ConfidentialInference.INPUT_CONTEXT));
    }

    @AfterAll
    static void stop() {
        kbs.close();
    }

    static KbsClient client(Attester attester) {
        String url = kbs.baseUri().toString();
        return KbsClient.builder().baseUrl(url.substring(0, url.length() - 1)).trustCaFile(dir.resolve("kbs-ca.pem"))
                .attester(attester).build();
    }

    @Test
    void anAttestedWorkloadDecryptsInfersAndEncryptsItsOutput() throws Exception {
        Path out = dir.resolve("output.enc");
        try (KbsClient c = client(new SimulatedSnpAttester(CPU))) {
            ConfidentialInference.Summary s = ConfidentialInference.run(c, sealed,
                    VerificationKeyResolver.directory(dir.resolve("keys")), PHI_KEY, dir.resolve("model.enc"),
                    dir.resolve("input.enc"), out);
            assertThat(s).isEqualTo(new ConfidentialInference.Summary("bp-threshold-v1", 3, 2));
        }
        byte[] encrypted = Files.readAllBytes(out);
        assertThat(new String(encrypted, StandardCharsets.ISO_8859_1)).doesNotContain("Patient/2");
        JsonNode result = JSON.readTree(EnvelopeCipher.builder()
                .kek(LocalKeyEncryptionKey.of("kbs:///" + PHI_KEY, PHI_KEY_BYTES)).build()
                .decrypt(encrypted, ConfidentialInference.OUTPUT_CONTEXT));
        assertThat(result.toString()).isEqualTo("[{\"patient\":\"Patient/1\",\"risk\":\"normal\"},"
                + "{\"patient\":\"Patient/2\",\"risk\":\"high\"},{\"patient\":\"Patient/3\",\"risk\":\"high\"}]");
    }

    @Test
    void aCpuTheKbsDoesNotTrustGetsNoKeyAndWritesNothing() {
        SimulatedSnpPlatform stranger = SimulatedSnpPlatform.builder().build();
        Path out = dir.resolve("refused.enc");
        try (KbsClient c = client(new SimulatedSnpAttester(stranger))) {
            CocoException e = catchThrowableOfType(CocoException.class, () -> ConfidentialInference.run(c, sealed,
                    VerificationKeyResolver.directory(dir.resolve("keys")), PHI_KEY, dir.resolve("model.enc"),
                    dir.resolve("input.enc"), out));
            assertThat(e).isNotNull();
            assertThat(e.reason()).isIn(Reason.KEY_RELEASE_DENIED, Reason.CHAIN_INVALID, Reason.SIGNATURE_INVALID);
        }
        assertThat(out).doesNotExist();
    }

    @Test
    void aSealedSecretSignedByAnotherKeyIsRefusedBeforeAnyFetch() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).keyID("model-owner").generate();
        String forged = SealedSecret.sealVault("kbs:///" + PHI_KEY, other.toECPrivateKey(), "model-owner");
        try (KbsClient c = client(new SimulatedSnpAttester(CPU))) {
            CocoException e = catchThrowableOfType(CocoException.class, () -> ConfidentialInference.run(c, forged,
                    VerificationKeyResolver.directory(dir.resolve("keys")), PHI_KEY, dir.resolve("model.enc"),
                    dir.resolve("input.enc"), dir.resolve("forged.enc")));
            assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_INVALID);
        }
        assertThat(dir.resolve("forged.enc")).doesNotExist();
    }
}
