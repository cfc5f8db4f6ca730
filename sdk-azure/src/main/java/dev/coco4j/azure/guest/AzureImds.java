package dev.coco4j.azure.guest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.internal.LoopbackHosts;
import dev.coco4j.core.internal.RetryingHttp;
import dev.coco4j.tdx.abi.TdxQuote;
import java.io.IOException;
import java.io.InputStream;
import java.net.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * The Azure Instance Metadata Service (IMDS) as the {@link HardwareProof} of Azure vTPM evidence, so that
 * {@link AzVtpmAttester} works on an Azure confidential VM without caller code:
 * <ul>
 *   <li>SNP HCL report: the VCEK from the host's certificate cache (THIM) —
 *       {@code GET /metadata/THIM/amd/certification} with {@code Metadata: true}, answered with JSON
 *       {@code {"vcekCert": PEM, "certificateChain": PEM (ASK, ARK), "tcbm": hex, ...}};</li>
 *   <li>TDX HCL report: the TD quote from Azure's quoting service — {@code POST /acc/tdquote} with
 *       {@code {"report": base64url(TDREPORT)}}, answered with {@code {"quote": base64url}}.</li>
 * </ul>
 *
 * <p>IMDS is plain HTTP on the link-local address {@value #DEFAULT_BASE_URL}, reachable only from inside the VM, and
 * is called without a proxy (as Azure requires) and without redirects. Nothing it returns is trusted here: the
 * relying party verifies the VCEK up to AMD's root and the quote up to Intel's, and this class only checks that
 * the answer is well formed (a parseable certificate, a parseable TDX quote) so that a broken answer fails in the
 * guest with a clear error. Plain HTTP is refused for any host other than the IMDS address and loopback (tests).
 * Throttling (429) and 5xx answers, connection failures and timeouts are retried with backoff (honouring
 * {@code Retry-After}); then {@link Reason#SERVICE_UNAVAILABLE}. Another status (e.g. 404 on a VM that is not a
 * confidential VM) is {@link Reason#COLLATERAL_UNAVAILABLE}; a malformed answer {@link Reason#COLLATERAL_INVALID}.
 * Thread-safe.
 */
public final class AzureImds implements HardwareProof {
    /** The IMDS address Azure serves on every VM. */
    public static final String DEFAULT_BASE_URL = "http://169.254.169.254";
    private static final String IMDS_HOST = "169.254.169.254";
    private static final String THIM_PATH = "metadata/THIM/amd/certification";
    private static final String TD_QUOTE_PATH = "acc/tdquote";
    private static final int MAX_BODY = 1 << 20;
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final System.Logger LOG = System.getLogger(AzureImds.class.getName());

    /**
     * What THIM returns for this VM.
     *
     * @param vcek the VCEK certificate of the chip and TCB the VM runs on
     * @param chain the AMD chain THIM sends with it (ASK, then ARK; may be empty) — informational, the verifier
     *     uses its pinned AMD roots
     * @param tcbm the TCB version THIM reports, as sent (hex text; may be empty)
     */
    public record ThimCertificates(X509Certificate vcek, List<X509Certificate> chain, String tcbm) {
        /**
         * Checks and copies the components.
         *
         * @throws NullPointerException if a component is null
         */
        public ThimCertificates {
            Objects.requireNonNull(vcek, "vcek");
            chain = List.copyOf(chain);
            Objects.requireNonNull(tcbm, "tcbm");
        }
    }

    private final HttpUrl base;
    private final RetryingHttp http;

    private AzureImds(Builder b) {
        this.base = b.base;
        OkHttpClient client = b.client.newBuilder().proxy(Proxy.NO_PROXY).followRedirects(false)
                .followSslRedirects(false).callTimeout(b.timeout).build();
        this.http = new RetryingHttp(client, b.maxAttempts, Duration.ofMillis(200), Duration.ofSeconds(2),
                Duration.ofSeconds(10), b.clock, d -> Thread.sleep(d.toMillis()), LOG);
    }

    /**
     * IMDS at {@value #DEFAULT_BASE_URL} with the defaults of {@link Builder}.
     *
     * @return the client
     */
    public static AzureImds create() {
        return builder().build();
    }

    /**
     * A builder.
     *
     * @return a builder with the defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The VCEK for an SNP HCL report, the TD quote for a TDX one.
     *
     * @param hclReport the HCL report just read from the vTPM
     * @return the VCEK DER or the TD quote
     * @throws CollateralException if IMDS is unavailable or answers something malformed
     * @throws ConfigurationException if the HCL report is of a kind IMDS has no proof for (a VBS report)
     */
    @Override
    public byte[] forReport(HclReport hclReport) {
        return switch (hclReport.reportType()) {
            case SNP -> {
                try {
                    yield thimCertificates().vcek().getEncoded();
                } catch (java.security.cert.CertificateEncodingException e) {
                    throw new CollateralException(Reason.COLLATERAL_INVALID, "THIM VCEK cannot be encoded", e);
                }
            }
            case TDX -> tdQuote(hclReport.tdReport());
            default -> throw new ConfigurationException(Reason.CONFIGURATION,
                    "Azure IMDS has no hardware proof for a " + hclReport.reportType() + " HCL report");
        };
    }

    /**
     * Fetches the VCEK and AMD chain from THIM.
     *
     * @return what THIM returned, parsed
     * @throws CollateralException if IMDS is unavailable or the answer is malformed
     */
    public ThimCertificates thimCertificates() {
        Request request = new Request.Builder().url(base.newBuilder().addPathSegments(THIM_PATH).build())
                .header("Metadata", "true").get().build();
        JsonNode answer = http.execute(request, (response, attempt, ms) -> json(response, "THIM"));
        List<X509Certificate> vcek = certificates(answer, "vcekCert");
        if (vcek.size() != 1) {
            throw new CollateralException(Reason.COLLATERAL_INVALID,
                    "THIM vcekCert holds " + vcek.size() + " certificates, expected 1");
        }
        List<X509Certificate> chain = answer.path("certificateChain").isTextual()
                ? certificates(answer, "certificateChain") : List.of();
        String tcbm = answer.path("tcbm").isTextual() ? answer.path("tcbm").asText() : "";
        return new ThimCertificates(vcek.getFirst(), chain, tcbm);
    }

    /**
     * Has Azure's quoting service turn a TDREPORT into a TD quote.
     *
     * @param tdReport the {@value HclReport#TDREPORT_SIZE}-byte TDREPORT
     * @return the quote bytes (a parseable TDX quote)
     * @throws ConfigurationException if {@code tdReport} is not {@value HclReport#TDREPORT_SIZE} bytes
     * @throws CollateralException if IMDS is unavailable or the answer is malformed
     */
    public byte[] tdQuote(byte[] tdReport) {
        if (tdReport == null || tdReport.length != HclReport.TDREPORT_SIZE) {
            throw new ConfigurationException(Reason.CONFIGURATION,
                    "a TDREPORT is " + HclReport.TDREPORT_SIZE + " bytes");
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("report", Base64.getUrlEncoder().withoutPadding().encodeToString(tdReport));
        Request request = new Request.Builder().url(base.newBuilder().addPathSegments(TD_QUOTE_PATH).build())
                .post(RequestBody.create(body.toString(), JSON_TYPE)).build();
        JsonNode answer = http.execute(request, (response, attempt, ms) -> json(response, "TD quote"));
        JsonNode q = answer.get("quote");
        if (q == null || !q.isTextual()) {
            throw new CollateralException(Reason.COLLATERAL_INVALID, "IMDS TD quote answer has no string 'quote'");
        }
        byte[] quote;
        try {
            quote = Base64.getUrlDecoder().decode(q.asText());
        } catch (IllegalArgumentException e) {
            throw new CollateralException(Reason.COLLATERAL_INVALID, "IMDS TD quote is not base64url");
        }
        try {
            TdxQuote.parse(quote);
        } catch (CocoException e) {
            throw new CollateralException(Reason.COLLATERAL_INVALID,
                    "IMDS returned something that is not a TDX quote: " + e.getMessage(), e);
        }
        return quote;
    }

    @Override
    public String toString() {
        return "AzureImds[" + base + "]";
    }

    private static JsonNode json(Response response, String what) throws IOException {
        if (response.code() != 200) {
            throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE, "Azure IMDS answered HTTP "
                    + response.code() + " for the " + what + " request (is this an Azure confidential VM?)");
        }
        ResponseBody body = response.body();
        byte[] bytes;
        try (InputStream in = body.byteStream()) {
            bytes = in.readNBytes(MAX_BODY + 1);
        }
        if (bytes.length > MAX_BODY) {
            throw new CollateralException(Reason.COLLATERAL_INVALID, "Azure IMDS " + what + " answer is over "
                    + MAX_BODY + " bytes");
        }
        try {
            JsonNode n = JSON.readTree(bytes);
            if (n == null || !n.isObject()) {
                throw new CollateralException(Reason.COLLATERAL_INVALID, "Azure IMDS " + what
                        + " answer is not a JSON object");
            }
            return n;
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new CollateralException(Reason.COLLATERAL_INVALID, "Azure IMDS " + what + " answer is not JSON");
        }
    }

    private static List<X509Certificate> certificates(JsonNode answer, String member) {
        JsonNode pem = answer.get(member);
        if (pem == null || !pem.isTextual() || pem.asText().isBlank()) {
            throw new CollateralException(Reason.COLLATERAL_INVALID, "THIM answer has no PEM '" + member + "'");
        }
        try {
            return Certificates.parseAll(pem.asText().getBytes(StandardCharsets.US_ASCII));
        } catch (CocoException e) {
            throw new CollateralException(Reason.COLLATERAL_INVALID, "THIM '" + member
                    + "' holds no parseable certificate", e);
        }
    }

    /** Builder for {@link AzureImds}. */
    public static final class Builder {
        private HttpUrl base = HttpUrl.get(DEFAULT_BASE_URL + "/");
        private OkHttpClient client;
        private Duration timeout = Duration.ofSeconds(10);
        private int maxAttempts = 4;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * Where IMDS is (default {@value AzureImds#DEFAULT_BASE_URL}): {@code scheme://host:port} only; plain HTTP
         * only to the IMDS address or loopback.
         *
         * @param baseUrl the base URL
         * @return this builder
         * @throws ConfigurationException if the URL is malformed, has a path, or is plain HTTP to another host
         */
        public Builder baseUrl(String baseUrl) {
            HttpUrl u = baseUrl == null ? null : HttpUrl.parse(baseUrl);
            if (u == null || !(u.encodedPath().isEmpty() || u.encodedPath().equals("/")) || u.query() != null
                    || !u.username().isEmpty()) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "the IMDS URL is scheme://host:port only, got '" + baseUrl + "'");
            }
            if (!u.isHttps() && !u.host().equals(IMDS_HOST) && !LoopbackHosts.isLoopback(u.host())) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "plain HTTP only to the IMDS address " + IMDS_HOST + " or loopback, got " + u.host());
            }
            this.base = u.newBuilder().encodedPath("/").build();
            return this;
        }

        /**
         * The application's OkHttp client to derive from (its dispatcher and pool are shared; this class sets no
         * proxy, no redirects and its own call timeout on the derived client). Default: a new client.
         *
         * @param client the client
         * @return this builder
         */
        public Builder httpClient(OkHttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * The limit for one request, connection to last byte (default 10 s).
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "timeout must be positive");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * Requests in all, including the first (default 4).
         *
         * @param maxAttempts 1 or more
         * @return this builder
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) {
                throw new ConfigurationException(Reason.CONFIGURATION, "maxAttempts must be at least 1");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * The clock an HTTP-date {@code Retry-After} is read against (default the system clock).
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the client.
         *
         * @return the client
         */
        public AzureImds build() {
            if (client == null) {
                client = new OkHttpClient();
            }
            return new AzureImds(this);
        }
    }
}
