package dev.coco4j.gpu.nras;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.core.internal.LoopbackHosts;
import dev.coco4j.core.internal.RetryingHttp;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.ResponseBody;

/**
 * A client for NVIDIA's Remote Attestation Service: {@code POST <base>/v3|v4/attest/gpu} with an
 * {@link NrasRequest}, answered by a {@link DetachedEat}, verified by an {@link NrasTokenVerifier} whose keys come
 * from {@code <base>}{@value NrasJwks#WELL_KNOWN_PATH} (unless another {@link NrasJwks} is given).
 *
 * <p>HTTP: one injected {@link OkHttpClient}; the base URL must be {@code https}, except for loopback hosts (local
 * mirrors, tests). HTTP 429, 5xx, connection failures and timeouts are retried up to {@code maxAttempts} requests in
 * all, waiting what {@code Retry-After} asks for (capped at {@code maxRetryAfter}) or an exponential backoff with
 * jitter; when attempts run out, {@link Reason#SERVICE_UNAVAILABLE}. 400 means NRAS refused the evidence as malformed
 * ({@link Reason#MALFORMED_EVIDENCE}); 401/403 a missing or wrong API key ({@link Reason#CONFIGURATION}); other 4xx
 * {@link Reason#SERVICE_UNAVAILABLE}. The optional API key travels as {@code Authorization: Bearer ...}; it is never
 * logged nor put in messages or {@link #toString()}. Logging ({@link System.Logger}) names URLs, statuses and timings
 * only.
 *
 * <p>Use of NRAS is governed by NVIDIA's terms for its attestation services. Thread-safe.
 */
public final class NrasClient {
    /** NVIDIA's production service. */
    public static final String DEFAULT_BASE_URL = "https://nras.attestation.nvidia.com";
    /** The largest answer read (a detached EAT for eight GPUs is a few tens of KiB). */
    public static final int MAX_RESPONSE_BYTES = 1 << 20;
    private static final System.Logger LOG = System.getLogger(NrasClient.class.getName());
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final RetryingHttp http;
    private final HttpUrl base;
    private final String apiKey;
    private final int maxAttempts;
    private final Clock clock;
    private final boolean allowCertificateHold;
    private final NrasTokenVerifier verifier;

    private NrasClient(Builder b, HttpUrl base) {
        this.http = new RetryingHttp(b.http, b.maxAttempts, b.initialBackoff, MAX_BACKOFF, b.maxRetryAfter, b.clock,
                b.sleeper, LOG);
        this.base = base;
        this.apiKey = b.apiKey;
        this.maxAttempts = b.maxAttempts;
        this.clock = b.clock;
        this.allowCertificateHold = b.allowCertificateHold;
        NrasJwks jwks = b.jwks != null ? b.jwks : NrasJwks.builder()
                .url(base.newBuilder().encodedPath(NrasJwks.WELL_KNOWN_PATH).build().toString())
                .fetcher(CollateralFetcher.builder().httpClient(b.http).clock(b.clock).sleeper(b.sleeper)
                        .maxAttempts(b.maxAttempts).build())
                .build();
        this.verifier = NrasTokenVerifier.builder().jwks(jwks).issuer(b.issuer)
                .allowPpcieWithoutSwitchEvidence(b.allowPpcie).build();
    }

