package dev.coco4j.testkit;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.coco4j.azure.tpm.TpmAlg;
import dev.coco4j.azure.verify.AzSnpVtpmVerifier;
import dev.coco4j.azure.verify.AzTdxVtpmVerifier;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.azure.verify.VerifiedAzVtpmEvidence;
import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.kbs.evidence.NvidiaDeviceAttester;
import dev.coco4j.kbs.evidence.NvidiaGpuEvidence;
import dev.coco4j.kbs.evidence.TdxEvidenceSerializer;
import dev.coco4j.kbs.protocol.Attestation;
import dev.coco4j.kbs.protocol.Challenge;
import dev.coco4j.kbs.protocol.ErrorInformation;
import dev.coco4j.kbs.protocol.ErrorType;
import dev.coco4j.kbs.protocol.InitDataBody;
import dev.coco4j.kbs.protocol.KbsRequest;
import dev.coco4j.kbs.protocol.KbsTee;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import dev.coco4j.kbs.protocol.TokenClaims;
import dev.coco4j.kbs.protocol.TokenResponse;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.verify.SnpReportVerifier;
import dev.coco4j.sev.verify.VerifiedSnpReport;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.validate.TdxPolicy;
import dev.coco4j.tdx.validate.TdxPolicyValidator;
import dev.coco4j.tdx.verify.TdxQuoteVerifier;
import dev.coco4j.tdx.verify.VerifiedTdxQuote;
import dev.coco4j.testkit.internal.ResourceSealer;
import dev.coco4j.testkit.internal.SnpSerdeJson;
import dev.coco4j.testkit.internal.TokenService;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The Trustee protocol over the JDK HTTP server: routing, sessions, attestation, release. */
final class KbsHandler implements HttpHandler {
    static final String COOKIE = "kbs-session-id";
    private static final String PREFIX = "/kbs/v0/";
    private static final int MAX_BODY = 2 * 1024 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final System.Logger LOG = System.getLogger(EmbeddedKbs.class.getName());
    private static final String ATTEST_FAILED = "Attestation error: RCAR handshake Attest failed";
    private static final String AUTH_FAILED = "Attestation error: RCAR handshake Auth failed";
    /** The PCR a vTPM guest measures its init-data into (Trustee's convention). */
    private static final int INIT_DATA_PCR = 8;
    private static final Pattern ALGORITHM = Pattern.compile("(?m)^\\s*algorithm\\s*=\\s*\"([A-Za-z0-9-]+)\"");

    private final EmbeddedKbs.Builder config;
    private final TokenService tokens;
    private final SnpReportVerifier snpVerifier;
    private final AzSnpVtpmVerifier azSnpVerifier;
    private final AzTdxVtpmVerifier azTdxVerifier;
    private final TdxQuoteVerifier tdxVerifier;
    private final KbsFaults faults;
    private final Map<ResourcePath, byte[]> resources;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private volatile ResourcePolicy policy;

    /** One RCAR session. The nonce is the one the KBS expects, whatever the challenge carried. */
    private static final class Session {
        final String id;
        final String tee;
        final String nonce;
        final Instant expires;
        volatile String token;
        /** The issued token's claims and TEE key, parsed once at /attest. */
        volatile TokenService.Verified verified;

        Session(String id, String tee, String nonce, Instant expires) {
            this.id = id;
            this.tee = tee;
            this.nonce = nonce;
            this.expires = expires;
        }
    }

