package dev.coco4j.kbs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.protocol.Attestation;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A {@link KbsClient} given an Azure vTPM attester (as {@code Attesters.detect()} returns on an Azure confidential VM)
 * picks the az-*-vtpm evidence serialiser by itself: the RCAR request names the TEE, the attester is asked to bind
 * the runtime-data digest, and the Trustee fixture goes out as the primary evidence unchanged.
 */
class AzureTeeKbsClientTest {

    @ParameterizedTest
    @CsvSource({"az-snp-vtpm, trustee/evidence/az-snp-vtpm-evidence-v1.json",
            "az-tdx-vtpm, trustee/evidence/az-tdx-vtpm-evidence-v1.json"})
    void azureAttesterIsSerialisedAsTrusteeExpects(String tee, String fixture) throws Exception {
        TeeType t = TeeType.fromId(tee);
        byte[] evidence = Vectors.bytes(fixture);
        AtomicReference<ReportData> asked = new AtomicReference<>();
        Attester azure = new Attester() {
            @Override
            public TeeType teeType() {
                return t;
            }

            @Override
            public boolean isAvailable() {
                return true;
            }

            @Override
            public String describeAvailability() {
                return "fixture";
            }

            @Override
            public Evidence attest(ReportData reportData) {
                asked.set(reportData);
                return Evidence.of(t, evidence);
            }
        };
        ScriptedKbs kbs = new ScriptedKbs();
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(kbs);
            server.start(java.net.InetAddress.getLoopbackAddress(), 0);
            try (KbsClient c = KbsClient.builder().baseUrl("http://127.0.0.1:" + server.getPort()).attester(azure)
                    .timeout(Duration.ofSeconds(5)).build()) {
                // the scripted KBS verifies only sample evidence: the fixture is refused, after it was sent
                assertThatThrownBy(() -> c.getResource("default/key/one"))
                        .satisfies(e -> assertThat(((CocoException) e).reason()).isEqualTo(Reason.KEY_RELEASE_DENIED));
            }
        }
        assertThat(kbs.lastAuthTee).isEqualTo(tee);
        JsonNode body = Json.parse(kbs.lastAttestBody, "attestation");
        assertThat(body.at("/tee-evidence/primary_evidence")).isEqualTo(Json.parse(evidence, "fixture"));
        Attestation att = Attestation.fromJson(body);
        RuntimeDataBinding b = new RuntimeDataBinding(dev.coco4j.core.ReportData.HashAlgorithm.SHA384,
                att.runtimeData().nonce(), att.runtimeData().teePubkey(), att.teeEvidence().additionalEvidence());
        assertThat(asked.get()).isEqualTo(ReportData.of(b.primaryDigest()));
    }
}
