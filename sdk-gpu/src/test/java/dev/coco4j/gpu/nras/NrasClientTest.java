package dev.coco4j.gpu.nras;

import static dev.coco4j.gpu.GpuTests.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.gpu.Vectors;
import dev.coco4j.gpu.verify.GpuArchitecture;
import java.io.IOException;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NrasClient against MockWebServer serving NRAS-shaped answers and a JWKS. */
class NrasClientTest {
    static final NrasFixture FX = new NrasFixture();
    static final Clock CLOCK = Clock.fixed(NrasFixture.NOW.plusSeconds(5), ZoneOffset.UTC);
    static final String API_KEY = "nvapi-SECRET-do-not-log-0123456789";

    MockWebServer server;
    final List<Duration> slept = new ArrayList<>();
    final List<Supplier<MockResponse>> attestAnswers = new ArrayList<>();
    int jwksRequests;
    String jwksBody = FX.jwks();

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                if (r.getPath().equals(NrasJwks.WELL_KNOWN_PATH)) {
                    synchronized (NrasClientTest.this) {
                        jwksRequests++;
                    }
                    return new MockResponse().setBody(jwksBody).setHeader("Content-Type", "application/json");
                }
                synchronized (NrasClientTest.this) {
                    return attestAnswers.isEmpty() ? new MockResponse().setResponseCode(500)
                            : attestAnswers.removeFirst().get();
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws IOException {
        server.shutdown();
    }

    NrasClient.Builder client() {
        return NrasClient.builder().baseUrl(server.url("/").toString()).clock(CLOCK).sleeper(slept::add)
                .httpClient(new OkHttpClient.Builder().readTimeout(500, TimeUnit.MILLISECONDS).build());
    }

    static NrasRequest request(int gpus, NrasApiVersion v) {
        NrasRequest.Builder b = NrasRequest.builder().apiVersion(v).nonce(NrasFixture.NONCE);
        for (int i = 0; i < gpus; i++) {
            b.addEvidence(Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt"),
                    Vectors.bytes("nvtrust-lgv-samples/hopperCertChain.txt"));
        }
        return b.build();
    }

    static MockResponse ok(DetachedEat eat) {
        return new MockResponse().setBody(new String(eat.toJson())).setHeader("Content-Type", "application/json");
    }

    void answer(Supplier<MockResponse> r) {
        attestAnswers.add(r);
    }

    @Test
    void postsTheV4RequestShapeAndVerifiesTheAnswer() throws Exception {
        DetachedEat eat = FX.eat(2);
        answer(() -> ok(eat));
        NrasResult r = client().apiKey(API_KEY).build().attest(request(2, NrasApiVersion.V4));
        assertThat(r.gpus()).hasSize(2);
        RecordedRequest req = server.takeRequest();
        assertThat(req.getMethod()).isEqualTo("POST");
        assertThat(req.getPath()).isEqualTo("/v4/attest/gpu");
        assertThat(req.getHeader("Authorization")).isEqualTo("Bearer " + API_KEY);
        assertThat(req.getHeader("Content-Type")).startsWith("application/json");
        JsonNode body = NrasFixture.JSON.readTree(req.getBody().readUtf8());
        assertThat(body.get("nonce").asText()).isEqualTo(java.util.HexFormat.of().formatHex(NrasFixture.NONCE));
        assertThat(body.get("arch").asText()).isEqualTo("HOPPER");
        assertThat(body.get("claims_version").asText()).isEqualTo("3.0");
        assertThat(body.get("evidence_list")).hasSize(2);
        assertThat(Base64.getDecoder().decode(body.at("/evidence_list/1/evidence").asText()))
                .isEqualTo(Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt"));
        assertThat(Base64.getDecoder().decode(body.at("/evidence_list/0/certificate").asText()))
                .isEqualTo(Vectors.bytes("nvtrust-lgv-samples/hopperCertChain.txt"));
        assertThat(jwksRequests).isEqualTo(1);
    }

    @Test
    void v3UsesItsPathAndRefusesClaims40() throws Exception {
        answer(() -> ok(FX.eat(1)));
        client().build().attest(request(1, NrasApiVersion.V3));
        RecordedRequest req = server.takeRequest();
        assertThat(req.getPath()).isEqualTo("/v3/attest/gpu");
        assertThat(req.getHeader("Authorization")).isNull();
        CocoException e = thrown(() -> NrasRequest.builder().apiVersion(NrasApiVersion.V3).nonce(NrasFixture.NONCE)
                .architecture(GpuArchitecture.BLACKWELL).addEvidence(new byte[] {1}, new byte[] {1})
                .claimsVersion("4.0").build());
        assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
    }

    @Test
    void requestFromAttesterEvidenceEqualsTheRawForm() {
        byte[] report = Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt");
        byte[] chain = Vectors.bytes("nvtrust-lgv-samples/hopperCertChain.txt");
        NrasRequest fromEvidence = NrasRequest.builder().nonce(NrasFixture.NONCE)
                .addEvidence(new dev.coco4j.core.Evidence(dev.coco4j.core.TeeType.NVIDIA_GPU, report, chain)).build();
        assertThat(fromEvidence).isEqualTo(request(1, NrasApiVersion.V4));
        assertThat(fromEvidence.toJson()).isEqualTo(request(1, NrasApiVersion.V4).toJson());
        assertThat(thrown(() -> NrasRequest.builder().addEvidence(dev.coco4j.core.Evidence.of(
                dev.coco4j.core.TeeType.SNP, report))).reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(thrown(() -> NrasRequest.builder().nonce(new byte[31]).addEvidence(report, chain).build())
                .reason()).isEqualTo(Reason.CONFIGURATION);
    }

    @Test
    void honoursRetryAfterOn429() {
        answer(() -> new MockResponse().setResponseCode(429).setHeader("Retry-After", "7"));
        answer(() -> ok(FX.eat(1)));
        assertThat(client().build().attest(request(1, NrasApiVersion.V4)).gpus()).hasSize(1);
        assertThat(slept).containsExactly(Duration.ofSeconds(7));
        assertThat(server.getRequestCount()).isEqualTo(3); // 2 POSTs + JWKS
    }

    @Test
    void retryAfterIsCapped() {
        answer(() -> new MockResponse().setResponseCode(503).setHeader("Retry-After", "86400"));
        answer(() -> ok(FX.eat(1)));
        client().maxRetryAfter(Duration.ofSeconds(5)).build().attest(request(1, NrasApiVersion.V4));
        assertThat(slept).containsExactly(Duration.ofSeconds(5));
    }

    @Test
    void retries503ThenSucceeds() {
        answer(() -> new MockResponse().setResponseCode(503));
        answer(() -> new MockResponse().setResponseCode(502));
        answer(() -> ok(FX.eat(1)));
        assertThat(client().initialBackoff(Duration.ofMillis(100)).build().attest(request(1, NrasApiVersion.V4))
                .gpus()).hasSize(1);
        assertThat(slept).hasSize(2).allMatch(d -> d.toMillis() >= 50 && d.toMillis() <= 200);
    }

    @Test
    void givesUpAfterMaxAttemptsWithServiceUnavailable() {
        for (int i = 0; i < 5; i++) {
            answer(() -> new MockResponse().setResponseCode(503));
        }
        CocoException e = thrown(() -> client().maxAttempts(2).build().attest(request(1, NrasApiVersion.V4)));
        assertThat(e.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
        assertThat(e.reason().exitCode()).isEqualTo(3);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void timeoutIsRetriedThenServiceUnavailable() {
        answer(() -> new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        answer(() -> new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        CocoException e = thrown(() -> client().maxAttempts(2).build().attest(request(1, NrasApiVersion.V4)));
        assertThat(e.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
        assertThat(e.detail()).contains("2 attempts");
        assertThat(slept).hasSize(1);
    }

    @Test
    void clientErrorsAreNotRetriedAndTheApiKeyNeverLeaks() {
        answer(() -> new MockResponse().setResponseCode(401).setBody("bad key " + API_KEY));
        NrasClient c = client().apiKey(API_KEY).build();
        CocoException e = thrown(() -> c.attest(request(1, NrasApiVersion.V4)));
        assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(e.getMessage()).doesNotContain(API_KEY).doesNotContain("SECRET");
        assertThat(c.toString()).doesNotContain(API_KEY).contains("api key set");
        answer(() -> new MockResponse().setResponseCode(400));
        assertThat(thrown(() -> c.attest(request(1, NrasApiVersion.V4))).reason())
                .isEqualTo(Reason.MALFORMED_EVIDENCE);
        assertThat(slept).isEmpty();
    }

    @Test
    void refusalsThroughTheClient() {
        answer(() -> ok(FX.eat(1, o -> o.put("exp", NrasFixture.NOW.getEpochSecond() - 3600), d -> { })));
        assertThat(thrown(() -> client().build().attest(request(1, NrasApiVersion.V4))).reason())
                .isEqualTo(Reason.COLLATERAL_EXPIRED);
        answer(() -> ok(FX.eat(1, o -> o.put("eat_nonce", "ab".repeat(32)), d -> { })));
        assertThat(thrown(() -> client().build().attest(request(1, NrasApiVersion.V4))).reason())
                .isEqualTo(Reason.NONCE_MISMATCH);
        // NRAS answering for fewer GPUs than were sent
        answer(() -> ok(FX.eat(1)));
        assertThat(thrown(() -> client().build().attest(request(2, NrasApiVersion.V4))).reason())
                .isEqualTo(Reason.MALFORMED_EVIDENCE);
        answer(() -> new MockResponse().setBody("<html>gateway</html>"));
        assertThat(thrown(() -> client().build().attest(request(1, NrasApiVersion.V4))).reason())
                .isEqualTo(Reason.MALFORMED_EVIDENCE);
    }

    @Test
    void unknownKidRefetchesTheJwksOnceThenRefuses() {
        NrasFixture rotated = new NrasFixture("rotated-kid");
        answer(() -> ok(rotated.eat(1)));
        NrasJwks jwks = NrasJwks.builder().url(server.url(NrasJwks.WELL_KNOWN_PATH).toString())
                .fetcher(CollateralFetcher.builder().clock(CLOCK).build()).minRefreshInterval(Duration.ZERO).build();
        NrasClient c = client().jwks(jwks).build();
        CocoException e = thrown(() -> c.attest(request(1, NrasApiVersion.V4)));
        assertThat(e.reason()).isEqualTo(Reason.CHAIN_INVALID);
        assertThat(jwksRequests).isEqualTo(2);
        // after rotation the service publishes the new key: found on the fresh fetch
        jwksBody = rotated.jwks();
        answer(() -> ok(rotated.eat(1)));
        assertThat(c.attest(request(1, NrasApiVersion.V4)).gpus()).hasSize(1);
        assertThat(jwksRequests).isEqualTo(3);
        // and then served from the cache
        answer(() -> ok(rotated.eat(1)));
        c.attest(request(1, NrasApiVersion.V4));
        assertThat(jwksRequests).isEqualTo(3);
    }

    @Test
    void forcedJwksRefreshesAreRateLimited() {
        NrasFixture rotated = new NrasFixture("unknown-kid");
        NrasClient c = client().build();
        for (int i = 0; i < 3; i++) {
            answer(() -> ok(rotated.eat(1)));
            assertThat(thrown(() -> c.attest(request(1, NrasApiVersion.V4))).reason())
                    .isEqualTo(Reason.CHAIN_INVALID);
        }
        assertThat(jwksRequests).as("one fetch; a forced refresh so soon after it is suppressed").isEqualTo(1);
    }

    @Test
    void jwksOutageIsServiceUnavailable() {
        jwksBody = "not a jwks";
        answer(() -> ok(FX.eat(1)));
        CocoException e = thrown(() -> client().build().attest(request(1, NrasApiVersion.V4)));
        assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_INVALID);
    }

    @Test
    void pinnedX5cRootIsEnforced() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair root = g.generateKeyPair();
        X509Certificate rootCert = cert("CN=Test NRAS Root", "CN=Test NRAS Root", root.getPublic(), root, true);
        X509Certificate leaf = cert("CN=Test NRAS Signer", "CN=Test NRAS Root", FX.key.toECPublicKey(), root, false);
        var withX5c = new com.nimbusds.jose.jwk.ECKey.Builder(FX.key.toPublicJWK())
                .x509CertChain(List.of(com.nimbusds.jose.util.Base64.encode(leaf.getEncoded()),
                        com.nimbusds.jose.util.Base64.encode(rootCert.getEncoded()))).build();
        String jwks = new com.nimbusds.jose.jwk.JWKSet(withX5c).toString();
        var at = NrasFixture.NOW.plusSeconds(1);
        NrasTokenVerifier pinned = NrasTokenVerifier.builder()
                .jwks(NrasJwks.builder().document(jwks).x5cRoot(rootCert).build()).build();
        assertThat(pinned.verify(FX.eat(1), NrasFixture.NONCE, at).gpus()).hasSize(1);

        KeyPair other = g.generateKeyPair();
        X509Certificate otherRoot = cert("CN=Other Root", "CN=Other Root", other.getPublic(), other, true);
        NrasTokenVerifier wrongRoot = NrasTokenVerifier.builder()
                .jwks(NrasJwks.builder().document(jwks).x5cRoot(otherRoot).build()).build();
        assertThat(thrown(() -> wrongRoot.verify(FX.eat(1), NrasFixture.NONCE, at)).reason())
                .isEqualTo(Reason.CHAIN_INVALID);
        NrasTokenVerifier noX5c = NrasTokenVerifier.builder()
                .jwks(NrasJwks.builder().document(FX.jwks()).x5cRoot(rootCert).build()).build();
        assertThat(thrown(() -> noX5c.verify(FX.eat(1), NrasFixture.NONCE, at)).detail()).contains("no x5c");
    }

    @Test
    void plainHttpOnlyToLoopback() {
        CocoException e = thrown(() -> NrasClient.builder().baseUrl("http://nras.example.org").build());
        assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(thrown(() -> NrasClient.builder().baseUrl("https://nras.example.org/v4").build()).reason())
                .isEqualTo(Reason.CONFIGURATION);
        assertThat(NrasClient.builder().build().toString()).contains("nras.attestation.nvidia.com")
                .contains("api key none");
    }

    static X509Certificate cert(String subject, String issuer, java.security.PublicKey key, KeyPair issuerKey,
                                boolean ca) throws Exception {
        var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(subject.hashCode() & 0xffff),
                Date.from(NrasFixture.NOW.minus(10, ChronoUnit.DAYS)),
                Date.from(NrasFixture.NOW.plus(10, ChronoUnit.DAYS)),
                new X500Name(subject), key);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA384withECDSA")
                .build(issuerKey.getPrivate())));
    }

}
