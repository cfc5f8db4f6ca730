package dev.coco4j.benchmarks;

import com.sun.net.httpserver.HttpServer;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import dev.coco4j.kbs.evidence.InsecureSampleAttester;
import dev.coco4j.testkit.EmbeddedKbs;
import dev.coco4j.testkit.ResourcePolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.Provider;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A KBS resource fetch on an existing session ({@link KbsClient#getResource}: GET, JWE ECDH-ES+A256KW/A256GCM built
 * by the embedded KBS and decrypted by the client), over plain HTTP on loopback, against two baselines measured in
 * the same run:
 * <ul>
 *   <li>{@code baselineOkHttpGet} — a raw OkHttp GET of a body of the same size from a JDK {@link HttpServer}
 *       serving fixed bytes (the baseline; target sdk / baseline ≥ 0.6);</li>
 *   <li>{@code baselineOkHttpGetAndRawJwe} — the same GET plus what the protocol makes every fetch do, with the raw
 *       libraries and no SDK code: nimbus-jose-jwt seals the body to a P-256 key (fresh ephemeral key) and opens it,
 *       with Bouncy Castle as its JCA provider (the fastest raw configuration; nimbus on the JDK's SunEC is about
 *       2.5x slower here). Target sdk / baseline ≥ 0.6.</li>
 * </ul>
 * {@code rawJweOpenP256} (unpaired) is the client's share alone: one JWE decryption, i.e. the TEE's ECDH with its
 * private key, which no client can skip. It bounds the first ratio whatever the server costs:
 * GET / (GET + open) — about 0.3 on this project's build machine — so the ≥ 0.6 target against a bare GET cannot be
 * met by a conforming client; {@link dev.coco4j.benchmarks.report.BenchmarkReport} prints that ceiling.
 *
 * <p>Every fetch costs three P-256 scalar multiplications that a GET does not pay — the KBS's fresh ephemeral key for
 * the JWE, its ECDH with the TEE key, and the client's ECDH — plus the JWE's key derivation, key wrap and AES-GCM.
 * They are kept on purpose (a fresh ephemeral key per JWE is what makes a released key unreadable to anyone but the
 * attested TEE). Bouncy Castle does the agreement and key generation on both sides; the client's ECDH is
 * constant-time (its scalar is the TEE key); the embedded KBS verifies a bearer token once per token string, parses a
 * session's claims and TEE key once, and from the second release to a key multiplies through a comb table for the
 * TEE point ({@code JweRecipient}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class KbsRoundTripBenchmark {
    /**
     * Creates the benchmark state; JMH instantiates it once per trial and calls {@link #setUp()} and
     * {@link #tearDown()}.
     */
    public KbsRoundTripBenchmark() {
    }

    private EmbeddedKbs kbs;
    private KbsClient client;
    private HttpServer plain;
    private OkHttpClient http;
    private Request plainGet;
    private byte[] secret;
    private ECKey rawKey;
    private Provider bc;
    private JWEObject rawSealed;

    /**
     * Starts an embedded KBS (plain HTTP on loopback, {@code sample} evidence allowed, allow-all policy) holding a
     * random 32-byte secret, attests a client once so the measurement starts on an attested session, and starts the
     * baseline's JDK server serving random bytes of the JWE's size; prepares a raw nimbus JWE for the raw baselines.
     *
     * @throws IOException if a server cannot bind or the first fetch fails
     */
    @Setup
    public void setUp() throws IOException {
        secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        kbs = EmbeddedKbs.builder().insecureHttp(true).allowSample(true).resourcePolicy(ResourcePolicy.allowAll())
                .resource("default/key/bench", secret).start();
        client = KbsClient.builder().baseUrl("http://127.0.0.1:" + kbs.port()).attester(new InsecureSampleAttester())
                .build();
        client.getResource("default/key/bench").close(); // the handshake happens here, not in the measurement
        http = new OkHttpClient();
        // the size of the JWE the KBS sends for this resource
        Request jwe = new Request.Builder().url("http://127.0.0.1:" + kbs.port() + "/kbs/v0/resource/default/key/bench")
                .header("Authorization", "Bearer " + client.attestationToken()).build();
        int size;
        try (Response r = http.newCall(jwe).execute()) {
            if (r.code() != 200) {
                throw new IllegalStateException("KBS answered " + r.code());
            }
            size = r.body().bytes().length;
        }
        byte[] body = new byte[size];
        new SecureRandom().nextBytes(body);
        plain = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        plain.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        plain.createContext("/", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        plain.start();
        plainGet = new Request.Builder().url("http://127.0.0.1:" + plain.getAddress().getPort() + "/body").build();
        bc = new BouncyCastleProvider();
        try {
            rawKey = new ECKeyGenerator(Curve.P_256).algorithm(JWEAlgorithm.ECDH_ES_A256KW).generate();
            rawSealed = JWEObject.parse(rawSeal());
        } catch (JOSEException | ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private String rawSeal() throws JOSEException {
        JWEObject jwe = new JWEObject(new JWEHeader(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM),
                new Payload(secret));
        ECDHEncrypter encrypter = new ECDHEncrypter(rawKey.toECPublicKey());
        encrypter.getJCAContext().setKeyEncryptionProvider(bc);
        jwe.encrypt(encrypter);
        return jwe.serialize();
    }

    private byte[] rawOpen(JWEObject jwe) throws JOSEException {
        ECDHDecrypter decrypter = new ECDHDecrypter(rawKey.toECPrivateKey());
        decrypter.getJCAContext().setKeyEncryptionProvider(bc);
        jwe.decrypt(decrypter);
        return jwe.getPayload().toBytes();
    }

    /** Closes the client, stops both servers and evicts OkHttp's pooled connections. */
    @TearDown
    public void tearDown() {
        client.close();
        kbs.close();
        plain.stop(0);
        http.connectionPool().evictAll();
    }

    /**
     * The SDK: one resource fetch on the attested session (GET, then JWE decryption by the client).
     *
     * @return the secret's length, 32
     * @throws dev.coco4j.core.KeyReleaseException if the KBS refuses the release (not expected: the policy allows all)
     */
    @Benchmark
    public int sdkKbsResourceFetch() {
        try (KbsSecret s = client.getResource("default/key/bench")) {
            return s.length();
        }
    }

    /**
     * Baseline: a raw OkHttp GET of random bytes as long as the KBS's JWE, from a plain JDK server.
     *
     * @return the number of body bytes read
     * @throws IOException if the request fails
     */
    @Benchmark
    public int baselineOkHttpGet() throws IOException {
        try (Response r = http.newCall(plainGet).execute()) {
            return r.body().bytes().length;
        }
    }

    /**
     * A raw GET plus a raw JWE seal (fresh ephemeral key) and open of the secret: a fetch without the SDK.
     *
     * @return the body length plus the opened secret's length (32)
     * @throws IOException if the request fails
     * @throws JOSEException if sealing or opening the JWE fails (not expected)
     * @throws ParseException if the sealed JWE does not parse (not expected)
     */
    @Benchmark
    public int baselineOkHttpGetAndRawJwe() throws IOException, JOSEException, ParseException {
        int n;
        try (Response r = http.newCall(plainGet).execute()) {
            n = r.body().bytes().length;
        }
        return n + rawOpen(JWEObject.parse(rawSeal())).length;
    }

    /**
     * The client's share alone: decrypting one sealed response (the TEE's ECDH, key unwrap, AES-GCM).
     *
     * @return the opened secret's length, 32
     * @throws JOSEException if decryption fails (not expected: the JWE was sealed at setup)
     * @throws ParseException if the serialized JWE does not parse (not expected)
     */
    @Benchmark
    public int rawJweOpenP256() throws JOSEException, ParseException {
        return rawOpen(JWEObject.parse(rawSealed.serialize())).length;
    }
}
