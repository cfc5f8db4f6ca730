package dev.coco4j.kbs.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.internal.HttpClients;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.internal.Transport;
import dev.coco4j.kbs.protocol.ErrorInformation;
import dev.coco4j.kbs.protocol.ErrorType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;

/**
 * An administration client of a Trustee KBS ({@code /kbs/v0}), authenticated with {@code Authorization: Bearer
 * <admin token>}:
 * <ul>
 *   <li>{@link #setResource}: {@code POST /kbs/v0/resource/<repo>/<type>/<tag>}, the raw bytes as
 *       {@code application/octet-stream};</li>
 *   <li>{@link #deleteResource}: {@code DELETE /kbs/v0/resource/<repo>/<type>/<tag>};</li>
 *   <li>{@link #setResourcePolicy}: {@code POST /kbs/v0/resource-policy} {@code {"policy":"<base64url rego>"}};</li>
 *   <li>{@link #setAttestationPolicy}: {@code POST /kbs/v0/attestation-policy}
 *       {@code {"type":"rego","policy_id":"<id>","policy":"<base64url>"}}.</li>
 * </ul>
 * Policies are base64url <b>without padding</b>: Trustee documents "base64" but decodes {@code URL_SAFE_NO_PAD}, so
 * standard base64 with {@code +}, {@code /} or {@code =} would be refused.
 *
 * <p>Refusals are {@link KeyReleaseException}s mapped by the error {@code type}, not only by status (Trustee answers
 * 401 for nearly everything): {@link Reason#KEY_RELEASE_DENIED} for a refused admin token ({@code AdminAuthAccess},
 * {@code AdminAuthInitialization}, any other 401/403), {@link Reason#CONFIGURATION} for a policy or body the KBS
 * cannot parse ({@code ParsePolicyError}, {@code SerdeError}, 400), {@link Reason#RESOURCE_NOT_FOUND} for 404
 * ({@code InvalidRequestPath}, {@code PluginNotFound}) and for deleting a missing resource ({@code
 * PluginInternalError}), {@link Reason#SERVICE_UNAVAILABLE} for 5xx after bounded retries, connection failures and
 * timeouts. The admin token and resource bytes never appear in messages, logs or {@code toString}.
 *
 * <p>Thread-safe.
 */
public final class KbsAdminClient implements AutoCloseable {
    /** The attestation policy id kbs-client uses by default. */
    public static final String DEFAULT_ATTESTATION_POLICY_ID = "default_cpu";

    private static final MediaType OCTETS = MediaType.get("application/octet-stream");
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Pattern POLICY_ID = Pattern.compile("^[A-Za-z0-9_.-]{1,128}$");
    private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

    private final HttpUrl base;
    private final OkHttpClient http;
    private final Transport transport;
    private final String adminToken;

    private KbsAdminClient(HttpUrl base, OkHttpClient http, Transport transport, String adminToken) {
        this.base = base;
        this.http = http;
        this.transport = transport;
        this.adminToken = adminToken;
    }

    /**
     * A new builder.
     *
     * @return a new builder (30 s timeout, 3 attempts; URL and admin token must be set)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Registers or overwrites the resource {@code repo/type/tag} (or {@code kbs:///repo/type/tag}) with {@code bytes}.
     *
     * @param path {@code repo/type/tag} or {@code kbs:///repo/type/tag} (host ignored); not null; each segment letters,
     *     digits, {@code _}, {@code -}, {@code .}, not starting with {@code .}
     * @param bytes the resource content, any length; not null, copied before sending and never logged
     * @throws ConfigurationException if the path is not three valid segments
     * @throws KeyReleaseException if the KBS refuses (see the class comment)
     */
    public void setResource(String path, byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        String[] seg = HttpClients.resourceSegments(path);
        send(new Request.Builder().url(resourceUrl(seg)).post(RequestBody.create(bytes.clone(), OCTETS)),
                "POST /kbs/v0/resource/" + String.join("/", seg), false);
    }