    /**
     * A builder: NVIDIA's service, a default OkHttp client, 3 attempts, the system clock.
     *
     * @return a new builder with the defaults above; each call gives an independent builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sends the request and verifies the answer at the clock's instant.
     *
     * @param request the request to send; must not be {@code null}; its nonce is the one every token must carry
     * @return the accepted appraisal, with one {@link NrasGpuClaims} per evidence entry
     * @throws dev.coco4j.core.CocoException as {@link #submit} and {@link NrasTokenVerifier#verify} say, and
     *     {@link Reason#MALFORMED_EVIDENCE} if NRAS answered for another number of GPUs than were sent
     */
    public NrasResult attest(NrasRequest request) {
        DetachedEat eat = submit(request);
        NrasResult result = verifier.verify(eat, request.nonce(), clock.instant());
        if (result.gpus().size() != request.evidence().size()) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "NRAS answered for " + result.gpus().size()
                    + " GPU(s), " + request.evidence().size() + " were sent");
        }
        return result;
    }

    /**
     * Sends the request and parses the answer, without verifying it (use {@link #verifier()} for that).
     *
     * @param request the request to send; must not be {@code null}
     * @return the parsed, not yet verified detached EAT of a 2xx answer of at most {@value #MAX_RESPONSE_BYTES} bytes
     * @throws CollateralException {@link Reason#SERVICE_UNAVAILABLE} when the service stays unavailable
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} for a 400 or an answer that is not a detached EAT
     * @throws ConfigurationException {@link Reason#CONFIGURATION} for 401/403
     */
    public DetachedEat submit(NrasRequest request) {
        Objects.requireNonNull(request, "request");
        HttpUrl url = base.newBuilder().encodedPath(request.apiVersion().path()).build();
        Request.Builder rb = new Request.Builder().url(url).post(RequestBody.create(request.toJson(), JSON))
                .header("Accept", "application/json");
        if (apiKey != null) {
            rb.header("Authorization", "Bearer " + apiKey);
        }
        if (allowCertificateHold) {
            rb.header("X-NVIDIA-OCSP-ALLOW-CERT-HOLD", "true");
        }
        return http.execute(rb.build(), (response, attempt, ms) -> {
            int code = response.code();
            LOG.log(Level.DEBUG, () -> "POST " + url + " -> " + code + " in " + ms + " ms (attempt " + attempt + ")");
            if (code >= 200 && code <= 299) {
                return DetachedEat.parse(readBounded(response.body()));
            }
            if (code == 400) {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE, "NRAS refused the request as malformed "
                        + "(HTTP 400)");
            }
            if (code == 401 || code == 403) {
                throw new ConfigurationException(Reason.CONFIGURATION, "NRAS answered HTTP " + code + ": an API "
                        + "key is missing or not accepted");
            }
            throw new CollateralException(Reason.SERVICE_UNAVAILABLE, "POST " + url + " answered HTTP " + code);
        });
    }

    /**
     * The verifier this client applies to NRAS's answers.
     *
     * @return the token verifier built from this client's JWKS, issuer and PPCIe setting; shared, thread-safe
     */
    public NrasTokenVerifier verifier() {
        return verifier;
    }

    private static byte[] readBounded(ResponseBody body) throws IOException {
        if (body.contentLength() > MAX_RESPONSE_BYTES) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "NRAS answer larger than " + MAX_RESPONSE_BYTES
                    + " bytes");
        }
        try (InputStream in = body.byteStream()) {
            byte[] b = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            if (b.length > MAX_RESPONSE_BYTES) {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE, "NRAS answer larger than "
                        + MAX_RESPONSE_BYTES + " bytes");
            }
            return b;
        }
    }

    @Override
    public String toString() {
        return "NrasClient[" + base + ", api key " + (apiKey != null ? "set" : "none") + ", " + maxAttempts
                + " attempts]";
    }

    /** Builds an {@link NrasClient}. Not thread-safe; {@link #build()} copies everything. */
    public static final class Builder {
        private OkHttpClient http;
        private String baseUrl = DEFAULT_BASE_URL;
        private String apiKey;
        private int maxAttempts = 3;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private CollateralFetcher.Sleeper sleeper = d -> Thread.sleep(d.toMillis());
        private Clock clock = Clock.systemUTC();
        private boolean allowCertificateHold;
        private NrasJwks jwks;
        private String issuer = NrasTokenVerifier.NVIDIA_ISSUER;
        private boolean allowPpcie;

        private Builder() {
        }

        /**
         * The HTTP client (default: 10 s connect, 60 s read and call timeouts).
         *
         * @param value the client for the attestation requests and, unless {@link #jwks} is set, the JWKS fetches; must
         *     not be {@code null}; kept, not copied
         * @return this builder
         */
        public Builder httpClient(OkHttpClient value) {
            this.http = Objects.requireNonNull(value, "httpClient");
            return this;
        }

        /**
         * The service's base URL, scheme and host only (default {@value NrasClient#DEFAULT_BASE_URL}).
         *
         * @param value the base URL, e.g. {@code https://nras.attestation.nvidia.com}; must not be {@code null};
         *     checked by {@link #build()} (https, or http to loopback; no path or query)
         * @return this builder
         */
        public Builder baseUrl(String value) {
            this.baseUrl = Objects.requireNonNull(value, "baseUrl");
            return this;
        }

        /**
         * An NGC API key, sent as a bearer token (default none). Never logged.
         *
         * @param value the API key; must not be {@code null} (leave unset for none); kept in memory, never logged or
         *     shown by {@code toString()}
         * @return this builder
         */
        public Builder apiKey(String value) {
            this.apiKey = Objects.requireNonNull(value, "apiKey");
            return this;
        }

        /**
         * Requests in all, including the first (1..10, default 3).
         *
         * @param value the number of requests in all, 1 to 10
         * @return this builder
         * @throws ConfigurationException {@link Reason#CONFIGURATION} if {@code value} is outside 1 to 10
         */
        public Builder maxAttempts(int value) {
            if (value < 1 || value > 10) {
                throw new ConfigurationException(Reason.CONFIGURATION, "maxAttempts must be within 1..10");
            }
            this.maxAttempts = value;
            return this;
        }

        /**
         * The first backoff without {@code Retry-After} (default 500 ms; doubled per attempt, at most 10 s).
         *
         * @param value the first backoff; must not be {@code null}
         * @return this builder
         */
        public Builder initialBackoff(Duration value) {
            this.initialBackoff = Objects.requireNonNull(value, "initialBackoff");
            return this;
        }

        /**
         * The longest wait a {@code Retry-After} can impose (default 60 s).
         *
         * @param value the cap on a server-requested {@code Retry-After} wait; must not be {@code null}
         * @return this builder
         */
        public Builder maxRetryAfter(Duration value) {
            this.maxRetryAfter = Objects.requireNonNull(value, "maxRetryAfter");
            return this;
        }

        /**
         * How to wait between attempts (tests inject one that records and returns).
         *
         * @param value the sleeper called between attempts; must not be {@code null}
         * @return this builder
         */
        public Builder sleeper(CollateralFetcher.Sleeper value) {
            this.sleeper = Objects.requireNonNull(value, "sleeper");
            return this;
        }

        /**
         * The clock tokens are checked at (default the system clock).
         *
         * @param value the clock that supplies the verification instant for token validity; must not be {@code null}
         * @return this builder
         */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /**
         * Ask NRAS to tolerate OCSP {@code certificateHold} ({@code X-NVIDIA-OCSP-ALLOW-CERT-HOLD}; default no).
         *
         * @param value {@code true} to send {@code X-NVIDIA-OCSP-ALLOW-CERT-HOLD: true}, {@code false} to leave it out
         * @return this builder
         */
        public Builder allowCertificateHold(boolean value) {
            this.allowCertificateHold = value;
            return this;
        }

        /**
         * The signing keys (default: the JWKS at the base URL, fetched with this client's HTTP client).
         *
         * @param value the key source to verify tokens with; must not be {@code null}
         * @return this builder
         */
        public Builder jwks(NrasJwks value) {
            this.jwks = Objects.requireNonNull(value, "jwks");
            return this;
        }

        /**
         * The required token issuer (default {@value NrasTokenVerifier#NVIDIA_ISSUER}).
         *
         * @param value the exact {@code iss} value tokens must carry; must not be {@code null}
         * @return this builder
         */
        public Builder issuer(String value) {
            this.issuer = Objects.requireNonNull(value, "issuer");
            return this;
        }

        /**
         * See {@link NrasTokenVerifier.Builder#allowPpcieWithoutSwitchEvidence} (default false).
         *
         * @param value {@code true} to accept a PPCIe-mode GPU without switch evidence (recorded as a warning),
         *     {@code false} to refuse it
         * @return this builder
         */
        public Builder allowPpcieWithoutSwitchEvidence(boolean value) {
            this.allowPpcie = value;
            return this;
        }

        /**
         * The client.
         *
         * @return a new, thread-safe client; the builder can be reused
         * @throws ConfigurationException {@link Reason#CONFIGURATION} for a malformed base URL, one with a path, or
         *     plain http to a host that is not loopback
         */
        public NrasClient build() {
            HttpUrl url = HttpUrl.parse(baseUrl);
            if (url == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "NRAS base URL is not a URL: " + baseUrl);
            }
            if (!url.encodedPath().equals("/") || url.query() != null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "NRAS base URL must be scheme://host[:port] "
                        + "only: " + baseUrl);
            }
            if (!url.isHttps() && !LoopbackHosts.isLoopback(url.host())) {
                throw new ConfigurationException(Reason.CONFIGURATION, "NRAS base URL must use https (plain http is "
                        + "allowed only to loopback): " + baseUrl);
            }
            if (http == null) {
                http = new OkHttpClient.Builder().connectTimeout(10, TimeUnit.SECONDS)
                        .readTimeout(60, TimeUnit.SECONDS).callTimeout(60, TimeUnit.SECONDS)
                        .followSslRedirects(true).followRedirects(false).retryOnConnectionFailure(false).build();
            }
            return new NrasClient(this, url);
        }
    }
}
