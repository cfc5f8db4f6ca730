package dev.coco4j.samples.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.testkit.EmbeddedKbs;
import dev.coco4j.testkit.SimulatedSnpAttester;
import dev.coco4j.testkit.junit.EmbeddedKbsTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application test with the testkit: one annotation starts an HTTPS KBS on loopback holding the resource (base64
 * of {@code sk-test-123}) and trusting a simulated SEV-SNP CPU; the test gets the KBS and that CPU's attester injected.
 */
@EmbeddedKbsTest(resources = "default/app/api-key=c2stdGVzdC0xMjM=")
class ApiKeyProviderTest {

    static KbsClient client(EmbeddedKbs kbs, SimulatedSnpAttester attester, Path tmp) throws IOException {
        Path ca = Files.writeString(tmp.resolve("kbs-ca.pem"), kbs.caCertificatePem());
        String url = kbs.baseUri().toString();
        return KbsClient.builder().baseUrl(url.substring(0, url.length() - 1)).trustCaFile(ca).attester(attester)
                .build();
    }

    @Test
    void theAttestedApplicationGetsItsApiKey(EmbeddedKbs kbs, SimulatedSnpAttester attester, @TempDir Path tmp)
            throws IOException {
        try (KbsClient c = client(kbs, attester, tmp)) {
            ApiKeyProvider p = new ApiKeyProvider(c, "default/app/api-key");
            assertThat(p.apiKey()).isEqualTo("sk-test-123");
            assertThat(p.toString()).doesNotContain("sk-test");
        }
    }

    @Test
    void aMissingResourceIsATypedRefusal(EmbeddedKbs kbs, SimulatedSnpAttester attester, @TempDir Path tmp)
            throws IOException {
        try (KbsClient c = client(kbs, attester, tmp)) {
            CocoException e = catchThrowableOfType(CocoException.class,
                    () -> new ApiKeyProvider(c, "default/app/other").apiKey());
            assertThat(e.reason()).isEqualTo(Reason.RESOURCE_NOT_FOUND);
        }
    }

    @Test
    void aCpuTheKbsDoesNotTrustGetsNothing(EmbeddedKbs kbs, @TempDir Path tmp) throws IOException {
        SimulatedSnpAttester stranger = new SimulatedSnpAttester(SimulatedSnpPlatform.builder().build());
        try (KbsClient c = client(kbs, stranger, tmp)) {
            CocoException e = catchThrowableOfType(CocoException.class,
                    () -> new ApiKeyProvider(c, "default/app/api-key").apiKey());
            assertThat(e).isNotNull();
            assertThat(e.reason()).isNotEqualTo(Reason.RESOURCE_NOT_FOUND);
        }
    }
}