    /** A refusal: the error body to send and the reason for the event. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;
        final transient ErrorType error;
        final String detail;
        final transient Reason reason;

        Refusal(ErrorType error, String detail, Reason reason) {
            super(detail, null, false, false);
            this.error = error;
            this.detail = detail;
            this.reason = reason;
        }
    }

    KbsHandler(EmbeddedKbs.Builder config, TokenService tokens, SnpReportVerifier snpVerifier,
               AzSnpVtpmVerifier azSnpVerifier, AzTdxVtpmVerifier azTdxVerifier, TdxQuoteVerifier tdxVerifier,
               KbsFaults faults, Map<ResourcePath, byte[]> resources) {
        this.config = config;
        this.tokens = tokens;
        this.snpVerifier = snpVerifier;
        this.azSnpVerifier = azSnpVerifier;
        this.azTdxVerifier = azTdxVerifier;
        this.tdxVerifier = tdxVerifier;
        this.faults = faults;
        this.resources = resources;
        this.clock = config.clock;
        this.policy = config.policy;
    }

    void policy(ResourcePolicy policy) {
        this.policy = policy;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (faults.takeDrop()) {
                // read the request, then close without a status line: closing an exchange that sent no headers closes
                // its connection
                ex.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
                return;
            }
            if (faults.takeUnavailable()) {
                // Read the request before answering, so the connection stays usable for the client's next request
                // (an unread POST body can make the server drop a keep-alive connection the client then reuses).
                ex.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
                delay();
                ex.sendResponseHeaders(503, -1);
                return;
            }
            String path = ex.getRequestURI().getRawPath();
            String method = ex.getRequestMethod();
            if (path.equals("/healthz") && method.equals("GET")) {
                delay();
                ex.sendResponseHeaders(200, -1);
                return;
            }
            if (!path.startsWith(PREFIX)) {
                error(ex, ErrorType.INVALID_REQUEST_PATH, "Request path " + path + " is invalid");
                return;
            }
            String rest = path.substring(PREFIX.length());
            int slash = rest.indexOf('/');
            String first = slash < 0 ? rest : rest.substring(0, slash);
            String tail = slash < 0 ? null : rest.substring(slash + 1);
            switch (first) {
                case "auth" -> {
                    if (!method.equals("POST") || tail != null) {
                        error(ex, ErrorType.INVALID_REQUEST_PATH, "Request path " + path + " is invalid");
                    } else {
                        auth(ex);
                    }
                }
                case "attest" -> {
                    if (!method.equals("POST") || tail != null) {
                        error(ex, ErrorType.INVALID_REQUEST_PATH, "Request path " + path + " is invalid");
                    } else {
                        attest(ex);
                    }
                }
                case "resource" -> resource(ex, method, tail);
                default -> error(ex, ErrorType.PLUGIN_NOT_FOUND, "Plugin " + first + " not found");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "embedded KBS request failed: " + e.getClass().getName());
            throw e;
        }
    }

    // ---------------------------------------------------------------- /auth

    private void auth(HttpExchange ex) throws IOException {
        KbsRequest req;
        try {
            req = KbsRequest.fromJson(JSON.readTree(body(ex)));
        } catch (IOException | RuntimeException e) {
            emit(new KbsEvent.AuthRefused("-", Reason.MALFORMED_EVIDENCE));
            error(ex, ErrorType.ATTESTATION_ERROR, AUTH_FAILED + ": malformed request");
            return;
        }
        String version = req.version();
        if (!version.equals(config.protocolVersion)) {
            emit(new KbsEvent.AuthRefused("-", Reason.PROTOCOL_VERSION_MISMATCH));
            error(ex, ErrorType.ATTESTATION_ERROR, AUTH_FAILED + ": KBS Client Protocol Version Mismatch: expect ="
                    + config.protocolVersion + " while the request is " + version);
            return;
        }
        String tee = req.tee();
        sweep();
        String id = UUID.randomUUID().toString().replace("-", "");
        String nonce = randomNonce();
        Instant expires = clock.instant().plus(config.sessionTimeout);
        Session s = new Session(id, tee, nonce, expires);
        sessions.put(id, s);
        String sent = faults.takeWrongNonce() ? randomNonce() : nonce;
        ObjectNode challenge = new Challenge(sent, JSON.getNodeFactory().textNode("")).toJson();
        emit(new KbsEvent.AuthIssued(tag(id), tee));
        setCookie(ex, s);
        if (faults.takeDuplicateCookie()) {
            ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + UUID.randomUUID().toString().replace("-", "")
                    + "; Path=/");
        }
        json(ex, 200, challenge.toString());
    }

    private String randomNonce() {
        byte[] n = new byte[32];
        random.nextBytes(n);
        return Base64.getEncoder().encodeToString(n);
    }

    // ---------------------------------------------------------------- /attest

    private void attest(HttpExchange ex) throws IOException {
        Session s = session(ex).orElse(null);
        if (s == null) {
            emit(new KbsEvent.AttestationRefused("-", "-", Reason.NONCE_MISMATCH));
            error(ex, ErrorType.ATTESTATION_ERROR, ATTEST_FAILED);
            return;
        }
        if (s.token != null) {
            setCookie(ex, s);
            json(ex, 200, new TokenResponse(s.token).toJson().toString());
            return;
        }
        String token;
        try {
            JsonNode att;
            try {
                att = JSON.readTree(body(ex));
            } catch (IOException | RuntimeException e) {
                throw refuse(Reason.MALFORMED_EVIDENCE);
            }
            Map<String, Object> claims = verifyAttestation(s, att);
            token = tokens.issue(claims);
            s.verified = TokenService.verified(TokenService.claimsOf(com.nimbusds.jwt.SignedJWT.parse(token)));
            s.token = token;
        } catch (Refusal r) {
            emit(new KbsEvent.AttestationRefused(tag(s.id), s.tee, r.reason));
            error(ex, r.error, r.detail);
            return;
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
        emit(new KbsEvent.AttestationAccepted(tag(s.id), s.tee));
        setCookie(ex, s);
        json(ex, 200, new TokenResponse(token).toJson().toString());
    }

    private Map<String, Object> verifyAttestation(Session s, JsonNode json) throws Refusal {
        Attestation att;
        try {
            att = Attestation.fromJson(json);
        } catch (KeyReleaseException e) {
            throw refuse(Reason.MALFORMED_EVIDENCE);
        }
        String nonce = att.runtimeData().nonce();
        JsonNode teePubkey = att.runtimeData().teePubkey();
        JsonNode primary = att.teeEvidence().primaryEvidence();
        if (!teePubkey.isObject() || !teePubkey.path("kty").isTextual() || !primary.isObject()) {
            throw refuse(Reason.MALFORMED_EVIDENCE);
        }
        if (!MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8),
                s.nonce.getBytes(StandardCharsets.UTF_8))) {
            throw refuse(Reason.NONCE_MISMATCH);
        }
        String additionalText = att.teeEvidence().additionalEvidence();
        // Trustee's server side binds with SHA-384 for every TEE but se (which this KBS does not serve). The primary
        // binding hashes the additional_evidence text exactly as received.
        RuntimeDataBinding binding = new RuntimeDataBinding(ReportData.HashAlgorithm.SHA384, nonce, teePubkey,
                additionalText);
        byte[] digest = binding.primaryDigest();
        // Devices first (cheap to refuse without a verifier); their claims are used only if the primary verifies too.
        List<Map<String, Object>> gpus = verifyDevices(additionalText, binding);

        byte[] initDigest = null;
        if (att.initDataIfPresent().isPresent()) {
            InitDataBody init = att.initDataIfPresent().get();
            if (!"toml".equals(init.format())) {
                throw refuse(Reason.MALFORMED_EVIDENCE);
            }
            Matcher m = ALGORITHM.matcher(init.body());
            String algorithm = m.find() ? m.group(1) : "sha256";
            try {
                initDigest = ReportData.HashAlgorithm.fromName(algorithm)
                        .digest(init.body().getBytes(StandardCharsets.UTF_8));
            } catch (CocoException e) {
                throw refuse(Reason.MALFORMED_EVIDENCE);
            }
        }

        Map<String, Object> teeClaims;
        String status;
        byte[] reportData;
        switch (s.tee) {
            case "snp" -> {
                VerifiedSnpReport v;
                try {
                    Evidence ev = SnpSerdeJson.decode(primary);
                    v = snpVerifier.verify(ev);
                } catch (CocoException e) {
                    throw refuse(e.reason());
                } catch (RuntimeException e) {
                    throw refuse(Reason.MALFORMED_EVIDENCE);
                }
                SnpReport report = v.report();
                reportData = report.reportData();
                if (!binding.reportData().matches(reportData)) {
                    throw refuse(Reason.REPORT_DATA_MISMATCH);
                }
                if (initDigest != null
                        && !MessageDigest.isEqual(report.hostData(), Arrays.copyOf(initDigest, 32))) {
                    throw refuse(Reason.MEASUREMENT_MISMATCH);
                }
                teeClaims = new LinkedHashMap<>(v.toAttestationResult().claims());
                status = "affirming";
            }
            case "tdx" -> {
                if (tdxVerifier == null) {
                    throw refuse(Reason.CONFIGURATION);
                }
                VerifiedTdxQuote v;
                try {
                    Evidence ev = TdxEvidenceSerializer.parse(primary);
                    TdxPolicy.Builder p = TdxPolicy.builder().reportData(binding.reportData().toByteArray());
                    if (initDigest != null) {
                        p.mrConfigId(RuntimeDataBinding.fit(initDigest, 48));
                    }
                    v = TdxPolicyValidator.validate(tdxVerifier.verify(TdxQuote.parse(ev.data()),
                            config.tdxCollateral, clock.instant()), p.build());
                } catch (CocoException e) {
                    throw refuse(e.reason());
                } catch (RuntimeException e) {
                    throw refuse(Reason.MALFORMED_EVIDENCE);
                }
                reportData = v.body().reportData();
                teeClaims = new LinkedHashMap<>(v.toAttestationResult().claims());
                status = "affirming";
            }
            case KbsTee.AZ_SNP_VTPM, KbsTee.AZ_TDX_VTPM -> {
                VerifiedAzVtpmEvidence v = verifyAzVtpm(s.tee, primary, digest);
                if (initDigest != null) {
                    checkInitDataPcr(v, initDigest);
                }
                reportData = v.tpmQuote().attest().extraData();
                teeClaims = azVtpmClaims(v);
                status = "affirming";
            }
            case "sample" -> {
                if (!config.allowSample) {
                    throw refuse(Reason.POLICY_VIOLATION);
                }
                JsonNode rdField = primary.path("report_data");
                if (!rdField.isTextual()) {
                    throw refuse(Reason.MALFORMED_EVIDENCE);
                }
                String expected = Base64.getEncoder().encodeToString(digest);
                if (!MessageDigest.isEqual(rdField.asText().getBytes(StandardCharsets.UTF_8),
                        expected.getBytes(StandardCharsets.UTF_8))) {
                    throw refuse(Reason.REPORT_DATA_MISMATCH);
                }
                reportData = digest;
                teeClaims = new LinkedHashMap<>();
                teeClaims.put("svn", primary.path("svn").asText());
                teeClaims.put("report_data", rdField.asText());
                status = "warning";
            }
            default -> throw refuse(Reason.UNSUPPORTED_VERSION);
        }

        Map<String, Object> annotated = new LinkedHashMap<>();
        annotated.put(s.tee, teeClaims);
        annotated.put("report_data", HexFormat.of().formatHex(reportData));
        annotated.put("init_data", initDigest == null ? null : HexFormat.of().formatHex(initDigest));
        annotated.put("init_data_claims", Map.of());
        annotated.put("runtime_data_claims", JSON.convertValue(binding.primaryRuntimeData(), Map.class));
        Map<String, Object> vector = new LinkedHashMap<>();
        for (String k : List.of("instance-identity", "configuration", "executables", "file-system", "hardware",
                "runtime-opaque", "storage-opaque", "sourced-data")) {
            vector.put(k, 0);
        }
        vector.put("hardware", "affirming".equals(status) ? 2 : 0);
        Map<String, Object> cpu0 = new LinkedHashMap<>();
        cpu0.put("ear.status", status);
        cpu0.put("ear.trustworthiness-vector", vector);
        cpu0.put("ear.appraisal-policy-id", "default_cpu");
        cpu0.put("ear.veraison.annotated-evidence", annotated);
        Map<String, Object> submods = new LinkedHashMap<>();
        submods.put("cpu0", cpu0);
        for (int i = 0; i < gpus.size(); i++) {
            Map<String, Object> gpuVector = new LinkedHashMap<>(vector);
            gpuVector.put("hardware", 2);
            Map<String, Object> gpu = new LinkedHashMap<>();
            gpu.put("ear.status", "affirming");
            gpu.put("ear.trustworthiness-vector", gpuVector);
            gpu.put("ear.appraisal-policy-id", "default_gpu");
            gpu.put("ear.veraison.annotated-evidence", Map.of("nvidia", gpus.get(i)));
            submods.put("gpu" + i, gpu);
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("ear.verifier-id", Map.of("developer", "https://github.com/coco4j", "build", "coco4j-testkit"));
        claims.put("submods", submods);
        return claims;
    }

    /**
     * Verifies Azure vTPM primary evidence (Trustee's version-1 JSON) with the quote nonce = the runtime-data digest:
     * {@code az-snp-vtpm} on this KBS's SNP roots; {@code az-tdx-vtpm} only when TDX is trusted, with the TD quote
     * also held to the same TDX policy as {@code tdx} evidence (no debug TD, acceptable TCB status, REPORTDATA = the
     * HCL runtime-claims binding).
     */
    private VerifiedAzVtpmEvidence verifyAzVtpm(String tee, JsonNode primary, byte[] digest) throws Refusal {
        boolean tdx = KbsTee.AZ_TDX_VTPM.equals(tee);
        if (tdx && (azTdxVerifier == null || tdxVerifier == null)) {
            throw refuse(Reason.CONFIGURATION);
        }
        try {
            AzVtpmEvidence ev = AzVtpmEvidence.parse(tdx ? TeeType.AZ_TDX_VTPM : TeeType.AZ_SNP_VTPM,
                    JSON.writeValueAsBytes(primary));
            if (!tdx) {
                return azSnpVerifier.verify(ev, digest);
            }
            VerifiedAzVtpmEvidence v = azTdxVerifier.verify(ev, config.tdxCollateral, digest);
            TdxPolicyValidator.validate(tdxVerifier.verify(TdxQuote.parse(ev.hardwareProof()), config.tdxCollateral,
                    clock.instant()), TdxPolicy.builder().reportData(v.hclReport().expectedReportData()).build());
            return v;
        } catch (CocoException e) {
            throw refuse(e.reason());
        } catch (IOException | RuntimeException e) {
            throw refuse(Reason.MALFORMED_EVIDENCE);
        }
    }

