package dev.coco4j.kbs.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.protocol.ErrorInformation;
import dev.coco4j.kbs.protocol.ErrorType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KbsAdminClientTest {
    private static final String TOKEN = "eyJhbGciOiJFZERTQSJ9.eyJyb2xlIjoiYWRtaW4ifQ.c2VjcmV0LXNpZw";
    // "???" and "~~~" are "Pz8/" and "fn5+" in standard base64; 31 bytes would need one '=' of padding
    private static final String REGO = "package policy\n# ???~~~\ndefault allow := true\n";

    private MockWebServer server;
    private KbsAdminClient client;
    private String baseUrl;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        String url = server.url("/").toString();
        baseUrl = url.substring(0, url.length() - 1);
        client = KbsAdminClient.builder().baseUrl(baseUrl).adminToken(TOKEN).timeout(Duration.ofSeconds(5))
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

    private static MockResponse error(ErrorType t, String detail) {
        return new MockResponse().setResponseCode(t.httpStatus()).setHeader("Content-Type", "application/json")
                .setBody(Json.write(ErrorInformation.of(t, detail).toJson()));
    }

    private static Reason reasonOf(Throwable e) {
        return ((CocoException) e).reason();
    }

    @Test
    void setsAResourceAsRawBytesWithTheAdminBearer() throws Exception {
        byte[] bytes = {0, (byte) 0xff, 'k', 'e', 'y', '\n'};
        server.enqueue(new MockResponse());
        client.setResource("kbs:///default/key/1", bytes);
        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getPath()).isEqualTo("/kbs/v0/resource/default/key/1");
        assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(r.getHeader("Content-Type")).startsWith("application/octet-stream");
        assertThat(r.getBody().readByteArray()).isEqualTo(bytes);
    }

    @Test
    void deletesAResource() throws Exception {
        server.enqueue(new MockResponse());
        client.deleteResource("my-repo/cosign/pub.v2");
        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("DELETE");
        assertThat(r.getPath()).isEqualTo("/kbs/v0/resource/my-repo/cosign/pub.v2");
        assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(r.getBodySize()).isZero();
    }

    @Test
    void setsTheResourcePolicyAsBase64UrlWithoutPadding() throws Exception {
        server.enqueue(new MockResponse());
        client.setResourcePolicy(REGO);
        RecordedRequest r = take();
        assertThat(r.getMethod()).isEqualTo("POST");
        assertThat(r.getPath()).isEqualTo("/kbs/v0/resource-policy");
        assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        assertThat(r.getHeader("Content-Type")).startsWith("application/json");
        JsonNode body = Json.parse(r.getBody().readUtf8(), "body");
        assertThat(body.size()).isEqualTo(1);
        String policy = body.get("policy").textValue();
        assertThat(policy).isEqualTo(Base64.getUrlEncoder().withoutPadding()
                .encodeToString(REGO.getBytes(StandardCharsets.UTF_8)));
        assertThat(policy).doesNotContain("+", "/", "=").contains("_", "-");
        assertThat(new String(Base64.getUrlDecoder().decode(policy), StandardCharsets.UTF_8)).isEqualTo(REGO);
        assertThat(Base64.getEncoder().encodeToString(REGO.getBytes(StandardCharsets.UTF_8))).contains("+", "/",
                "=");
    }

    @Test
    void setsAnAttestationPolicy() throws Exception {
        server.enqueue(new MockResponse());
        server.enqueue(new MockResponse());
        client.setAttestationPolicy(KbsAdminClient.DEFAULT_ATTESTATION_POLICY_ID, "rego", REGO);
        client.setAttestationPolicy("default_gpu", REGO);
        for (String id : new String[] {"default_cpu", "default_gpu"}) {
            RecordedRequest r = take();
            assertThat(r.getMethod()).isEqualTo("POST");
            assertThat(r.getPath()).isEqualTo("/kbs/v0/attestation-policy");
            assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
            JsonNode body = Json.parse(r.getBody().readUtf8(), "body");
            assertThat(body.get("type").textValue()).isEqualTo("rego");
            assertThat(body.get("policy_id").textValue()).isEqualTo(id);
            assertThat(body.get("policy").textValue()).isEqualTo(Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(REGO.getBytes(StandardCharsets.UTF_8)));
        }
        assertThatThrownBy(() -> client.setAttestationPolicy("a/b", "rego", REGO))
                .isInstanceOf(ConfigurationException.class);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void mapsAdminAuthRefusalsWithoutShowingTheToken() {
        server.enqueue(error(ErrorType.ADMIN_AUTH_ACCESS, "Admin auth error: unauthorized"));
        assertThatThrownBy(() -> client.setResourcePolicy(REGO)).isInstanceOf(KeyReleaseException.class)
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.KEY_RELEASE_DENIED))
                .hasMessageContaining("AdminAuthAccess").message().doesNotContain(TOKEN).doesNotContain("c2VjcmV0");
        server.enqueue(error(ErrorType.ADMIN_AUTH_INITIALIZATION, "failed to initialize [admin] configuration"));
        assertThatThrownBy(() -> client.setResource("a/b/c", new byte[] {1})).isInstanceOf(KeyReleaseException.class)
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.KEY_RELEASE_DENIED))
                .message().doesNotContain(TOKEN);
        server.enqueue(new MockResponse().setResponseCode(401));
        assertThatThrownBy(() -> client.deleteResource("a/b/c")).isInstanceOf(KeyReleaseException.class)
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.KEY_RELEASE_DENIED));
    }

    @Test
    void mapsNotFoundPolicyErrorsAndServerErrors() {
        server.enqueue(error(ErrorType.INVALID_REQUEST_PATH, "invalid path"));
        assertThatThrownBy(() -> client.setResource("a/b/c", new byte[] {1}))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.RESOURCE_NOT_FOUND));
        server.enqueue(new MockResponse().setResponseCode(404));
        assertThatThrownBy(() -> client.deleteResource("a/b/c"))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.RESOURCE_NOT_FOUND));
        server.enqueue(error(ErrorType.PLUGIN_INTERNAL_ERROR, "resource not found"));
        assertThatThrownBy(() -> client.deleteResource("a/b/c"))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.RESOURCE_NOT_FOUND));
        server.enqueue(error(ErrorType.PLUGIN_INTERNAL_ERROR, "storage write failed"));
        assertThatThrownBy(() -> client.setResource("a/b/c", new byte[] {1}))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.SERVICE_UNAVAILABLE));
        server.enqueue(error(ErrorType.PARSE_POLICY_ERROR, "rego parse error"));
        assertThatThrownBy(() -> client.setResourcePolicy("not rego"))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.CONFIGURATION))
                .hasMessageContaining("rego parse error");
        server.enqueue(new MockResponse().setResponseCode(400));
        assertThatThrownBy(() -> client.setAttestationPolicy("default_cpu", "rego", "x"))
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.CONFIGURATION));
        server.enqueue(new MockResponse().setResponseCode(500));
        server.enqueue(new MockResponse().setResponseCode(503));
        assertThatThrownBy(() -> client.setResourcePolicy(REGO)).isInstanceOf(KeyReleaseException.class)
                .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(Reason.SERVICE_UNAVAILABLE));
        assertThat(server.getRequestCount()).isEqualTo(8);
    }

    @Test
    void rejectsBadResourcePathsWithoutARequest() {
        assertThatThrownBy(() -> client.setResource("a/b", new byte[1])).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> client.deleteResource("../etc/passwd")).isInstanceOf(ConfigurationException.class);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void neverShowsTheAdminToken() {
        assertThat(client.toString()).doesNotContain(TOKEN).contains("not shown");
        KbsAdminClient.Builder b = KbsAdminClient.builder().baseUrl(baseUrl).adminToken(TOKEN);
        assertThat(b.toString()).doesNotContain(TOKEN).contains("set");
    }

    @Test
    void readsTheAdminTokenFromAFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("token");
        Files.writeString(f, TOKEN + "\n");
        server.enqueue(new MockResponse());
        try (KbsAdminClient c = KbsAdminClient.builder().baseUrl(baseUrl).adminTokenFile(f).build()) {
            c.deleteResource("a/b/c");
        }
        assertThat(take().getHeader("Authorization")).isEqualTo("Bearer " + TOKEN);
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "\n");
        assertThatThrownBy(() -> KbsAdminClient.builder().adminTokenFile(empty))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> KbsAdminClient.builder().adminTokenFile(dir.resolve("missing")))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void refusesIncompleteOrInsecureConfiguration() {
        assertThatThrownBy(() -> KbsAdminClient.builder().baseUrl(baseUrl).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("admin token");
        assertThatThrownBy(() -> KbsAdminClient.builder().adminToken(TOKEN).build())
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> KbsAdminClient.builder().baseUrl("http://kbs.example:8080").adminToken(TOKEN)
                .build()).isInstanceOf(ConfigurationException.class).hasMessageContaining("loopback");
        assertThatThrownBy(() -> KbsAdminClient.builder().baseUrl("https://kbs.example:8080").adminToken(TOKEN)
                .build()).isInstanceOf(ConfigurationException.class).hasMessageContaining("trust");
        assertThatThrownBy(() -> KbsAdminClient.builder().baseUrl("http://127.0.0.1:8080/kbs/v0")
                .adminToken(TOKEN).build()).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> KbsAdminClient.builder().adminToken("has space"))
                .isInstanceOf(ConfigurationException.class).message().doesNotContain("has space");
        assertThatThrownBy(() -> KbsAdminClient.builder().adminToken(" "))
                .isInstanceOf(ConfigurationException.class);
        KbsAdminClient.builder().baseUrl("https://kbs.example:8080").adminToken(TOKEN).systemTrust().build().close();
    }
}
