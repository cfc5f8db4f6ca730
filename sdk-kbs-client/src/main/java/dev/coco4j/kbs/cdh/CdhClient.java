package dev.coco4j.kbs.cdh;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.KbsSecret;
import dev.coco4j.kbs.internal.HttpClients;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.internal.Transport;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;

/**
 * A client of the in-guest CoCo REST API ({@code api-server-rest} in front of the Confidential Data Hub and the
 * Attestation Agent; default {@value #DEFAULT_BASE_URL}). The CDH holds the KBS session, so no attestation happens
 * here:
 * <ul>
 *   <li>{@link #getResource(String)}: {@code GET /cdh/resource/<repo>/<type>/<tag>} → the plaintext bytes;</li>
 *   <li>{@link #attestationToken(String)}: {@code GET /aa/token?token_type=<type>} →
 *       {@code {"token","tee_keypair"}};</li>
 *   <li>{@link #evidence(byte[])}: {@code GET /aa/evidence?runtime_data=<base64url, no padding>&encoding=base64} →
 *       the primary evidence.</li>
 * </ul>
 *
 * <p>Plain http is allowed only to loopback addresses (the API server itself answers 403 to other callers); https
 * needs an explicit trust configuration. Refusals: resources and tokens throw {@link KeyReleaseException}, evidence
 * throws {@link CollateralException}, with {@link Reason#RESOURCE_NOT_FOUND} (404: no such resource, or the feature is
 * not enabled in the server), {@link Reason#KEY_RELEASE_DENIED} (401/403, the server refused the caller),
 * {@link Reason#CONFIGURATION} (400: a parameter the server rejects) and {@link Reason#SERVICE_UNAVAILABLE} (5xx after
 * bounded retries, connection failures, timeouts, malformed answers). Secrets never appear in messages or
 * {@code toString}.
 *
 * <p>Thread-safe.
 */
public final class CdhClient implements AutoCloseable {
    /** The api-server-rest default bind address. */
    public static final String DEFAULT_BASE_URL = "http://127.0.0.1:8006";

    private static final Pattern TOKEN_TYPE = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final HttpUrl base;
    private final OkHttpClient http;
    private final Transport transport;

    private CdhClient(HttpUrl base, OkHttpClient http, Transport transport) {
        this.base = base;
        this.http = http;
        this.transport = transport;
    }

    /**
     * A new builder.
     *
     * @return a new builder for the default address {@value #DEFAULT_BASE_URL}, 30 s timeout and 3 attempts
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Fetches the resource {@code repo/type/tag} (or a {@code kbs:///repo/type/tag} URI) through the CDH.
     *
     * @param path {@code repo/type/tag}, {@code kbs:///repo/type/tag} or {@code kbs+resource:///repo/type/tag} (host
     *     ignored); not null; each segment letters, digits, {@code _}, {@code -}, {@code .}, not starting with
     *     {@code .}
     * @return the secret with a private copy of the bytes the CDH returned; the caller should close it after use
     * @throws ConfigurationException if the path is not three valid segments
     * @throws KeyReleaseException if the CDH does not release it (see the class comment)
     */
    public KbsSecret getResource(String path) {
        String[] seg = HttpClients.resourceSegments(path);
        return getResource(seg[0], seg[1], seg[2]);
    }

    /**
     * Fetches the resource {@code repo/type/tag}. See {@link #getResource(String)}.
     *
     * @param repo the repository segment; letters, digits, {@code _}, {@code -}, {@code .}, not starting with {@code .}
     * @param type the type segment; same rules as {@code repo}
     * @param tag the tag segment; same rules as {@code repo}
     * @return the secret with a private copy of the bytes the CDH returned; the caller should close it after use
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if a segment is invalid
     * @throws KeyReleaseException if the CDH does not release it, with the reason the class comment maps from the HTTP
     *     status
     */
    public KbsSecret getResource(String repo, String type, String tag) {
        String[] seg = HttpClients.resourceSegments(repo + "/" + type + "/" + tag);
        String path = String.join("/", seg);
        HttpUrl url = base.newBuilder().addPathSegments("cdh/resource").addPathSegment(seg[0])
                .addPathSegment(seg[1]).addPathSegment(seg[2]).build();
        Transport.Answer a = transport.execute(new Request.Builder().url(url).get().build(), "GET /cdh/resource/"
                + path);
        if (a.status() == 200) {
            byte[] body = a.body();
            try {
                return KbsSecret.copyOf(path, body);
            } finally {
                Arrays.fill(body, (byte) 0);
            }
        }
        Arrays.fill(a.body(), (byte) 0); // an error body of a secret endpoint is not echoed
        throw new KeyReleaseException(reasonOf(a.status()), "CDH did not release resource " + path + " (HTTP "
                + a.status() + ")");
    }