    /**
     * Init-data on a vTPM is measured into PCR 8 (Trustee's rule): PCR 8 = SHA-256(32 zero bytes ‖ the init-data
     * digest fitted to 32 bytes). A quote without PCR 8, or with another value, is refused.
     */
    private static void checkInitDataPcr(VerifiedAzVtpmEvidence v, byte[] initDigest) throws Refusal {
        byte[] pcr8 = v.tpmQuote().sha256Pcrs().get(INIT_DATA_PCR);
        byte[] expected = TpmAlg.digest(TpmAlg.SHA256, new byte[32], RuntimeDataBinding.fit(initDigest, 32));
        if (pcr8 == null || !MessageDigest.isEqual(pcr8, expected)) {
            throw refuse(Reason.MEASUREMENT_MISMATCH);
        }
    }

    /**
     * The Azure vTPM claims: the SNP report's claims (as for {@code snp}) or the TD quote's (as for {@code tdx}), the
     * quoted SHA-256 PCRs under {@code tpm} as {@code pcr00}..{@code pcr23} (lower-case hex, Trustee's names), and under {@code hcl} the
     * authenticated runtime claims' {@code vm-configuration} and {@code user-data}.
     */
    private static Map<String, Object> azVtpmClaims(VerifiedAzVtpmEvidence v) {
        Map<String, Object> claims = new LinkedHashMap<>(v.hardware().claims());
        Map<String, Object> tpm = new LinkedHashMap<>();
        new java.util.TreeMap<>(v.tpmQuote().sha256Pcrs()).forEach((i, value) ->
                tpm.put(String.format(java.util.Locale.ROOT, "pcr%02d", i), HexFormat.of().formatHex(value)));
        claims.put("tpm", tpm);
        Map<String, Object> hcl = new LinkedHashMap<>();
        hcl.put("vm-configuration", v.hclReport().runtimeClaims().vmConfiguration());
        v.hclReport().runtimeClaims().userData().ifPresent(u -> hcl.put("user-data", u));
        claims.put("hcl", hcl);
        return claims;
    }

