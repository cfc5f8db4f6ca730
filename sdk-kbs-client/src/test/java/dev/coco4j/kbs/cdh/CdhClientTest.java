package dev.coco4j.kbs.cdh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.KbsSecret;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CdhClientTest {
    private MockWebServer server;
    private CdhClient client;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        String url = server.url("/").toString();
        client = CdhClient.builder().baseUrl(url.substring(0, url.length() - 1)).timeout(Duration.ofSeconds(5))
                .retries(2, Duration.ofMillis(1)).build();
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        server.shutdown();
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).isNotNull();
        return r;
    }

    @Test
    void defaultBaseUrlIsTheApiServerLoopbackBind() {
        try (CdhClient c = CdhClient.builder().build()) {
            assertThat(c.toString()).contains("http://127.0.0.1:8006/");
        }
        assertThat(CdhClient.DEFAULT_BASE_URL).isEqualTo("http://127.0.0.1:8006");
    }

    @Test
    void getsAResourceByUriAsPlaintextBytes() throws Exception {
        byte[] secret = {0, 1, 2, (byte) 0xff, 's', 'e', 'c'};
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/octet-stream")
                .setBody(new Buffer().write(secret)));
        try (KbsSecret s = client.getResource("kbs:///default/key/1")) {
            assertThat(s.bytes()).isEqualTo(secret);
            assertThat(s.path()).isEqualTo("default/key/1");
            assertThat(s.toString()).doesNotContain("sec").contains("7 bytes");
        }
        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getPath()).isEqualTo("/cdh/resource/default/key/1");
        assertThat(r.getHeader("Authorization")).isNull();
    }

    @Test
    void getsAResourceByPathAndBySegments() throws Exception {
        server.enqueue(new MockResponse().setBody("a"));
        server.enqueue(new MockResponse().setBody("b"));
        server.enqueue(new MockResponse().setBody("c"));
        client.getResource("repo/type/tag.v1").close();
        client.getResource("r_1", "t-2", "x").close();
        client.getResource("kbs://ignored-host:8080/default/cosign-key/1").close();
        assertThat(take().getPath()).isEqualTo("/cdh/resource/repo/type/tag.v1");
        assertThat(take().getPath()).isEqualTo("/cdh/resource/r_1/t-2/x");
        assertThat(take().getPath()).isEqualTo("/cdh/resource/default/cosign-key/1");
    }

    @Test
    void rejectsMalformedResourcePathsWithoutARequest() {
        for (String bad : new String[] {"a/b", "a/b/c/d", "../b/c", "a/.b/c", "a//c", "a/b/c?x=1", "kbs:///a/b"}) {
            assertThatThrownBy(() -> client.getResource(bad)).isInstanceOf(ConfigurationException.class)
                    .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.CONFIGURATION);
        }
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void mapsResourceStatusesToTypedErrors() {
        server.enqueue(new MockResponse().setResponseCode(404).setBody("resource not found"));
        assertThatThrownBy(() -> client.getResource("a/b/c")).isInstanceOf(KeyReleaseException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.RESOURCE_NOT_FOUND);
        server.enqueue(new MockResponse().setResponseCode(401));
        assertThatThrownBy(() -> client.getResource("a/b/c")).isInstanceOf(KeyReleaseException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.KEY_RELEASE_DENIED);
        server.enqueue(new MockResponse().setResponseCode(403).setBody("forbid external access"));
        assertThatThrownBy(() -> client.getResource("a/b/c")).isInstanceOf(KeyReleaseException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.KEY_RELEASE_DENIED);
        server.enqueue(new MockResponse().setResponseCode(400));
        assertThatThrownBy(() -> client.getResource("a/b/c")).isInstanceOf(KeyReleaseException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.CONFIGURATION);
    }

    @Test
    void retriesServerErrorsThenReportsUnavailable() {
        server.enqueue(new MockResponse().setResponseCode(500));
        server.enqueue(new MockResponse().setResponseCode(503));
        assertThatThrownBy(() -> client.getResource("a/b/c")).isInstanceOf(KeyReleaseException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void recoversFromOneServerError() {
        server.enqueue(new MockResponse().setResponseCode(502));
        server.enqueue(new MockResponse().setBody("ok"));
        try (KbsSecret s = client.getResource("a/b/c")) {
            assertThat(s.bytes()).isEqualTo("ok".getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void getsAnAttestationTokenWithoutShowingIt() throws Exception {
        server.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
                .setBody("{\"token\":\"eyJhbGciOiJFUzI1NiJ9.e30.c2ln\",\"tee_keypair\":\"-----BEGIN PRIVATE KEY-----"
                        + "\\nMIIsecret\\n-----END PRIVATE KEY-----\\n\"}"));
        AttestationAgentToken t = client.attestationToken("kbs");
        assertThat(t.token()).isEqualTo("eyJhbGciOiJFUzI1NiJ9.e30.c2ln");
        assertThat(t.teeKeyPairPem()).get().asString().contains("MIIsecret");
        assertThat(t.tokenType()).isEqualTo("kbs");
        assertThat(t.toString()).doesNotContain("eyJ").doesNotContain("MIIsecret").doesNotContain("PRIVATE");
        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getPath()).isEqualTo("/aa/token?token_type=kbs");
    }

    @Test
    void tokenWithoutKeyPairAndTokenErrors() {
        server.enqueue(new MockResponse().setBody("{\"token\":\"abc\"}"));
        assertThat(client.attestationToken("coco_as").teeKeyPairPem()).isEmpty();
        server.enqueue(new MockResponse().setBody("{\"tee_keypair\":\"k\"}"));
        assertThatThrownBy(() -> client.attestationToken("kbs")).isInstanceOf(KeyReleaseException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
        server.enqueue(new MockResponse().setResponseCode(400).setBody("bad request for invalid token type"));
        assertThatThrownBy(() -> client.attestationToken("nope")).isInstanceOf(KeyReleaseException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.CONFIGURATION);
        server.enqueue(new MockResponse().setResponseCode(404));
        assertThatThrownBy(() -> client.attestationToken("kbs")).isInstanceOf(KeyReleaseException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.RESOURCE_NOT_FOUND);
        assertThatThrownBy(() -> client.attestationToken("kbs&x=1")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> client.attestationToken("")).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void sendsRuntimeDataAsBase64UrlWithoutPadding() throws Exception {
        server.enqueue(new MockResponse().setBody("{\"report_data\":\"eHh4eA==\",\"svn\":\"1\"}"));
        // standard base64 of these bytes is "+/+/AQ==": the URL-safe, unpadded form must be sent
        byte[] evidence = client.evidence(new byte[] {(byte) 0xfb, (byte) 0xff, (byte) 0xbf, 1});
        assertThat(new String(evidence, StandardCharsets.UTF_8)).contains("report_data");
        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("GET");
        assertThat(r.getPath()).isEqualTo("/aa/evidence?runtime_data=-_-_AQ&encoding=base64");
    }

    @Test
    void sendsRawRuntimeDataWithoutEncoding() throws Exception {
        server.enqueue(new MockResponse().setBody("{}"));
        client.evidence("xxxx");
        assertThat(take().getPath()).isEqualTo("/aa/evidence?runtime_data=xxxx");
        server.enqueue(new MockResponse().setBody("{}"));
        client.evidence("a b&c");
        assertThat(take().getRequestUrl().queryParameter("runtime_data")).isEqualTo("a b&c");
    }

    @Test
    void mapsEvidenceFailuresToCollateralErrors() {
        server.enqueue(new MockResponse().setResponseCode(404));
        assertThatThrownBy(() -> client.evidence(new byte[32])).isInstanceOf(CollateralException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.RESOURCE_NOT_FOUND);
        server.enqueue(new MockResponse().setResponseCode(500));
        server.enqueue(new MockResponse().setResponseCode(500));
        assertThatThrownBy(() -> client.evidence(new byte[32])).isInstanceOf(CollateralException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
        server.enqueue(new MockResponse().setResponseCode(403));
        assertThatThrownBy(() -> client.evidence(new byte[32])).isInstanceOf(CollateralException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.KEY_RELEASE_DENIED);
        server.enqueue(new MockResponse().setBody(""));
        assertThatThrownBy(() -> client.evidence(new byte[32])).isInstanceOf(CollateralException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
    }

    @Test
    void unreachableServerIsUnavailable() throws Exception {
        server.shutdown();
        assertThatThrownBy(() -> client.getResource("a/b/c")).isInstanceOf(KeyReleaseException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
        assertThatThrownBy(() -> client.evidence(new byte[1])).isInstanceOf(CollateralException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
    }

    @Test
    void refusesPlainHttpBeyondLoopbackAndUntrustedHttps() {
        assertThatThrownBy(() -> CdhClient.builder().baseUrl("http://10.0.0.1:8006").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> CdhClient.builder().baseUrl("http://cdh.example:8006").build())
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> CdhClient.builder().baseUrl("https://127.0.0.1:8006").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("trust");
        assertThatThrownBy(() -> CdhClient.builder().baseUrl("http://127.0.0.1:8006/cdh").build())
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> CdhClient.builder().baseUrl("not a url").build())
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> CdhClient.builder().timeout(Duration.ZERO)).isInstanceOf(ConfigurationException.class);
        CdhClient.builder().baseUrl("http://[::1]:8006").build().close();
        CdhClient.builder().baseUrl("http://localhost:8006").build().close();
    }
}
