package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code verify gpu --nras-url} against a MockWebServer playing NRAS: it serves a JWKS and answers with a detached EAT
 * whose payloads are nvtrust's claim-3.0 vectors (sdk-gpu test resources), signed here with a test ES384 key.
 */
class VerifyGpuNrasTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path CLAIMS = GpuCommandsTest.GPU.resolve("nvtrust-eat-claims");
    static final String REPORT = GpuCommandsTest.gpu("nvtrust-lgv-samples/hopperAttestationReport.txt");
    static final String CHAIN = GpuCommandsTest.gpu("nvtrust-lgv-samples/hopperCertChain.txt");
    static final String NONCE = GpuCommandsTest.NONCE_931D;
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    static final String API_KEY = "nvapi-cli-SECRET-4242";

    KeyPair key;
    MockWebServer server;
    final List<MockResponse> answers = new ArrayList<>();
    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        key = g.generateKeyPair();
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                if (r.getPath().equals("/.well-known/jwks.json")) {
                    return new MockResponse().setBody(jwks());
                }
                synchronized (answers) {
                    return answers.isEmpty() ? new MockResponse().setResponseCode(503) : answers.removeFirst();
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    static String b64u(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static byte[] unsigned48(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[48];
        int n = Math.min(b.length, 48);
        System.arraycopy(b, b.length - n, out, 48 - n, n);
        return out;
    }

    String jwks() {
        ECPublicKey pub = (ECPublicKey) key.getPublic();
        return "{\"keys\":[{\"kty\":\"EC\",\"crv\":\"P-384\",\"kid\":\"cli-test\",\"use\":\"sig\",\"x\":\""
                + b64u(unsigned48(pub.getW().getAffineX())) + "\",\"y\":\"" + b64u(unsigned48(pub.getW().getAffineY()))
                + "\"}]}";
    }

    String sign(JsonNode payload) throws Exception {
        String input = b64u("{\"kid\":\"cli-test\",\"alg\":\"ES384\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64u(JSON.writeValueAsBytes(payload));
        Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
        s.initSign(key.getPrivate());
        s.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + b64u(s.sign());
    }

    ObjectNode claims(String file) throws IOException {
        ObjectNode n = (ObjectNode) JSON.readTree(CLAIMS.resolve(file).toFile());
        n.put("iss", "https://nras.attestation.nvidia.com");
        n.put("iat", NOW.getEpochSecond());
        n.put("nbf", NOW.getEpochSecond());
        n.put("exp", NOW.getEpochSecond() + 3600);
        return n;
    }

    void answer(Consumer<ObjectNode> editDevice) throws Exception {
        ObjectNode device = claims("detached_granular_claims_remote.json");
        editDevice.accept(device);
        String deviceToken = sign(device);
        ObjectNode overall = claims("overall_granular_claims_remote.json");
        overall.putObject("submods").putArray("GPU-0").add("DIGEST").addArray().add("SHA-256")
                .add(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                        .digest(deviceToken.getBytes(StandardCharsets.US_ASCII))));
        var eat = JSON.createArrayNode();
        eat.addArray().add("JWT").add(sign(overall));
        eat.addObject().put("GPU-0", deviceToken);
        synchronized (answers) {
            answers.add(new MockResponse().setBody(eat.toString()));
        }
    }

    Cli.Result run(String... more) {
        return runAt(NOW.plusSeconds(10), more);
    }

    Cli.Result runAt(Instant at, String... more) {
        List<String> a = new ArrayList<>(List.of("verify", "gpu", "--report", REPORT, "--cert-chain", CHAIN,
                "--nonce", NONCE, "--nras-url", server.url("/").toString(), "--at", at.toString()));
        a.addAll(Arrays.asList(more));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void acceptedAppraisalPrintsNrasClaimsAsJson() throws Exception {
        answer(d -> { });
        Path keyFile = Files.writeString(dir.resolve("key"), API_KEY + "\n");
        Cli.Result r = run("--json", "--nras-api-key-file", keyFile.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("accepted").asBoolean()).isTrue();
        assertThat(j.get("tee").asText()).isEqualTo("gpu");
        JsonNode c = j.get("claims");
        assertThat(c.get("appraised_by").asText()).isEqualTo("nras");
        assertThat(c.get("eat_nonce").asText()).isEqualTo(NONCE);
        assertThat(c.get("arch").asText()).isEqualTo("HOPPER");
        assertThat(c.get("measres").asText()).isEqualTo("success");
        assertThat(c.get("driver_version").asText()).isEqualTo(JSON.readTree(CLAIMS.resolve(
                "detached_granular_claims_remote.json").toFile()).get("x-nvidia-gpu-driver-version").asText());
        RecordedRequest post = server.takeRequest();
        if (post.getPath().contains("jwks")) {
            post = server.takeRequest();
        }
        assertThat(post.getPath()).isEqualTo("/v4/attest/gpu");
        assertThat(post.getHeader("Authorization")).isEqualTo("Bearer " + API_KEY);
        JsonNode body = JSON.readTree(post.getBody().readUtf8());
        assertThat(body.get("nonce").asText()).isEqualTo(NONCE);
        assertThat(body.get("arch").asText()).isEqualTo("HOPPER");
        assertThat(r.out() + r.err()).doesNotContain(API_KEY);
    }

    @Test
    void refusalsAndUnavailabilityKeepTheExitCodes() throws Exception {
        answer(d -> d.put("measres", "fail"));
        Cli.Result bad = run();
        assertThat(bad.code()).as(bad.err()).isEqualTo(1);
        assertThat(bad.firstErrLine()).startsWith("MEASUREMENT_MISMATCH: ");
        assertThat(bad.hasStackTrace()).isFalse();

        answer(d -> { });
        Cli.Result late = runAt(NOW.plusSeconds(7200));
        assertThat(late.code()).isEqualTo(1);
        assertThat(late.firstErrLine()).startsWith("COLLATERAL_EXPIRED: ");

        // no answers queued: 503 on every attempt
        Cli.Result down = run();
        assertThat(down.code()).isEqualTo(3);
        assertThat(down.firstErrLine()).startsWith("SERVICE_UNAVAILABLE: ");
    }

    @Test
    void localOnlyOptionsAreUsageErrorsWithNras() {
        Cli.Result r = run("--offline");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("CONFIGURATION: ").contains("--offline");
        assertThat(run("--no-rim").code()).isEqualTo(2);
        Cli.Result http = Cli.run("verify", "gpu", "--report", REPORT, "--cert-chain", CHAIN, "--nonce", NONCE,
                "--nras-url", "http://nras.example.org");
        assertThat(http.code()).isEqualTo(2);
        Cli.Result noUrl = Cli.run("verify", "gpu", "--report", REPORT, "--cert-chain", CHAIN, "--nonce", NONCE,
                "--nras-allow-ppcie", "--no-rim");
        assertThat(noUrl.code()).isEqualTo(2);
        assertThat(noUrl.firstErrLine()).contains("--nras-url");
    }
}