    /**
     * Deletes the resource {@code repo/type/tag} (or {@code kbs:///repo/type/tag}).
     *
     * @param path {@code repo/type/tag} or {@code kbs:///repo/type/tag} (host ignored); not null; each segment letters,
     *     digits, {@code _}, {@code -}, {@code .}, not starting with {@code .}
     * @throws ConfigurationException if the path is not three valid segments
     * @throws KeyReleaseException if the KBS refuses; {@link Reason#RESOURCE_NOT_FOUND} if it has no such resource
     */
    public void deleteResource(String path) {
        String[] seg = HttpClients.resourceSegments(path);
        send(new Request.Builder().url(resourceUrl(seg)).delete(), "DELETE /kbs/v0/resource/" + String.join("/", seg),
                true);
    }

    /**
     * Sets the resource policy (Rego text; {@code data.policy.allow} must evaluate to {@code true} to release).
     *
     * @param rego the Rego policy text; not null, sent as base64url (no padding) of its UTF-8 bytes
     * @throws KeyReleaseException if the KBS refuses; {@link Reason#CONFIGURATION} if it cannot parse the policy
     */
    public void setResourcePolicy(String rego) {
        Objects.requireNonNull(rego, "rego");
        ObjectNode body = Json.object();
        body.put("policy", B64URL.encodeToString(rego.getBytes(StandardCharsets.UTF_8)));
        send(new Request.Builder().url(url("resource-policy")).post(RequestBody.create(Json.write(body), JSON)),
                "POST /kbs/v0/resource-policy", false);
    }