    /**
     * Asks the Attestation Agent for an attestation token of {@code tokenType} ({@code kbs} for a KBS token usable as
     * a passport Bearer).
     *
     * @param tokenType the token type, 1 to 64 letters, digits, {@code _}, {@code .} or {@code -}; {@code kbs} for a
     *     KBS token
     * @return the token and, if the agent returned one, its TEE key pair; both secrets
     * @throws KeyReleaseException ({@link Reason#SERVICE_UNAVAILABLE}) also when the answer is not JSON with a
     *     non-empty string {@code token}
     * @throws ConfigurationException if the token type is not a plain identifier
     * @throws KeyReleaseException if the agent refuses (see the class comment)
     */
    public AttestationAgentToken attestationToken(String tokenType) {
        if (tokenType == null || !TOKEN_TYPE.matcher(tokenType).matches()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "invalid token type '" + tokenType + "'");
        }
        HttpUrl url = base.newBuilder().addPathSegments("aa/token").addQueryParameter("token_type", tokenType)
                .build();
        String what = "GET /aa/token?token_type=" + tokenType;
        Transport.Answer a = transport.execute(new Request.Builder().url(url).get().build(), what);
        if (a.status() != 200) {
            throw new KeyReleaseException(reasonOf(a.status()), what + " refused (HTTP " + a.status() + ": "
                    + HttpClients.excerpt(a.body()) + ")");
        }
        try {
            JsonNode n = Json.parse(a.body(), "token response");
            JsonNode t = n.get("token");
            if (t == null || !t.isTextual() || t.textValue().isEmpty()) {
                throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, "token response has no string 'token'");
            }
            JsonNode k = n.get("tee_keypair");
            return new AttestationAgentToken(tokenType, t.textValue(),
                    k != null && k.isTextual() && !k.textValue().isEmpty() ? k.textValue() : null);
        } catch (KeyReleaseException e) {
            // the message names the problem, never the body (it carries the token)
            throw new KeyReleaseException(Reason.SERVICE_UNAVAILABLE, "malformed AA token response: "
                    + e.getMessage(), e);
        } finally {
            Arrays.fill(a.body(), (byte) 0);
        }
    }

    /**
     * Asks the Attestation Agent for primary evidence binding {@code runtimeData}: sent as base64url without padding
     * with {@code encoding=base64}, so any bytes survive. Returns the evidence exactly as the agent answered (JSON for
     * most TEEs).
     *
     * @param runtimeData the bytes to bind, any length and content; not null, not kept
     * @return the evidence bytes as the agent answered them (never empty); the caller owns the array
     * @throws CollateralException ({@link Reason#SERVICE_UNAVAILABLE}) also when the agent answers 200 with an empty
     *     body
     * @throws CollateralException if the agent refuses (see the class comment)
     */
    public byte[] evidence(byte[] runtimeData) {
        Objects.requireNonNull(runtimeData, "runtimeData");
        HttpUrl url = base.newBuilder().addPathSegments("aa/evidence")
                .addQueryParameter("runtime_data", B64URL.encodeToString(runtimeData))
                .addQueryParameter("encoding", "base64").build();
        return evidence(url);
    }

    /**
     * Asks for evidence with {@code runtimeData} passed as a raw string (no {@code encoding}), the way
     * {@code curl .../aa/evidence?runtime_data=xxxx} does; the agent hashes or pads the UTF-8 bytes itself.
     *
     * @param runtimeData the text to bind, sent as its UTF-8 bytes in the query; not null
     * @return the evidence bytes as the agent answered them (never empty); the caller owns the array
     * @throws CollateralException if the agent refuses (see the class comment), or ({@link Reason#SERVICE_UNAVAILABLE})
     *     answers 200 with an empty body
     */
    public byte[] evidence(String runtimeData) {
        Objects.requireNonNull(runtimeData, "runtimeData");
        HttpUrl url = base.newBuilder().addPathSegments("aa/evidence").addQueryParameter("runtime_data", runtimeData)
                .build();
        return evidence(url);
    }

    private byte[] evidence(HttpUrl url) {
        String what = "GET /aa/evidence";
        Transport.Answer a;
        try {
            a = transport.execute(new Request.Builder().url(url).get().build(), what);
        } catch (KeyReleaseException e) {
            throw new CollateralException(e.reason(), e.getMessage(), e);
        }
        if (a.status() != 200) {
            throw new CollateralException(reasonOf(a.status()), what + " refused (HTTP " + a.status() + ": "
                    + HttpClients.excerpt(a.body()) + ")");
        }
        if (a.body().length == 0) {
            throw new CollateralException(Reason.SERVICE_UNAVAILABLE, what + " returned no evidence");
        }
        return a.body();
    }

    private static Reason reasonOf(int status) {
        return switch (status) {
            case 404 -> Reason.RESOURCE_NOT_FOUND;
            case 401, 403 -> Reason.KEY_RELEASE_DENIED;
            case 400 -> Reason.CONFIGURATION;
            default -> Reason.SERVICE_UNAVAILABLE;
        };
    }

    /** Releases HTTP resources. Idempotent. */
    @Override
    public void close() {
        HttpClients.shutdown(http);
    }

    @Override
    public String toString() {
        return "CdhClient[" + base + "]";
    }

    /** Builds a {@link CdhClient}. Not thread-safe. */
    public static final class Builder {
        private String baseUrl = DEFAULT_BASE_URL;
        private Duration timeout = Duration.ofSeconds(30);
        private KeyStore trustStore;
        private boolean systemTrust;
        private int maxAttempts = 3;
        private Duration backoff = Duration.ofMillis(250);

        private Builder() {
        }

        /**
         * The API server URL ({@code scheme://host:port}, default {@value #DEFAULT_BASE_URL}).
         *
         * @param url the base URL; not null; checked by {@link #build()}, not here
         * @return this builder
         */
        public Builder baseUrl(String url) {
            this.baseUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * The limit for each HTTP request, connection included (default 30 s; evidence can take seconds).
         *
         * @param timeout the per-request limit; not null, must be positive
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code timeout} is zero or negative
         */
        public Builder timeout(Duration timeout) {
            this.timeout = HttpClients.positive(Objects.requireNonNull(timeout, "timeout"));
            return this;
        }

        /**
         * For an https front end: trusts the CA certificate(s) in a PEM or DER file.
         *
         * @param pem a file holding one or more CA certificates, PEM or DER; read now, replaces an earlier trust store
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if the file cannot be read or holds no
         *     certificate
         */
        public Builder trustCaFile(Path pem) {
            this.trustStore = HttpClients.trustStoreOf(pem, "CDH");
            return this;
        }

        /**
         * For an https front end: trusts the certificates in a key store.
         *
         * @param trustStore the trust anchors; not null, kept by reference (not copied), replaces an earlier CA file
         * @return this builder
         */
        public Builder trustStore(KeyStore trustStore) {
            this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
            return this;
        }

        /**
         * For an https front end: trusts the JDK's default CA set.
         *
         * @return this builder
         */
        public Builder systemTrust() {
            this.systemTrust = true;
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
         * Builds the client.
         *
         * @return a new client; the caller should {@link CdhClient#close() close} it
         * @throws ConfigurationException if the URL is malformed, has a path, is plain http to a non-loopback host,
         *     or is https without trust
         */
        public CdhClient build() {
            HttpUrl url = HttpClients.baseUrl(baseUrl, "CDH");
            OkHttpClient http = HttpClients.build(url, timeout, trustStore, systemTrust, "CDH");
            return new CdhClient(url, http, new Transport(http, maxAttempts, backoff));
        }
    }
}