    /**
     * Verifies the {@code additional_evidence} map: empty, or exactly {@code {"nvidia":{"device_evidence_list":[…]}}}
     * with every GPU verified (nonce = the first 32 bytes of the device digest). Anything it cannot verify — another
     * device kind, no GPU verifier configured, duplicate keys — is refused, never passed through.
     *
     * @return the claims of each GPU, in list order
     */
    private List<Map<String, Object>> verifyDevices(String additionalText, RuntimeDataBinding binding)
            throws Refusal {
        if (additionalText.isEmpty()) {
            return List.of();
        }
        if (config.gpuVerifier == null) {
            throw refuse(Reason.POLICY_VIOLATION);
        }
        JsonNode map;
        try {
            map = STRICT.readTree(additionalText);
        } catch (IOException | RuntimeException e) {
            throw refuse(Reason.MALFORMED_EVIDENCE);
        }
        if (map == null || !map.isObject() || map.size() != 1 || !map.has(KbsTee.NVIDIA)) {
            throw refuse(map != null && map.isObject() && !map.isEmpty() ? Reason.POLICY_VIOLATION
                    : Reason.MALFORMED_EVIDENCE);
        }
        byte[] gpuNonce = NvidiaDeviceAttester.nonce(binding.deviceDigest());
        VerificationOptions options = VerificationOptions.builder().clock(clock).offline(true).build();
        List<Map<String, Object>> out = new ArrayList<>();
        try {
            for (NvidiaGpuEvidence g : NvidiaGpuEvidence.parseList(map.get(KbsTee.NVIDIA))) {
                AttestationResult r = config.gpuVerifier.verify(g.toEvidence(), gpuNonce, options);
                Map<String, Object> c = new LinkedHashMap<>(r.claims());
                c.put("uuid", g.uuid());
                c.put("arch_reported", g.arch());
                c.put("warnings", r.warnings());
                out.add(c);
            }
        } catch (CocoException e) {
            throw refuse(e.reason());
        } catch (RuntimeException e) {
            throw refuse(Reason.MALFORMED_EVIDENCE);
        }
        return out;
    }