    /**
     * Sets the attestation policy {@code policyId} ({@code default_cpu}, ...) of type {@code type} ({@code rego}).
     *
     * @param policyId the policy id, 1 to 128 letters, digits, {@code _}, {@code .} or {@code -}, e.g.
     *     {@value #DEFAULT_ATTESTATION_POLICY_ID}
     * @param type the policy language, same character rules as {@code policyId}; Trustee knows {@code rego}
     * @param policy the policy text; not null, sent as base64url (no padding) of its UTF-8 bytes
     * @throws ConfigurationException if the id or type is not a plain identifier
     * @throws KeyReleaseException if the KBS refuses; {@link Reason#CONFIGURATION} if it cannot parse the policy
     */
    public void setAttestationPolicy(String policyId, String type, String policy) {
        Objects.requireNonNull(policy, "policy");
        for (String s : new String[] {policyId, type}) {
            if (s == null || !POLICY_ID.matcher(s).matches()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "invalid attestation policy id or type '" + s
                        + "'");
            }
        }
        ObjectNode body = Json.object();
        body.put("type", type);
        body.put("policy_id", policyId);
        body.put("policy", B64URL.encodeToString(policy.getBytes(StandardCharsets.UTF_8)));
        send(new Request.Builder().url(url("attestation-policy")).post(RequestBody.create(Json.write(body), JSON)),
                "POST /kbs/v0/attestation-policy", false);
    }

    /**
     * Sets a Rego attestation policy: {@code setAttestationPolicy(policyId, "rego", rego)}.
     *
     * @param policyId the policy id, 1 to 128 letters, digits, {@code _}, {@code .} or {@code -}, e.g.
     *     {@value #DEFAULT_ATTESTATION_POLICY_ID}
     * @param rego the Rego policy text; not null, sent as base64url (no padding) of its UTF-8 bytes
     * @throws ConfigurationException if the id is not a plain identifier
     * @throws KeyReleaseException if the KBS refuses; {@link Reason#CONFIGURATION} if it cannot parse the policy
     */
    public void setAttestationPolicy(String policyId, String rego) {
        setAttestationPolicy(policyId, "rego", rego);
    }

    private HttpUrl url(String endpoint) {
        return base.newBuilder().addPathSegments("kbs/v0").addPathSegment(endpoint).build();
    }

    private HttpUrl resourceUrl(String[] seg) {
        return base.newBuilder().addPathSegments("kbs/v0/resource").addPathSegment(seg[0]).addPathSegment(seg[1])
                .addPathSegment(seg[2]).build();
    }

    private void send(Request.Builder rb, String what, boolean deleting) {
        Request request = rb.header("Authorization", "Bearer " + adminToken).build();
        Transport.Answer a = transport.execute(request, what);
        if (a.status() >= 200 && a.status() < 300) {
            return;
        }
        ErrorInformation err = errorOf(a);
        Optional<ErrorType> kind = err.knownType();
        Reason reason;
        if (a.status() == 404 || kind.filter(t -> t == ErrorType.INVALID_REQUEST_PATH
                || t == ErrorType.PLUGIN_NOT_FOUND).isPresent()) {
            reason = Reason.RESOURCE_NOT_FOUND;
        } else if (kind.filter(t -> t == ErrorType.ADMIN_AUTH_ACCESS || t == ErrorType.ADMIN_AUTH_INITIALIZATION)
                .isPresent()) {
            reason = Reason.KEY_RELEASE_DENIED;
        } else if (a.status() == 400 || kind.filter(t -> t == ErrorType.PARSE_POLICY_ERROR
                || t == ErrorType.SERDE_ERROR).isPresent()) {
            reason = Reason.CONFIGURATION;
        } else if (deleting && kind.filter(t -> t == ErrorType.PLUGIN_INTERNAL_ERROR).isPresent()) {
            reason = Reason.RESOURCE_NOT_FOUND;
        } else if (a.status() == 401 && kind.isEmpty() || a.status() == 403) {
            reason = Reason.KEY_RELEASE_DENIED;
        } else {
            reason = Reason.SERVICE_UNAVAILABLE;
        }
        throw new KeyReleaseException(reason, what + " refused (" + describe(a, err) + ")");
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
        String d = err.detail();
        return "HTTP " + a.status() + " " + t + (d.isEmpty() ? "" : ": " + (d.length() > 300 ? d.substring(0, 300)
                + "…" : d));
    }

    /** Releases HTTP resources. Idempotent. */
    @Override
    public void close() {
        HttpClients.shutdown(http);
    }

    /** Names the KBS; never the admin token. */
    @Override
    public String toString() {
        return "KbsAdminClient[" + base + ", admin token not shown]";
    }

    /** Builds a {@link KbsAdminClient}. Not thread-safe; its {@code toString} never shows the token. */
    public static final class Builder {
        private String baseUrl;
        private KeyStore trustStore;
        private boolean systemTrust;
        private String adminToken;
        private Duration timeout = Duration.ofSeconds(30);
        private int maxAttempts = 3;
        private Duration backoff = Duration.ofMillis(250);

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
         * @param pem a file holding one or more CA certificates, PEM or DER; read now, replaces an earlier trust store
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if the file cannot be read or holds no
         *     certificate
         */
        public Builder trustCaFile(Path pem) {
            this.trustStore = HttpClients.trustStoreOf(pem, "KBS");
            return this;
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
         * The admin token (a JWT) sent as {@code Authorization: Bearer}. Never logged or printed.
         *
         * @param token the token; not null; surrounding white space is stripped, the rest must be printable ASCII
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if it is blank or holds spaces or control
         *     characters
         */
        public Builder adminToken(String token) {
            Objects.requireNonNull(token, "token");
            String t = token.strip();
            if (t.isEmpty() || t.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "the admin token must be non-empty printable ASCII without spaces");
            }
            this.adminToken = t;
            return this;
        }

        /**
         * Reads the admin token from a file (kbs-client's {@code --admin-token-file}).
         *
         * @param file a UTF-8 text file holding only the token (surrounding white space is stripped)
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if the file cannot be read, is blank or the
         *     token is not printable ASCII
         */
        public Builder adminTokenFile(Path file) {
            return adminToken(HttpClients.readSecretFile(file, "admin token"));
        }

        /**
         * The limit for each HTTP request, connection included (default 30 s).
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
         * @return a new client; the caller should {@link KbsAdminClient#close() close} it
         * @throws ConfigurationException if the URL or admin token is missing, the URL is malformed, plain http goes
         *     to a non-loopback host, or https has no trust configured
         */
        public KbsAdminClient build() {
            HttpUrl url = HttpClients.baseUrl(baseUrl, "KBS");
            if (adminToken == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "KBS admin token missing");
            }
            OkHttpClient http = HttpClients.build(url, timeout, trustStore, systemTrust, "KBS");
            return new KbsAdminClient(url, http, new Transport(http, maxAttempts, backoff), adminToken);
        }

        @Override
        public String toString() {
            return "KbsAdminClient.Builder[" + baseUrl + ", admin token " + (adminToken == null ? "unset" : "set")
                    + "]";
        }
    }
}
