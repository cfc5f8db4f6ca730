package dev.coco4j.kbs;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTParser;
import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.core.spi.Attesters;
import dev.coco4j.kbs.evidence.DeviceAttester;
import dev.coco4j.kbs.evidence.EvidenceSerializer;
import dev.coco4j.kbs.evidence.EvidenceSerializers;
import dev.coco4j.kbs.internal.HttpClients;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.internal.KbsSession;
import dev.coco4j.kbs.internal.TeeKeyPair;
import dev.coco4j.kbs.internal.Transport;
import dev.coco4j.kbs.protocol.Attestation;
import dev.coco4j.kbs.protocol.Challenge;
import dev.coco4j.kbs.protocol.ErrorInformation;
import dev.coco4j.kbs.protocol.ErrorType;
import dev.coco4j.kbs.protocol.InitDataBody;
import dev.coco4j.kbs.protocol.KbsRequest;
import dev.coco4j.kbs.protocol.KbsTee;
import dev.coco4j.kbs.protocol.RuntimeData;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import dev.coco4j.kbs.protocol.TeeEvidence;
import dev.coco4j.kbs.protocol.TokenResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import okhttp3.Cookie;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * A client of a Confidential Containers Trustee Key Broker Service (protocol {@value KbsRequest#DEFAULT_VERSION}).
 *
 * <p>Background-check mode (the default) runs the RCAR handshake: {@code POST /kbs/v0/auth} → challenge and
 * {@code kbs-session-id} cookie → the runtime data (nonce + an ephemeral TEE public key) is bound into the attester's
 * report data → {@code POST /kbs/v0/attest} → token. Resources ({@code GET /kbs/v0/resource/<repo>/<type>/<tag>})
 * come back as JWE encrypted to the TEE key and are decrypted into a {@link KbsSecret}. The token is reused until it
 * expires (minus a skew); concurrent callers share one handshake; an expired or unknown token (401
 * {@code TokenNotFound}/{@code TokenVerifierError}/{@code AttestationError}) causes exactly one re-attestation.
 * Passport mode ({@link Builder#passport}) uses a token obtained elsewhere as a Bearer and never handshakes.
 *
 * <p>Refusals are {@link KeyReleaseException}s mapped by the server's error {@code type}, not only by status:
 * {@link Reason#PROTOCOL_VERSION_MISMATCH}, {@link Reason#KEY_RELEASE_DENIED} (PolicyDeny and rejected evidence, never
 * retried), {@link Reason#RESOURCE_NOT_FOUND} (404, and 401 {@code PluginInternalError}, which is how Trustee reports a
 * missing resource), {@link Reason#TLS_UNTRUSTED}, {@link Reason#SERVICE_UNAVAILABLE} (after bounded retries on 5xx,
 * connection failures and timeouts, and for malformed answers). A response that does not decrypt is a
 * {@link CiphertextException} ({@link Reason#CIPHERTEXT_INVALID}). No secret is ever returned on a failure path.
 *
 * <p>Thread-safe. {@link #close()} destroys the TEE keys.
 */
public final class KbsClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(KbsClient.class.getName());
    private static final MediaType JSON = MediaType.get("application/json");
    private static final String COOKIE = "kbs-session-id";
    private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9_-]+[A-Za-z0-9_.-]*$");
    private static final Pattern COOKIE_VALUE = Pattern.compile("^[A-Za-z0-9_-]{1,128}$");
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofMinutes(5);

    private final HttpUrl base;
    private final Transport transport;
    private final OkHttpClient http;
    private final String protocolVersion;
    private final Attester attester;
    private final EvidenceSerializer serializer;
    private final List<DeviceAttester> devices;
    private final InitData initData;
    private final TeeKeyAlgorithm keyAlgorithm;
    private final Clock clock;
    private final Duration skew;
    private final ReentrantLock handshakeLock = new ReentrantLock();
    private final List<KbsSession> retired = new ArrayList<>();
    private volatile KbsSession current;
    private volatile boolean closed;

    private KbsClient(Builder b, HttpUrl base, OkHttpClient http) {
        this.base = base;
        this.http = http;
        this.transport = new Transport(http, b.maxAttempts, b.backoff);
        this.protocolVersion = b.protocolVersion;
        this.devices = List.copyOf(b.devices);
        this.initData = b.initData;
        this.keyAlgorithm = b.keyAlgorithm;
        this.clock = b.clock;
        this.skew = b.skew;
        if (b.passportToken != null) {
            this.attester = null;
            this.serializer = null;
            this.current = new KbsSession(b.passportKey, null, b.passportToken,
                    tokenExpiry(b.passportToken, b.clock.instant()), false);
        } else {
            this.attester = b.attester != null ? b.attester : Attesters.detect();
            this.serializer = b.serializer != null ? b.serializer : EvidenceSerializers.require(attester.teeType());
            if (serializer.tee() != attester.teeType()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "evidence serialiser is for "
                        + serializer.tee().id() + " but the attester is " + attester.teeType().id());
            }
        }
    }

    /**
     * A new builder.
     *
     * @return a new builder with the defaults listed on its setters
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The init-data this client sends, if any (its digest is what SNP HOST_DATA / TDX MRCONFIGID must carry).
     *
     * @return the init-data given to the builder, or empty if none was set
     */
    public Optional<InitData> initData() {
        return Optional.ofNullable(initData);
    }

    /**
     * The TEE this client attests as, or empty in passport mode.
     *
     * @return the attester's TEE type, or empty when the client runs in passport mode
     */
    public Optional<TeeType> tee() {
        return attester == null ? Optional.empty() : Optional.of(attester.teeType());
    }

    /**
     * Fetches and decrypts the resource {@code repo/type/tag} (or a {@code kbs:///repo/type/tag} URI).
     *
     * @param path {@code repo/type/tag} or {@code kbs:///repo/type/tag}; not null; each segment letters, digits,
     *     {@code _}, {@code -} and {@code .} (not starting with {@code .})
     * @return the decrypted secret; the caller owns it and should {@link KbsSecret#close() close} it after use
     * @throws ConfigurationException if the path is not three valid segments
     * @throws KeyReleaseException if the KBS does not release it (see the class comment for the reasons)
     * @throws CiphertextException if the response does not decrypt with this session's TEE key
     */
    public KbsSecret getResource(String path) {
        String p = path.startsWith("kbs:///") ? path.substring("kbs:///".length()) : path;
        String[] seg = p.split("/", -1);
        if (seg.length != 3) {
            throw new ConfigurationException(Reason.CONFIGURATION,
                    "a KBS resource path is repo/type/tag, got '" + path + "'");
        }
        return getResource(seg[0], seg[1], seg[2]);
    }

    /**
     * Fetches and decrypts the resource {@code repo/type/tag}. See {@link #getResource(String)}.
     *
     * @param repo the repository segment; not null, letters, digits, {@code _}, {@code -}, {@code .}, not starting with
     *     {@code .}
     * @param type the type segment; same rules as {@code repo}
     * @param tag the tag segment; same rules as {@code repo}
     * @return the decrypted secret; the caller owns it and should {@link KbsSecret#close() close} it after use
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if a segment is null or invalid
     * @throws KeyReleaseException if the KBS does not release it (see the class comment for the reasons)
     * @throws CiphertextException if the response does not decrypt with this session's TEE key
     */
    public KbsSecret getResource(String repo, String type, String tag) {
        for (String s : new String[] {repo, type, tag}) {
            if (s == null || !SEGMENT.matcher(s).matches()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "invalid KBS resource path segment '" + s
                        + "'");
            }
        }
        String path = repo + "/" + type + "/" + tag;
        HttpUrl url = base.newBuilder().addPathSegments("kbs/v0/resource").addPathSegment(repo).addPathSegment(type)
                .addPathSegment(tag).build();
        boolean reattested = false;
        while (true) {
            KbsSession s = session();
            Request.Builder rb = new Request.Builder().url(url).get().header("Authorization", "Bearer " + s.token());
            if (s.cookie() != null) {
                rb.header("Cookie", COOKIE + "=" + s.cookie());
            }
            Transport.Answer a = transport.execute(rb.build(), "GET resource " + path);
            if (a.status() == 200) {
                JsonNode jwe;
                try {
                    jwe = Json.parse(a.body(), "resource response");
                } catch (KeyReleaseException e) {
                    throw malformed(e);
                }
                return new KbsSecret(path, s.key().decrypt(jwe));
            }
            ErrorInformation err = errorOf(a);
            Optional<ErrorType> kind = err.knownType();
            if (err.isVersionMismatch()) {
                throw versionMismatch(err);
            }
            if (a.status() == 404 || kind.filter(t -> t == ErrorType.PLUGIN_INTERNAL_ERROR
                    || t == ErrorType.PLUGIN_NOT_FOUND || t == ErrorType.INVALID_REQUEST_PATH).isPresent()) {
                throw new KeyReleaseException(Reason.RESOURCE_NOT_FOUND, "KBS has no resource " + path + " ("
                        + describe(a, err) + ")");
            }
            if (kind.filter(t -> t == ErrorType.POLICY_DENY).isPresent()) {
                throw new KeyReleaseException(Reason.KEY_RELEASE_DENIED, "KBS policy denies resource " + path);
            }
            boolean tokenProblem = a.status() == 401 && (kind.isEmpty() || kind.get() == ErrorType.TOKEN_NOT_FOUND
                    || kind.get() == ErrorType.TOKEN_VERIFIER_ERROR || kind.get() == ErrorType.ATTESTATION_ERROR);
            if (tokenProblem && !reattested && s.renewable()) {
                LOG.log(System.Logger.Level.DEBUG, "KBS refused the token ({0}); re-attesting once", err.type());
                invalidate(s);
                reattested = true;
                continue;
            }
            throw new KeyReleaseException(Reason.KEY_RELEASE_DENIED, "KBS refused resource " + path + " ("
                    + describe(a, err) + ")");
        }
    }

    /**
     * The current attestation token, running the handshake if there is no valid one. A bearer credential.
     *
     * @return the attestation token (a compact JWT) as issued by the KBS, or the passport token; never null
     * @throws KeyReleaseException if the handshake fails, or ({@link Reason#KEY_RELEASE_DENIED}) the passport token has
     *     expired
     * @throws IllegalStateException if the client is closed
     */
    public String attestationToken() {
        return session().token();
    }

    private KbsSession session() {
        if (closed) {
            throw new IllegalStateException("KbsClient closed");
        }
        KbsSession s = current;
        Instant deadline = clock.instant().plus(skew);
        if (s != null && s.validAt(deadline)) {
            return s;
        }
        handshakeLock.lock();
        try {
            s = current;
            if (s != null && s.validAt(clock.instant().plus(skew))) {
                return s;
            }
            if (s != null && !s.renewable()) {
                throw new KeyReleaseException(Reason.KEY_RELEASE_DENIED, "the passport token has expired");
            }
            KbsSession fresh = handshake();
            retire(current);
            current = fresh;
            return fresh;
        } finally {
            handshakeLock.unlock();
        }
    }

    private void invalidate(KbsSession failed) {
        handshakeLock.lock();
        try {
            if (current == failed) {
                retire(failed);
                current = null;
            }
        } finally {
            handshakeLock.unlock();
        }
    }

    /** Keeps one retired generation alive for in-flight decryptions; destroys older ones. Under the lock. */
    private void retire(KbsSession s) {
        if (s == null) {
            return;
        }
        while (!retired.isEmpty()) {
            retired.removeFirst().key().destroy();
        }
        retired.add(s);
    }

    private KbsSession handshake() {
        String tee = KbsTee.nameOf(attester.teeType());
        HttpUrl authUrl = base.newBuilder().addPathSegments("kbs/v0/auth").build();
        Request auth = new Request.Builder().url(authUrl)
                .post(RequestBody.create(Json.write(KbsRequest.of(protocolVersion, tee).toJson()), JSON)).build();
        Transport.Answer a = transport.execute(auth, "POST /kbs/v0/auth");
        if (a.status() != 200) {
            throw handshakeRefused(a, "auth");
        }
        String cookie = null;
        for (Cookie c : Cookie.parseAll(authUrl, a.headers())) {
            if (COOKIE.equals(c.name())) {
                cookie = c.value();
            }
        }
        if (cookie == null || !COOKIE_VALUE.matcher(cookie).matches()) {
            throw new KeyReleaseException(Reason.SERVICE_UNAVAILABLE,
                    "malformed KBS response: /auth set no valid kbs-session-id cookie");
        }
        Challenge challenge;
        try {
            challenge = Challenge.fromJson(Json.parse(a.body(), "challenge"));
            challenge.selectedHash();
        } catch (KeyReleaseException e) {
            throw malformed(e);
        }
        TeeKeyPair key = TeeKeyPair.generate(keyAlgorithm);
        try {
            JsonNode jwk = key.publicJwk();
            RuntimeDataBinding deviceBinding = RuntimeDataBinding.of(challenge, jwk, "");
            Map<String, JsonNode> deviceEvidence = new LinkedHashMap<>();
            for (DeviceAttester d : devices) {
                deviceEvidence.put(d.kbsTeeName(), d.evidence(deviceBinding.deviceDigest()));
            }
            RuntimeDataBinding binding = RuntimeDataBinding.of(challenge, jwk,
                    RuntimeDataBinding.compositeAdditionalEvidence(deviceEvidence));
            Evidence evidence = attester.attest(binding.reportData());
            JsonNode primary = serializer.primaryEvidence(evidence, binding);
            Attestation att = new Attestation(initData == null ? null : InitDataBody.toml(initData.text()),
                    new RuntimeData(challenge.nonce(), jwk), new TeeEvidence(primary, binding.additionalEvidence()));
            Request attest = new Request.Builder().url(base.newBuilder().addPathSegments("kbs/v0/attest").build())
                    .header("Cookie", COOKIE + "=" + cookie)
                    .post(RequestBody.create(Json.write(att.toJson()), JSON)).build();
            Transport.Answer r = transport.execute(attest, "POST /kbs/v0/attest");
            if (r.status() != 200) {
                throw handshakeRefused(r, "attest");
            }
            String token;
            try {
                token = TokenResponse.fromJson(Json.parse(r.body(), "attestation response")).token();
            } catch (KeyReleaseException e) {
                throw malformed(e);
            }
            KbsSession s = new KbsSession(key, cookie, token, tokenExpiry(token, clock.instant()), true);
            LOG.log(System.Logger.Level.DEBUG, "KBS attestation as {0} succeeded; token expires {1}", tee,
                    s.expiresAt());
            return s;
        } catch (RuntimeException e) {
            key.destroy();
            throw e;
        }
    }

    private static Instant tokenExpiry(String token, Instant now) {
        try {
            Date exp = JWTParser.parse(token).getJWTClaimsSet().getExpirationTime();
            return exp == null ? now.plus(DEFAULT_TOKEN_LIFETIME) : exp.toInstant();
        } catch (ParseException e) {
            throw new KeyReleaseException(Reason.SERVICE_UNAVAILABLE,
                    "malformed KBS response: the attestation token is not a JWT");
        }
    }

    private KeyReleaseException handshakeRefused(Transport.Answer a, String step) {
        ErrorInformation err = errorOf(a);
        if (err.isVersionMismatch()) {
            return versionMismatch(err);
        }
        return new KeyReleaseException(Reason.KEY_RELEASE_DENIED, "KBS refused /" + step + " (" + describe(a, err)
                + ")");
    }

    private KeyReleaseException versionMismatch(ErrorInformation err) {
        return new KeyReleaseException(Reason.PROTOCOL_VERSION_MISMATCH, "KBS does not speak protocol "
                + protocolVersion + ": " + err.detail());
    }

    private static KeyReleaseException malformed(KeyReleaseException e) {
        return new KeyReleaseException(Reason.SERVICE_UNAVAILABLE, "malformed KBS response: " + e.getMessage(), e);
    }

    private static ErrorInformation errorOf(Transport.Answer a) {
        try {
            return ErrorInformation.fromJson(Json.parse(a.body(), "error body"));
        } catch (KeyReleaseException e) {
            return new ErrorInformation("(no error body)", "");
        }
    }

    private static String describe(Transport.Answer a, ErrorInformation err) {
        String t = err.knownType().map(ErrorType::variant).orElse(err.type());
        return "HTTP " + a.status() + " " + t + (err.detail().isEmpty() ? "" : ": " + truncate(err.detail()));
    }

    private static String truncate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }

    /** Destroys every TEE key this client made and releases HTTP resources. Idempotent. */
    @Override
    public void close() {
        handshakeLock.lock();
        try {
            closed = true;
            retire(current);
            retire(null);
            while (!retired.isEmpty()) {
                retired.removeFirst().key().destroy();
            }
            current = null;
        } finally {
            handshakeLock.unlock();
        }
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    @Override
    public String toString() {
        return "KbsClient[" + base + ", protocol " + protocolVersion + ", tee "
                + (attester == null ? "passport" : attester.teeType().id()) + "]";
    }

    /** Builds a {@link KbsClient}. Not thread-safe. */
    public static final class Builder {
        private String baseUrl;
        private KeyStore trustStore;
        private boolean systemTrust;
        private String protocolVersion = KbsRequest.DEFAULT_VERSION;
        private Duration timeout = Duration.ofSeconds(30);
        private Attester attester;
        private EvidenceSerializer serializer;
        private final List<DeviceAttester> devices = new ArrayList<>();
        private InitData initData;
        private TeeKeyAlgorithm keyAlgorithm = TeeKeyAlgorithm.EC_P256;
        private Clock clock = Clock.systemUTC();
        private Duration skew = Duration.ofSeconds(30);
        private int maxAttempts = 3;
        private Duration backoff = Duration.ofMillis(250);
        private String passportToken;
        private TeeKeyPair passportKey;

        private Builder() {
        }

        /**
         * The KBS base URL ({@code scheme://host:port}, without {@code /kbs/v0}). {@code http} is allowed only to
         * loopback addresses; anything else needs {@code https} and a trust configuration.
         *
         * @param url the base URL, e.g. {@code https://kbs.example:8080}; not null; checked by {@link #build()}, not
         *     here
         * @return this builder
         */
        public Builder baseUrl(String url) {
            this.baseUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * Trusts the CA certificate(s) in a PEM or DER file for the KBS's TLS certificate.
         *
         * @param pem a file holding one or more CA certificates, PEM or DER; read now, replaces any earlier trust store
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if the file cannot be read or holds no
         *     certificate
         */
        public Builder trustCaFile(Path pem) {
            try {
                List<X509Certificate> certs = Certificates.parseAll(Files.readAllBytes(pem));
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                for (int i = 0; i < certs.size(); i++) {
                    ks.setCertificateEntry("ca" + i, certs.get(i));
                }
                this.trustStore = ks;
                return this;
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                throw new ConfigurationException(Reason.CONFIGURATION, "cannot read KBS CA file " + pem, e);
            }
        }

        /**
         * Trusts the certificates in a key store for the KBS's TLS certificate.
         *
         * @param trustStore the trust anchors; not null, kept by reference (not copied), replaces an earlier CA file
         * @return this builder
         */
        public Builder trustStore(KeyStore trustStore) {
            this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
            return this;
        }

        /**
         * Trusts the JDK's default CA set (only when the KBS has a publicly issued certificate).
         *
         * @return this builder
         */
        public Builder systemTrust() {
            this.systemTrust = true;
            return this;
        }

        /**
         * The protocol version sent in {@code /auth} (default {@value KbsRequest#DEFAULT_VERSION}).
         *
         * @param version the version string, e.g. {@code 0.4.0}; not null, not validated locally (the KBS refuses a
         *     version it does not speak with {@link Reason#PROTOCOL_VERSION_MISMATCH})
         * @return this builder
         */
        public Builder protocolVersion(String version) {
            this.protocolVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * The limit for each HTTP request, connection included (default 30 s).
         *
         * @param timeout the per-request limit; must be positive
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code timeout} is zero or negative
         */
        public Builder timeout(Duration timeout) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "timeout must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * The attester (default: {@link Attesters#detect()}, which never picks {@code sample}; Trustee's sample
         * attester must be given here explicitly as {@link dev.coco4j.kbs.evidence.InsecureSampleAttester}).
         *
         * @param attester the attester that produces the evidence; not null
         * @return this builder
         */
        public Builder attester(Attester attester) {
            this.attester = Objects.requireNonNull(attester, "attester");
            return this;
        }

        /**
         * The evidence serialiser (default: the built-in or installed one for the attester's TEE).
         *
         * @param serializer the serialiser; not null, must be for the attester's TEE (checked by {@link #build()})
         * @return this builder
         */
        public Builder evidenceSerializer(EvidenceSerializer serializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            return this;
        }

        /**
         * Adds a device attester whose evidence goes into {@code additional_evidence}.
         *
         * @param device the device attester; not null; may be called several times, evidence is sent in call order
         * @return this builder
         */
        public Builder deviceAttester(DeviceAttester device) {
            this.devices.add(Objects.requireNonNull(device, "device"));
            return this;
        }

        /**
         * Init-data sent with the attestation (its exact bytes).
         *
         * @param initData the init-data; not null (leave unset to send none)
         * @return this builder
         */
        public Builder initData(InitData initData) {
            this.initData = Objects.requireNonNull(initData, "initData");
            return this;
        }

        /**
         * The TEE key algorithm (default EC P-256).
         *
         * @param algorithm the algorithm of the ephemeral key generated for each handshake; not null
         * @return this builder
         */
        public Builder teeKeyAlgorithm(TeeKeyAlgorithm algorithm) {
            this.keyAlgorithm = Objects.requireNonNull(algorithm, "algorithm");
            return this;
        }

        /**
         * The clock for token expiry (default UTC system clock).
         *
         * @param clock the clock compared with the token's {@code exp}; not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * A token counts as expired this long before its {@code exp} (default 30 s).
         *
         * @param skew the margin subtracted from {@code exp}; not null
         * @return this builder
         */
        public Builder tokenExpirySkew(Duration skew) {
            this.skew = Objects.requireNonNull(skew, "skew");
            return this;
        }

        /**
         * Attempts per request for 5xx, connection failures and timeouts (default 3), and the first backoff.
         *
         * @param maxAttempts the total attempts per request, at least 1 (1 disables retries)
         * @param backoff the delay before the first retry; not null
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code maxAttempts} is less than 1
         */
        public Builder retries(int maxAttempts, Duration backoff) {
            if (maxAttempts < 1) {
                throw new ConfigurationException(Reason.CONFIGURATION, "maxAttempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        /**
         * Passport mode: use {@code token}, obtained from another KBS or the attestation agent, as a Bearer, with the
         * TEE key pair that was bound when it was issued (resources are encrypted to it). No handshake is run.
         *
         * @param token the attestation token (a compact JWT); not null; its {@code exp}, if any, bounds its use
         * @param teeKeyPair the TEE key pair, EC P-256, EC P-521 or RSA of at least 2048 bits; kept by reference
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if the key is of another type or size
         */
        public Builder passport(String token, KeyPair teeKeyPair) {
            Objects.requireNonNull(token, "token");
            TeeKeyAlgorithm alg;
            if (teeKeyPair.getPublic() instanceof ECPublicKey ec) {
                int bits = ec.getParams().getCurve().getField().getFieldSize();
                alg = switch (bits) {
                    case 256 -> TeeKeyAlgorithm.EC_P256;
                    case 521 -> TeeKeyAlgorithm.EC_P521;
                    default -> throw new ConfigurationException(Reason.CONFIGURATION, "TEE key must be P-256/P-521");
                };
            } else if (teeKeyPair.getPublic() instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= 2048) {
                alg = TeeKeyAlgorithm.RSA_OAEP_256;
            } else {
                throw new ConfigurationException(Reason.CONFIGURATION, "TEE key must be EC P-256/P-521 or RSA 2048+");
            }
            this.passportToken = token;
            this.passportKey = TeeKeyPair.of(alg, teeKeyPair);
            return this;
        }

        /**
         * Builds the client.
         *
         * @return a new client; the caller should {@link KbsClient#close() close} it
         * @throws ConfigurationException if the URL is missing or malformed, plain http goes to a non-loopback host,
         *     https has no trust configured, or no attester is available
         */
        public KbsClient build() {
            if (baseUrl == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "KBS base URL missing");
            }
            HttpUrl url = HttpUrl.parse(baseUrl);
            if (url == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "malformed KBS URL '" + baseUrl + "'");
            }
            String p = url.encodedPath();
            if (!p.isEmpty() && !p.equals("/") || url.query() != null) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "the KBS URL is scheme://host:port only (without /kbs/v0)");
            }
            // one client is shared by many threads: keep their connections instead of reconnecting
            OkHttpClient http = HttpClients.build(url, timeout, trustStore, systemTrust, "KBS", 64);
            return new KbsClient(this, url.newBuilder().encodedPath("/").build(), http);
        }
    }
}
