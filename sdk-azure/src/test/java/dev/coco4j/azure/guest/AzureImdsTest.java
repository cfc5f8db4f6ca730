package dev.coco4j.azure.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.azure.Vectors;
import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.verify.AzSnpVtpmVerifier;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.sev.abi.SnpProduct;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link AzureImds} against a MockWebServer speaking IMDS's THIM and TD-quote endpoints, with answers built from the
 * real Azure vectors (the Milan VCEK chain, Trustee's az-tdx-vtpm TD quote). Azure IMDS itself cannot be reached here.
 */
class AzureImdsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant T = Instant.parse("2026-06-01T00:00:00Z");
    private MockWebServer imds;

    @BeforeEach
    void start() throws IOException {
        imds = new MockWebServer();
        imds.start();
    }

    @AfterEach
    void stop() throws IOException {
        imds.shutdown();
    }

    private AzureImds client(int attempts) {
        return AzureImds.builder().baseUrl("http://127.0.0.1:" + imds.getPort()).maxAttempts(attempts)
                .timeout(Duration.ofSeconds(2)).build();
    }

    /** THIM's answer for the Milan VM of the vectors: the VCEK, then ASK and ARK as the chain. */
    private static String thimAnswer() throws Exception {
        List<X509Certificate> certs = Certificates.parseAll(Vectors.bytes("sev/azure_milan_v2_vcek_chain.pem"));
        ObjectNode o = JSON.createObjectNode();
        o.put("vcekCert", Certificates.toPem(certs.get(0)));
        o.put("tcbm", "7308000000000003");
        o.put("certificateChain", Certificates.toPem(certs.get(1)) + Certificates.toPem(certs.get(2)));
        o.put("cacheControl", "86400");
        return o.toString();
    }

    @Test
    void thimVcekIsFetchedWithTheMetadataHeaderAndVerifiesTheRealHclReport() throws Exception {
        imds.enqueue(new MockResponse().setBody(thimAnswer()));
        AzureImds c = client(1);
        byte[] hclBytes = Vectors.bytes("sev/azure_milan_v2_hcl_report.bin");
        byte[] vcek = c.forReport(HclReport.parse(hclBytes));

        RecordedRequest r = imds.takeRequest(1, TimeUnit.SECONDS);
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getPath()).isEqualTo("/metadata/THIM/amd/certification");
        assertThat(r.getHeader("Metadata")).isEqualTo("true");
        assertThat(vcek).isEqualTo(Certificates.parseAll(Vectors.bytes("sev/azure_milan_v2_vcek_chain.pem")).get(0)
                .getEncoded());
        // what IMDS handed over is what the relying party then verifies to AMD's pinned root
        var verified = AzSnpVtpmVerifier.builder().clock(Clock.fixed(T, ZoneOffset.UTC)).product(SnpProduct.MILAN)
                .build().verifyHclReport(hclBytes, Certificates.parse(vcek));
        assertThat(verified.reportedTcb().toHex()).isEqualTo("7308000000000003");
    }

    @Test
    void thimCertificatesExposeTheChainAndTcbm() throws Exception {
        imds.enqueue(new MockResponse().setBody(thimAnswer()));
        AzureImds.ThimCertificates t = client(1).thimCertificates();
        assertThat(t.chain()).hasSize(2);
        assertThat(t.tcbm()).isEqualTo("7308000000000003");
        assertThat(t.vcek().getSubjectX500Principal().getName()).contains("SEV-VCEK");
    }

    @Test
    void tdReportIsPostedAsBase64UrlAndTheQuoteComesBack() throws Exception {
        byte[] quote = Vectors.bytes("tdx/az_tdx_vtpm_td_quote_v4_fmspc00806f050000.bin");
        imds.enqueue(new MockResponse().setBody("{\"quote\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(quote) + "\"}"));
        AzVtpmEvidence fixture = AzVtpmEvidence.parse(TeeType.AZ_TDX_VTPM,
                Vectors.bytes("kbs/az-tdx-vtpm-evidence-v1.json"));
        HclReport hcl = HclReport.parse(fixture.hclReport());

        assertThat(client(1).forReport(hcl)).isEqualTo(quote).isEqualTo(fixture.hardwareProof());
        RecordedRequest r = imds.takeRequest(1, TimeUnit.SECONDS);
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getPath()).isEqualTo("/acc/tdquote");
        assertThat(r.getHeader("Content-Type")).startsWith("application/json");
        String report = JSON.readTree(r.getBody().readUtf8()).get("report").asText();
        assertThat(report).doesNotContain("=", "+", "/");
        assertThat(Base64.getUrlDecoder().decode(report)).isEqualTo(hcl.tdReport()).hasSize(HclReport.TDREPORT_SIZE);
    }

    @Test
    void throttlingAndServerErrorsAreRetriedThenRefused() throws Exception {
        imds.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "0"));
        imds.enqueue(new MockResponse().setResponseCode(503));
        imds.enqueue(new MockResponse().setBody(thimAnswer()));
        assertThat(client(3).thimCertificates().chain()).hasSize(2);
        assertThat(imds.getRequestCount()).isEqualTo(3);

        for (int i = 0; i < 2; i++) {
            imds.enqueue(new MockResponse().setResponseCode(500));
        }
        assertThatThrownBy(() -> client(2).thimCertificates()).isInstanceOf(CollateralException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
    }

    @Test
    void aVmWithoutThimIsCollateralUnavailableWithoutRetrying() {
        imds.enqueue(new MockResponse().setResponseCode(404).setBody("{\"error\":\"not found\"}"));
        assertThatThrownBy(() -> client(4).thimCertificates()).isInstanceOf(CollateralException.class)
                .hasMessageContaining("HTTP 404")
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE);
        assertThat(imds.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aSlowImdsTimesOut() {
        imds.enqueue(new MockResponse().setBody("{}").setHeadersDelay(3, TimeUnit.SECONDS));
        imds.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.DISCONNECT_AT_START));
        AzureImds c = AzureImds.builder().baseUrl("http://127.0.0.1:" + imds.getPort()).maxAttempts(2)
                .timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(c::thimCertificates).isInstanceOf(CollateralException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
    }

    @Test
    void malformedAnswersAreCollateralInvalid() throws Exception {
        String[] bodies = {
            "<html>not json",
            "[1,2]",
            "{\"certificateChain\":\"\"}",
            "{\"vcekCert\":\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n\"}",
            "{\"vcekCert\":42}",
        };
        for (String body : bodies) {
            imds.enqueue(new MockResponse().setBody(body));
            assertThatThrownBy(() -> client(1).thimCertificates()).as(body).isInstanceOf(CollateralException.class)
                    .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.COLLATERAL_INVALID);
        }
        // two VCEKs where THIM sends one
        List<X509Certificate> certs = Certificates.parseAll(Vectors.bytes("sev/azure_milan_v2_vcek_chain.pem"));
        imds.enqueue(new MockResponse().setBody(JSON.createObjectNode()
                .put("vcekCert", Certificates.toPem(certs.get(0)) + Certificates.toPem(certs.get(1))).toString()));
        assertThatThrownBy(() -> client(1).thimCertificates()).isInstanceOf(CollateralException.class)
                .hasMessageContaining("2 certificates");

        byte[] tdReport = new byte[HclReport.TDREPORT_SIZE];
        for (String body : new String[] {"{}", "{\"quote\":\"***\"}", "{\"quote\":\"AAAA\"}", "{\"quote\":7}"}) {
            imds.enqueue(new MockResponse().setBody(body));
            assertThatThrownBy(() -> client(1).tdQuote(tdReport)).as(body).isInstanceOf(CollateralException.class)
                    .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.COLLATERAL_INVALID);
        }
        // an answer over the size cap is refused without being read whole
        imds.enqueue(new MockResponse().setBody("{\"vcekCert\":\"" + "A".repeat((1 << 20) + 16) + "\"}"));
        assertThatThrownBy(() -> client(1).thimCertificates()).isInstanceOf(CollateralException.class)
                .hasMessageContaining("over");
        assertThatThrownBy(() -> client(1).tdQuote(new byte[10])).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void plainHttpOnlyToTheImdsAddressOrLoopback() {
        assertThat(AzureImds.builder().baseUrl("http://169.254.169.254").build().toString())
                .isEqualTo("AzureImds[http://169.254.169.254/]");
        assertThat(AzureImds.builder().baseUrl("https://imds.example:8443").build()).isNotNull();
        for (String bad : new String[] {"http://10.0.0.4", "http://imds.example", "http://169.254.169.254/metadata",
                "not a url", "http://user@127.0.0.1:80"}) {
            assertThatThrownBy(() -> AzureImds.builder().baseUrl(bad)).as(bad)
                    .isInstanceOf(ConfigurationException.class);
        }
        assertThatThrownBy(() -> AzureImds.builder().maxAttempts(0)).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> AzureImds.builder().timeout(Duration.ZERO))
                .isInstanceOf(ConfigurationException.class);
    }
}