    private static Refusal refuse(Reason reason) {
        return new Refusal(ErrorType.ATTESTATION_ERROR, ATTEST_FAILED, reason);
    }

    // ---------------------------------------------------------------- /resource

    private void resource(HttpExchange ex, String method, String tail) throws IOException {
        String[] segs = tail == null ? new String[0] : tail.split("/", -1);
        ResourcePath path = null;
        if (segs.length == 3 && Arrays.stream(segs).allMatch(ResourcePath::isValidSegment)) {
            path = new ResourcePath(segs[0], segs[1], segs[2]);
        }
        if (path == null) {
            emit(new KbsEvent.ResourceDenied("-", null, Reason.CONFIGURATION));
            error(ex, ErrorType.INVALID_REQUEST_PATH, "Request path " + (tail == null ? "" : tail) + " is invalid");
            return;
        }
        switch (method) {
            case "GET" -> release(ex, path);
            case "POST", "PUT", "DELETE" -> admin(ex, method, path);
            default -> error(ex, ErrorType.INVALID_REQUEST_PATH, "Request path " + tail + " is invalid");
        }
    }

    private void admin(HttpExchange ex, String method, ResourcePath path) throws IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        byte[] expected = ("Bearer " + config.adminToken).getBytes(StandardCharsets.UTF_8);
        if (config.adminToken == null || auth == null
                || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), expected)) {
            error(ex, ErrorType.ADMIN_AUTH_INITIALIZATION,
                    "failed to initialize [admin] configuration: admin token missing or not accepted");
            return;
        }
        if (method.equals("DELETE")) {
            resources.remove(path);
        } else {
            resources.put(path, body(ex));
        }
        delay();
        ex.sendResponseHeaders(200, -1);
    }

    private void release(HttpExchange ex, ResourcePath path) throws IOException {
        Session s = session(ex).filter(x -> x.verified != null).orElse(null);
        TokenService.Verified token;
        String tag;
        if (s != null) {
            token = s.verified;
            tag = tag(s.id);
        } else {
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth == null || !auth.startsWith("Bearer ")) {
                emit(new KbsEvent.ResourceDenied("-", path, Reason.KEY_RELEASE_DENIED));
                error(ex, ErrorType.TOKEN_NOT_FOUND, "Attestation Token not found");
                return;
            }
            Optional<TokenService.Verified> verified = tokens.verifyCached(auth.substring("Bearer ".length()).trim());
            if (verified.isEmpty()) {
                emit(new KbsEvent.ResourceDenied("-", path, Reason.SIGNATURE_INVALID));
                error(ex, ErrorType.TOKEN_VERIFIER_ERROR, "Token Verifier error");
                return;
            }
            token = verified.get();
            tag = "-";
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> claims = (Map<String, Object>) TokenService.copyOf(token.claims());
        boolean allowed;
        try {
            allowed = policy.allows(claims, path);
        } catch (RuntimeException e) {
            allowed = false;
        }
        if (!allowed) {
            emit(new KbsEvent.ResourceDenied(tag, path, Reason.KEY_RELEASE_DENIED));
            error(ex, ErrorType.POLICY_DENY, "Access denied by policy");
            return;
        }
        byte[] bytes = resources.get(path);
        if (bytes == null) {
            emit(new KbsEvent.ResourceDenied(tag, path, Reason.RESOURCE_NOT_FOUND));
            error(ex, ErrorType.PLUGIN_INTERNAL_ERROR, "Plugin internal error");
            return;
        }
        dev.coco4j.kbs.internal.JweRecipient key = token.teeKey();
        String jwe;
        try {
            if (key == null) {
                throw new ResourceSealer.JweException("no tee-pubkey", null);
            }
            jwe = ResourceSealer.seal(key, bytes, faults.takeCorruptTag(), faults.takeOtherKey());
        } catch (ResourceSealer.JweException e) {
            emit(new KbsEvent.ResourceDenied(tag, path, Reason.CONFIGURATION));
            error(ex, ErrorType.JWE_ERROR, "JWE failed");
            return;
        }
        emit(new KbsEvent.ResourceReleased(tag, path));
        json(ex, 200, jwe);
    }

    private static com.nimbusds.jwt.SignedJWT parse(String token) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(token);
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- plumbing

    private Optional<Session> session(HttpExchange ex) {
        List<String> headers = ex.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return Optional.empty();
        }
        for (String header : headers) {
            for (String part : header.split(";")) {
                String p = part.trim();
                if (p.startsWith(COOKIE + "=")) {
                    String id = p.substring(COOKIE.length() + 1);
                    Session s = sessions.get(id);
                    if (s != null && !clock.instant().isBefore(s.expires)) {
                        sessions.remove(id);
                        return Optional.empty();
                    }
                    if (s != null) {
                        return Optional.of(s);
                    }
                }
            }
        }
        return Optional.empty();
    }

    private void sweep() {
        Instant now = clock.instant();
        sessions.values().removeIf(s -> !now.isBefore(s.expires));
    }

    private static void setCookie(HttpExchange ex, Session s) {
        String expires = DateTimeFormatter.RFC_1123_DATE_TIME.format(s.expires.atOffset(ZoneOffset.UTC));
        ex.getResponseHeaders().add("Set-Cookie", COOKIE + "=" + s.id + "; Expires=" + expires + "; Path=/");
    }

    private static byte[] body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw new IOException("request body too large");
            }
            return b;
        }
    }

    private void error(HttpExchange ex, ErrorType error, String detail) throws IOException {
        send(ex, error.httpStatus(), ErrorInformation.of(error, detail).toJson().toString());
    }

    private void json(HttpExchange ex, int status, String body) throws IOException {
        send(ex, status, faults.takeMalformed() ? body.substring(0, body.length() / 2) + "<not json" : body);
    }

    private void send(HttpExchange ex, int status, String body) throws IOException {
        delay();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        if (faults.takePartial()) {
            OutputStream out = ex.getResponseBody();
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            // closing with bytes missing makes the server close the connection (and report it to us as an IOException)
            out.close();
            return;
        }
        if (faults.takeSlow()) {
            Duration d = faults.slowChunkDelay();
            try (OutputStream out = ex.getResponseBody()) {
                int chunk = Math.max(1, (bytes.length + 7) / 8);
                for (int off = 0; off < bytes.length; off += chunk) {
                    sleep(d);
                    out.write(bytes, off, Math.min(chunk, bytes.length - off));
                    out.flush();
                }
            }
            return;
        }
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static void sleep(Duration d) {
        if (!d.isZero()) {
            try {
                Thread.sleep(d);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void delay() {
        sleep(faults.delay());
    }

    private void emit(KbsEvent event) {
        try {
            config.listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "KBS listener threw " + e.getClass().getName());
        }
    }

    /** A one-way, short tag for a session id: never the id itself. */
    static String tag(String id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(h, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
