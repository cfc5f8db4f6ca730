package dev.coco4j.kbs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData.HashAlgorithm;
import dev.coco4j.kbs.evidence.InsecureSampleAttester;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.internal.TeeKeyPair;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KbsClientTest {
    private static final byte[] SECRET = "top secret key material".getBytes(StandardCharsets.UTF_8);

    private MockWebServer server;
    private ScriptedKbs kbs;

    @BeforeEach
    void start() throws IOException {
        kbs = new ScriptedKbs();
        kbs.resources.put("default/key/one", SECRET);
        server = new MockWebServer();
        server.setDispatcher(kbs);
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    private String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    private KbsClient.Builder client() {
        return KbsClient.builder().baseUrl(url()).attester(new InsecureSampleAttester())
                .timeout(Duration.ofSeconds(5)).retries(3, Duration.ofMillis(10));
    }

    @Test
    void happyPathWithSampleEvidenceOverLoopbackHttp() {
        try (KbsClient c = client().build(); KbsSecret s = c.getResource("default/key/one")) {
            assertThat(s.bytes()).isEqualTo(SECRET);
            assertThat(s.toString()).doesNotContain("top secret").contains("default/key/one");
        }
        assertThat(kbs.auths.get()).isEqualTo(1);
        assertThat(kbs.attests.get()).isEqualTo(1);
        assertThat(kbs.lastAttestCookie).matches("kbs-session-id=[0-9a-f]{32}");
        JsonNode att = Json.parse(kbs.lastAttestBody, "att");
        assertThat(att.get("init-data").isNull()).isTrue();
        assertThat(att.at("/tee-evidence/additional_evidence").textValue()).isEmpty();
        assertThat(att.at("/runtime-data/tee-pubkey/crv").textValue()).isEqualTo("P-256");
        assertThat(att.at("/runtime-data/tee-pubkey/alg").textValue()).isEqualTo("ECDH-ES+A256KW");
    }

    @Test
    void destroyedSecretRefusesAccess() {
        try (KbsClient c = client().build()) {
            KbsSecret s = c.getResource("default", "key", "one");
            s.close();
            assertThat(s.isDestroyed()).isTrue();
            assertThatThrownBy(s::bytes).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void everyTeeKeyAlgorithmWorks() {
        for (TeeKeyAlgorithm alg : TeeKeyAlgorithm.values()) {
            try (KbsClient c = client().teeKeyAlgorithm(alg).build(); KbsSecret s = c.getResource("default/key/one")) {
                assertThat(s.bytes()).isEqualTo(SECRET);
            }
        }
    }

    @Test
    void tokenIsReusedAcrossFetches() {
        try (KbsClient c = client().build()) {
            for (int i = 0; i < 10; i++) {
                c.getResource("default/key/one").close();
            }
        }
        assertThat(kbs.auths.get()).isEqualTo(1);
        assertThat(kbs.attests.get()).isEqualTo(1);
        assertThat(kbs.resourceGets.get()).isEqualTo(10);
    }

    @Test
    void sixtyFourThreadsShareOneHandshake() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try (KbsClient c = client().build()) {
            List<Callable<byte[]>> tasks = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                tasks.add(() -> {
                    try (KbsSecret s = c.getResource("default/key/one")) {
                        return s.bytes();
                    }
                });
            }
            for (Future<byte[]> f : pool.invokeAll(tasks)) {
                assertThat(f.get()).isEqualTo(SECRET);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(kbs.auths.get()).isEqualTo(1);
        assertThat(kbs.attests.get()).isEqualTo(1);
    }

    @Test
    void serverSideExpiredTokenCausesExactlyOneReattestation() {
        kbs.refuseTokens.set(1);
        try (KbsClient c = client().build(); KbsSecret s = c.getResource("default/key/one")) {
            assertThat(s.bytes()).isEqualTo(SECRET);
        }
        assertThat(kbs.attests.get()).isEqualTo(2);
    }

    @Test
    void persistentTokenRefusalDoesNotLoop() {
        kbs.refuseTokens.set(100);
        try (KbsClient c = client().build()) {
            assertThatThrownBy(() -> c.getResource("default/key/one")).isInstanceOf(KeyReleaseException.class)
                    .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.KEY_RELEASE_DENIED);
        }
        assertThat(kbs.attests.get()).isEqualTo(2);
    }

    @Test
    void clientSideExpiryRunsANewHandshake() {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2030-01-01T00:00:00Z"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        kbs.clock = clock;
        try (KbsClient c = client().clock(clock).build()) {
            c.getResource("default/key/one").close();
            now.set(now.get().plus(Duration.ofMinutes(4)));
            c.getResource("default/key/one").close();
            assertThat(kbs.auths.get()).isEqualTo(1);
            now.set(now.get().plus(Duration.ofSeconds(40))); // within the 30 s skew of exp
            c.getResource("default/key/one").close();
        }
        assertThat(kbs.auths.get()).isEqualTo(2);
    }

    @Test
    void policyDenyNeverLoops() {
        kbs.policyDeny = true;
        try (KbsClient c = client().build()) {
            assertThatThrownBy(() -> c.getResource("default/key/one")).isInstanceOf(KeyReleaseException.class)
                    .satisfies(e -> assertThat(((CocoException) e).reason()).isEqualTo(Reason.KEY_RELEASE_DENIED))
                    .hasMessageNotContaining("top secret");
        }
        assertThat(kbs.attests.get()).isEqualTo(1);
        assertThat(kbs.resourceGets.get()).isEqualTo(1);
    }

    @Test
    void missingResourceIsNotFound() {
        try (KbsClient c = client().build()) {
            assertThatThrownBy(() -> c.getResource("default/key/none"))
                    .satisfies(e -> assertThat(((CocoException) e).reason()).isEqualTo(Reason.RESOURCE_NOT_FOUND));
            kbs.missingAs404 = true;
            assertThatThrownBy(() -> c.getResource("default/key/none"))
                    .satisfies(e -> assertThat(((CocoException) e).reason()).isEqualTo(Reason.RESOURCE_NOT_FOUND));
        }
        assertThat(kbs.attests.get()).isEqualTo(1);
    }

    @Test
    void protocolVersionMismatch() {
        try (KbsClient c = client().protocolVersion("0.1.1").build()) {
            assertThatThrownBy(() -> c.getResource("default/key/one")).satisfies(e -> assertThat(
                    ((CocoException) e).reason()).isEqualTo(Reason.PROTOCOL_VERSION_MISMATCH));
        }
        assertThat(kbs.attests.get()).isZero();
    }

    @Test
    void serviceUnavailableThenSuccess() {
        kbs.fail5xx.set(2);
        try (KbsClient c = client().build(); KbsSecret s = c.getResource("default/key/one")) {
            assertThat(s.bytes()).isEqualTo(SECRET);
        }
    }

    @Test
    void persistentServerErrorIsServiceUnavailable() {
        kbs.fail5xx.set(1000);
        try (KbsClient c = client().build()) {
            assertThatThrownBy(() -> c.getResource("default/key/one")).satisfies(e -> assertThat(
                    ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE));
        }
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void slowServerTimesOut() {
        kbs.authDelayMs = 1500;
        try (KbsClient c = client().timeout(Duration.ofMillis(200)).retries(2, Duration.ofMillis(1)).build()) {
            assertThatThrownBy(() -> c.getResource("default/key/one")).satisfies(e -> assertThat(
                    ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE));
        }
    }

    @Test
    void malformedJsonIsTyped() {
        kbs.malformedChallenge = true;
        try (KbsClient c = client().build()) {
            assertThatThrownBy(() -> c.getResource("default/key/one")).isInstanceOf(KeyReleaseException.class)
                    .hasMessageContaining("malformed KBS response");
        }
    }

    @Test
    void missingCookieIsRefused() {
        kbs.noCookie = true;
        try (KbsClient c = client().build()) {
            assertThatThrownBy(() -> c.getResource("default/key/one")).hasMessageContaining("kbs-session-id");
        }
        assertThat(kbs.attests.get()).isZero();
    }

    @Test
    void rejectedEvidenceIsDenied() {
        kbs.rejectEvidence = true;
        try (KbsClient c = client().build()) {
            assertThatThrownBy(() -> c.getResource("default/key/one")).satisfies(e -> assertThat(
                    ((CocoException) e).reason()).isEqualTo(Reason.KEY_RELEASE_DENIED));
        }
        assertThat(kbs.attests.get()).isEqualTo(1);
    }

    @Test
    void jweForAnotherKeyIsNotReleased() {
        kbs.wrongKey = true;
        try (KbsClient c = client().build()) {
            assertThatThrownBy(() -> c.getResource("default/key/one")).isInstanceOf(CiphertextException.class)
                    .satisfies(e -> assertThat(((CocoException) e).reason()).isEqualTo(Reason.CIPHERTEXT_INVALID));
        }
    }

    @Test
    void tamperedTagIsNotReleased() {
        kbs.tamperTag = true;
        try (KbsClient c = client().build()) {
            assertThatThrownBy(() -> c.getResource("default/key/one")).isInstanceOf(CiphertextException.class);
        }
    }

    @Test
    void passportModeUsesTheGivenToken() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        String token = kbs.issueToken(TeeKeyPair.of(TeeKeyAlgorithm.EC_P256, kp).publicJwk());
        try (KbsClient c = KbsClient.builder().baseUrl(url()).passport(token, kp).build();
                KbsSecret s = c.getResource("default/key/one")) {
            assertThat(s.bytes()).isEqualTo(SECRET);
        }
        assertThat(kbs.auths.get()).isZero();
        kbs.refuseTokens.set(1);
        try (KbsClient c = KbsClient.builder().baseUrl(url()).passport(token, kp).build()) {
            assertThatThrownBy(() -> c.getResource("default/key/one")).satisfies(e -> assertThat(
                    ((CocoException) e).reason()).isEqualTo(Reason.KEY_RELEASE_DENIED));
        }
        assertThat(kbs.auths.get()).isZero();
    }

    @Test
    void initDataIsSentVerbatimAndDigestExposed() {
        byte[] toml = "version = \"0.1.0\"\nalgorithm = \"sha384\"\n\n[data]\n\"aa.toml\" = '''\nx = 1\n'''\n"
                .getBytes(StandardCharsets.UTF_8);
        InitData init = InitData.parse(toml);
        assertThat(init.algorithm()).isEqualTo(HashAlgorithm.SHA384);
        assertThat(init.digest()).isEqualTo(HashAlgorithm.SHA384.digest(toml));
        assertThat(init.snpHostData()).hasSize(32);
        assertThat(init.tdxMrConfigId()).isEqualTo(HashAlgorithm.SHA384.digest(toml));
        try (KbsClient c = client().initData(init).build()) {
            c.getResource("default/key/one").close();
            assertThat(c.initData()).contains(init);
        }
        JsonNode att = Json.parse(kbs.lastAttestBody, "att");
        assertThat(att.at("/init-data/format").textValue()).isEqualTo("toml");
        assertThat(att.at("/init-data/body").textValue().getBytes(StandardCharsets.UTF_8)).isEqualTo(toml);
        assertThatThrownBy(() -> InitData.parse("[data]\nalgorithm = \"sha256\"\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void configurationIsChecked() {
        assertThatThrownBy(() -> KbsClient.builder().baseUrl("http://kbs.example.org:8080")
                .attester(new InsecureSampleAttester()).build()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("loopback");
        assertThatThrownBy(() -> KbsClient.builder().baseUrl("https://kbs.example.org:8080")
                .attester(new InsecureSampleAttester()).build()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("trust");
        assertThatThrownBy(() -> KbsClient.builder().baseUrl(url() + "/kbs/v0")
                .attester(new InsecureSampleAttester()).build()).isInstanceOf(ConfigurationException.class);
        try (KbsClient c = client().build()) {
            assertThatThrownBy(() -> c.getResource("a/b")).isInstanceOf(ConfigurationException.class);
            assertThatThrownBy(() -> c.getResource("a/../c")).isInstanceOf(ConfigurationException.class);
            assertThat(c.toString()).contains("sample");
        }
        assertThat(KbsClient.builder().baseUrl("http://localhost:1").attester(new InsecureSampleAttester()).build())
                .isNotNull();
        assertThat(KbsClient.builder().baseUrl("http://[::1]:1").attester(new InsecureSampleAttester()).build())
                .isNotNull();
    }

    @Test
    void connectionRefusedIsServiceUnavailable() throws IOException {
        int port = server.getPort();
        server.shutdown();
        try (KbsClient c = KbsClient.builder().baseUrl("http://127.0.0.1:" + port)
                .attester(new InsecureSampleAttester()).retries(2, Duration.ofMillis(1)).build()) {
            assertThatThrownBy(() -> c.getResource("default/key/one")).satisfies(e -> assertThat(
                    ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE));
        }
    }
}
