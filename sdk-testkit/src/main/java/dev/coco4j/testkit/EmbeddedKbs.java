package dev.coco4j.testkit;

import dev.coco4j.azure.verify.AzSnpVtpmVerifier;
import dev.coco4j.azure.verify.AzTdxVtpmVerifier;
import dev.coco4j.core.CollateralException;
import dev.coco4j.gpu.abi.GpuAttestationReport;
import dev.coco4j.gpu.abi.OpaqueData;
import dev.coco4j.gpu.rim.RimIds;
import dev.coco4j.gpu.rim.RimTrustRoots;
import dev.coco4j.gpu.sim.SimulatedGpu;
import dev.coco4j.gpu.validate.GpuEvidenceVerifier;
import dev.coco4j.gpu.verify.GpuArchitecture;
import dev.coco4j.gpu.verify.GpuTrustRoots;
import dev.coco4j.tdx.sim.SimulatedTdxPlatform;
import dev.coco4j.tdx.verify.TdxCollateral;
import dev.coco4j.tdx.verify.TdxQuoteVerifier;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.sev.verify.SnpReportVerifier;
import dev.coco4j.sev.verify.SnpTrustRoots;
import dev.coco4j.testkit.internal.KbsIdentity;
import dev.coco4j.testkit.internal.TokenService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An embeddable Key Broker Service speaking the Trustee KBS protocol 0.4.0 on a loopback port, for development and
 * tests, <b>not production</b>. It implements what a Trustee client needs end to end:
 * <ul>
 *   <li>{@code POST /kbs/v0/auth}: checks the protocol version exactly (a mismatch is Trustee's 401
 *       {@code AttestationError} "KBS Client Protocol Version Mismatch"), issues a 32-byte nonce and sets the
 *       {@code kbs-session-id} cookie; sessions expire after {@link Builder#sessionTimeout(Duration)};</li>
 *   <li>{@code POST /kbs/v0/attest}: requires the session, checks the runtime-data nonce equals the session's
 *       challenge, recomputes the runtime-data binding (SHA-384 of the canonical JSON of
 *       {@code {nonce, tee-pubkey, additional-evidence}}) and requires the evidence's report data to carry it, verifies
 *       the evidence with this SDK ({@code snp} through {@link SnpReportVerifier} against AMD's roots or the roots given
 *       to {@link Builder#trustSnpRoots(SnpTrustRoots)}; {@code az-snp-vtpm} through
 *       {@link AzSnpVtpmVerifier} with the same SNP roots, the TPM quote's nonce being the runtime-data digest;
 *       {@code az-tdx-vtpm} only with {@link Builder#trustTdx(X509Certificate, TdxCollateral)}, through
 *       {@link AzTdxVtpmVerifier} and the same TDX policy as {@code tdx}; {@code tdx} only with
 *       {@link Builder#trustTdx(X509Certificate, TdxCollateral)}; {@code sample} only when
 *       {@link Builder#allowSample(boolean)}), and any NVIDIA GPU additional evidence only with a
 *       {@link Builder#gpuVerifier(GpuEvidenceVerifier) GPU verifier} (its SPDM nonce must be the first 32 bytes of
 *       the device digest; each GPU becomes EAR submodule {@code gpu<i>}),
 *       and only then issues an EAR-shaped JWT signed ES256 by this KBS (header {@code jwk} with {@code x5c} to
 *       {@link #caCertificate()}), carrying the TEE key at
 *       {@code /submods/cpu0/ear.veraison.annotated-evidence/runtime_data_claims/tee-pubkey};</li>
 *   <li>{@code GET /kbs/v0/resource/<repo>/<type>/<tag>}: with the attested session cookie or
 *       {@code Authorization: Bearer <token>}, evaluates the {@link ResourcePolicy} and returns the resource as a
 *       flattened JWE JSON encrypted to the attested TEE key (ECDH-ES+A256KW or RSA-OAEP-256, A256GCM);</li>
 *   <li>{@code POST|DELETE /kbs/v0/resource/<repo>/<type>/<tag>} with {@code Authorization: Bearer <admin token>}
 *       ({@link #adminToken()}): sets or deletes a resource.</li>
 * </ul>
 * Errors are Trustee's bodies ({@code {"type":"https://github.com/confidential-containers/kbs/errors/<Variant>",
 * "detail":...}}) with Trustee's status codes: 404 only for {@code InvalidRequestPath} and {@code PluginNotFound},
 * 401 otherwise — including a policy denial ({@code PolicyDeny}) and a missing resource ({@code PluginInternalError}).
 *
 * <p>Guarantees: it fails closed — a refused attestation issues no token, a denied or failed release sends no resource
 * bytes, evidence it cannot verify (unknown TEE, additional device evidence without a GPU verifier or of another
 * kind, init-data it cannot check) is refused.
 * HTTPS is the default, with a fresh CA and server certificate generated for each instance (trust
 * {@link #caCertificate()}); plain HTTP only when {@link Builder#insecureHttp(boolean)} asks for it, and only on a
 * loopback address. Secrets (nonces, tokens, keys, resources) never appear in {@link #toString()}, events or log
 * lines. {@link #faults()} injects failures for client tests. Thread-safe.
 *
 * <pre>{@code
 * SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().build();
 * try (EmbeddedKbs kbs = EmbeddedKbs.builder()
 *         .trustSnpRoots(sim.trustRoots())
 *         .resource("default/key/app", keyBytes)
 *         .start()) {
 *     URI url = kbs.baseUri();   // https://127.0.0.1:<port>/
 *     X509Certificate ca = kbs.caCertificate();
 * }
 * }</pre>
 */
public final class EmbeddedKbs implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor;
    private final KbsIdentity identity;
    private final KbsFaults faults;
    private final Map<ResourcePath, byte[]> resources;
    private final KbsHandler handler;
    private final boolean https;
    private final String adminToken;
    private volatile boolean closed;

    private EmbeddedKbs(Builder b) throws IOException {
        SecureRandom random = new SecureRandom();
        this.https = !b.insecureHttp;
        this.identity = KbsIdentity.generate(b.clock.instant(), 30, b.address, random);
        this.faults = new KbsFaults();
        this.resources = new ConcurrentHashMap<>(b.resources);
        if (b.adminToken == null) {
            byte[] t = new byte[24];
            random.nextBytes(t);
            b.adminToken = HexFormat.of().formatHex(t);
        }
        this.adminToken = b.adminToken;
        SnpReportVerifier snp = SnpReportVerifier.builder().trustRoots(b.snpRoots).clock(b.clock).offline(true)
                .build();
        TokenService tokens = new TokenService(identity, b.clock, b.tokenLifetime, b.issuer);
        TdxQuoteVerifier tdx = b.tdxRoot == null ? null
                : TdxQuoteVerifier.builder().trustedRoot(b.tdxRoot).clock(b.clock).build();
        AzSnpVtpmVerifier azSnp = AzSnpVtpmVerifier.builder().snpVerifier(snp).clock(b.clock).build();
        AzTdxVtpmVerifier azTdx = tdx == null ? null
                : AzTdxVtpmVerifier.builder().tdxVerifier(tdx).clock(b.clock).build();
        this.handler = new KbsHandler(b, tokens, snp, azSnp, azTdx, tdx, faults, resources);
        InetSocketAddress at = new InetSocketAddress(b.address, b.port);
        if (https) {
            HttpsServer s = HttpsServer.create(at, 0);
            s.setHttpsConfigurator(new HttpsConfigurator(b.tlsKey != null
                    ? KbsIdentity.sslContext(b.tlsKey, b.tlsChain, random) : identity.sslContext(random)));
            this.server = s;
        } else {
            this.server = HttpServer.create(at, 0);
        }
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", handler);
        server.start();
    }

    /**
     * A builder with the defaults described on each method.
     *
     * @return a new builder; configure it and call {@link Builder#start()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The base URI, {@code https://127.0.0.1:<port>/} (or {@code http://} when insecure HTTP was asked for).
     *
     * @return the URI of the bound address and actual port, ending in {@code /}; an IPv6 host is bracketed
     */
    public URI baseUri() {
        InetSocketAddress a = server.getAddress();
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create((https ? "https" : "http") + "://" + host + ":" + a.getPort() + "/");
    }

    /**
     * The port the server listens on.
     *
     * @return the actual bound port (the free port chosen when the builder asked for port 0)
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * True if the server speaks HTTPS.
     *
     * @return true unless {@link Builder#insecureHttp(boolean)} asked for plain HTTP
     */
    public boolean isHttps() {
        return https;
    }

    /**
     * The generated CA certificate: the issuer of the TLS server certificate (SANs {@code localhost},
     * {@code 127.0.0.1}, {@code ::1}) and of the token-signing certificate in every token's {@code x5c}. Trust it in
     * clients; it is fresh for every instance and trusted nowhere else.
     *
     * @return this instance's CA certificate (the same one on every call)
     */
    public X509Certificate caCertificate() {
        return identity.caCertificate();
    }

    /**
     * {@link #caCertificate()} as PEM text.
     *
     * @return one {@code CERTIFICATE} PEM block, e.g. to write a trust file for a CLI or another process
     */
    public String caCertificatePem() {
        return KbsIdentity.pem(identity.caCertificate());
    }

    /**
     * The certificate whose key signs attestation tokens (issued by {@link #caCertificate()}).
     *
     * @return the token-signing certificate, the first entry of every issued token's {@code x5c}
     */
    public X509Certificate tokenSigningCertificate() {
        return identity.tokenCertificate();
    }

    /**
     * The bearer token the admin endpoints accept (generated unless the builder set one). A secret: do not log it.
     *
     * @return the admin token: the one given to {@link Builder#adminToken(String)}, else 48 random hex digits
     */
    public String adminToken() {
        return adminToken;
    }

    /**
     * The fault-injection handle.
     *
     * @return this instance's {@link KbsFaults}, shared by all requests; faults armed on it apply to later requests
     */
    public KbsFaults faults() {
        return faults;
    }

    /**
     * Sets or replaces a resource.
     *
     * @param path where the resource is served; not null
     * @param value the resource bytes, not null, possibly empty; copied, so later changes to the array have no effect
     * @return this instance, for chaining
     */
    public EmbeddedKbs putResource(ResourcePath path, byte[] value) {
        resources.put(Objects.requireNonNull(path, "path"), Objects.requireNonNull(value, "value").clone());
        return this;
    }

    /**
     * Sets or replaces a resource at {@code repo/type/tag}.
     *
     * @param path the resource path as {@link ResourcePath#parse(String)} takes it; not null
     * @param value the resource bytes, not null, possibly empty; copied
     * @return this instance, for chaining
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the path is not three
     *     valid segments
     */
    public EmbeddedKbs putResource(String path, byte[] value) {
        return putResource(ResourcePath.parse(path), value);
    }

    /**
     * Deletes a resource; true if it existed.
     *
     * @param path the resource to delete; not null
     * @return true if a resource was stored at {@code path} and is now removed, false if there was none
     */
    public boolean deleteResource(ResourcePath path) {
        return resources.remove(path) != null;
    }

    /**
     * Replaces the resource policy for subsequent requests.
     *
     * @param policy the new policy, not null; it must be thread-safe
     * @return this instance, for chaining
     */
    public EmbeddedKbs resourcePolicy(ResourcePolicy policy) {
        handler.policy(Objects.requireNonNull(policy, "policy"));
        return this;
    }

    /** Stops the server at once; idempotent. Sessions and resources are discarded. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            server.stop(0);
            executor.shutdownNow();
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKbs[" + baseUri() + (closed ? ", closed" : "") + "]";
    }

    /**
     * Configures an {@link EmbeddedKbs}. Not thread-safe. Defaults: loopback address, a free port, HTTPS, AMD's SNP
     * roots, {@code sample} refused, protocol version {@code 0.4.0}, sessions and tokens valid 5 minutes (Trustee's
     * defaults), Trustee's default resource policy, the system UTC clock, no listener.
     */
    public static final class Builder {
        InetAddress address = InetAddress.getLoopbackAddress();
        int port;
        boolean insecureHttp;
        SnpTrustRoots snpRoots = SnpTrustRoots.amd();
        X509Certificate tdxRoot;
        TdxCollateral tdxCollateral;
        GpuEvidenceVerifier gpuVerifier;
        boolean allowSample;
        String protocolVersion = "0.4.0";
        Duration sessionTimeout = Duration.ofMinutes(5);
        Duration tokenLifetime = Duration.ofMinutes(5);
        ResourcePolicy policy = ResourcePolicy.trusteeDefault();
        Clock clock = Clock.systemUTC();
        KbsListener listener = KbsListener.noOp();
        String issuer = "coco4j-embedded-kbs";
        String adminToken;
        final Map<ResourcePath, byte[]> resources = new ConcurrentHashMap<>();
        PrivateKey tlsKey;
        X509Certificate[] tlsChain;

        private Builder() {
        }

        /**
         * The port, 0 (default) for a free one.
         *
         * @param port the TCP port to bind, 0 to 65535; 0 picks a free port (read it back with
         *     {@link EmbeddedKbs#port()})
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the port is out of range
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new ConfigurationException(Reason.CONFIGURATION, "port out of range");
            }
            this.port = port;
            return this;
        }

        /**
         * The address to bind (default the loopback address).
         *
         * @param address the local address to listen on, not null; plain HTTP requires a loopback address
         * @return this builder
         */
        public Builder bindAddress(InetAddress address) {
            this.address = Objects.requireNonNull(address, "address");
            return this;
        }

        /**
         * Speak plain HTTP instead of HTTPS; {@link #start()} refuses it on a non-loopback address.
         *
         * @param insecureHttp true for plain HTTP, false (default) for HTTPS
         * @return this builder
         */
        public Builder insecureHttp(boolean insecureHttp) {
            this.insecureHttp = insecureHttp;
            return this;
        }

        /**
         * Presents this TLS key and certificate chain (leaf first) instead of the generated server certificate. The
         * generated {@link EmbeddedKbs#caCertificate()} still issues the token-signing certificate; clients then trust
         * the issuer of this chain for TLS. Ignored with {@link #insecureHttp(boolean)}.
         *
         * @param key the TLS private key, not null; kept by reference
         * @param chain the certificate chain, leaf first, not null or empty; the leaf's key algorithm must match
         *     {@code key}; copied
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the chain is null or empty or its leaf
         *     key algorithm differs from {@code key}'s
         */
        public Builder tlsIdentity(PrivateKey key, List<X509Certificate> chain) {
            Objects.requireNonNull(key, "key");
            if (chain == null || chain.isEmpty()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "a TLS identity needs a certificate chain");
            }
            if (!chain.getFirst().getPublicKey().getAlgorithm().equals(key.getAlgorithm())) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "the TLS key does not match the first certificate of the chain");
            }
            this.tlsKey = key;
            this.tlsChain = chain.toArray(X509Certificate[]::new);
            return this;
        }

        /**
         * Trusts these SNP roots instead of AMD's (e.g. {@code SimulatedSnpPlatform.trustRoots()}, in tests), for
         * {@code snp} and {@code az-snp-vtpm} evidence alike.
         *
         * @param roots the SNP trust roots (ARK, ASK and ASVK per product), not null; replaces AMD's
         * @return this builder
         */
        public Builder trustSnpRoots(SnpTrustRoots roots) {
            this.snpRoots = Objects.requireNonNull(roots, "roots");
            return this;
        }

        /**
         * Accepts {@code tdx} evidence: DCAP quotes verified by {@link TdxQuoteVerifier} against {@code root} with
         * this collateral (TCB Info, QE Identity, CRLs), then by {@link dev.coco4j.tdx.validate.TdxPolicyValidator}
         * with the default policy (no debug TD; TCB UpToDate or SWHardeningNeeded) and the bound report data; also
         * {@code az-tdx-vtpm} evidence, whose TD quote is held to the same policy. Without this call {@code tdx} and
         * {@code az-tdx-vtpm} evidence are refused.
         *
         * @param root the trusted root CA of the PCK chain (Intel's SGX Root CA in production), not null
         * @param collateral the TCB Info, QE Identity and CRLs to verify quotes with, not null; kept by reference
         * @return this builder
         */
        public Builder trustTdx(X509Certificate root, TdxCollateral collateral) {
            this.tdxRoot = Objects.requireNonNull(root, "root");
            this.tdxCollateral = Objects.requireNonNull(collateral, "collateral");
            return this;
        }

        /**
         * {@link #trustTdx(X509Certificate, TdxCollateral)} with a simulated platform's root and collateral.
         *
         * @param platform the simulated TDX platform whose quotes should verify, not null
         * @return this builder
         */
        public Builder trustSimulatedTdx(SimulatedTdxPlatform platform) {
            return trustTdx(platform.root(), platform.collateral());
        }

        /**
         * Accepts NVIDIA GPU additional evidence ({@code "nvidia"} in {@code additional_evidence}), each GPU verified
         * by this verifier in offline mode (device chain, signature, FWID, the device-digest nonce, driver and VBIOS
         * RIMs and golden measurements as its policy says). Without a GPU verifier, attestations carrying additional
         * evidence are refused: nothing is passed through unverified.
         *
         * @param verifier the GPU evidence verifier, not null; its trust roots, RIM source and policy decide
         * @return this builder
         */
        public Builder gpuVerifier(GpuEvidenceVerifier verifier) {
            this.gpuVerifier = Objects.requireNonNull(verifier, "verifier");
            return this;
        }

        /**
         * {@link #gpuVerifier(GpuEvidenceVerifier)} trusting a simulated GPU: its device root, its RIM root, and its
         * driver and VBIOS RIMs as the only reference values (golden measurements are compared).
         *
         * @param gpu the simulated (Hopper) GPU whose evidence should verify, not null
         * @return this builder
         */
        public Builder trustSimulatedGpu(SimulatedGpu gpu) {
            OpaqueData od = GpuAttestationReport.parse(gpu.report(new byte[32])).opaqueData();
            Map<String, byte[]> rims = Map.of(RimIds.driver(od, GpuArchitecture.HOPPER), gpu.driverRim(),
                    RimIds.vbios(od), gpu.vbiosRim());
            return gpuVerifier(GpuEvidenceVerifier.builder()
                    .trustRoots(GpuTrustRoots.of(gpu.deviceRoot()))
                    .rimTrustRoots(RimTrustRoots.of(gpu.rimRoot()))
                    .rimSource(id -> {
                        byte[] rim = rims.get(id);
                        if (rim == null) {
                            throw new CollateralException(Reason.RIM_NOT_FOUND, "no simulated RIM " + id);
                        }
                        return rim.clone();
                    })
                    .build());
        }

        /**
         * Accepts Trustee's insecure {@code sample} evidence (default false).
         *
         * @param allowSample true to verify and accept {@code sample} evidence; the default resource policy still
         *     denies releases to it
         * @return this builder
         */
        public Builder allowSample(boolean allowSample) {
            this.allowSample = allowSample;
            return this;
        }

        /**
         * The protocol version {@code /auth} requires exactly (default {@code 0.4.0}).
         *
         * @param version the version string a client's request must equal, not null (e.g. to test a mismatch)
         * @return this builder
         */
        public Builder protocolVersion(String version) {
            this.protocolVersion = Objects.requireNonNull(version, "version");
            return this;
        }

        /**
         * How long a session lives after {@code /auth} (default 5 minutes).
         *
         * @param timeout the session lifetime, not null, strictly positive
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code timeout} is zero or negative
         */
        public Builder sessionTimeout(Duration timeout) {
            this.sessionTimeout = positive(timeout);
            return this;
        }

        /**
         * How long an issued token is valid (default 5 minutes).
         *
         * @param lifetime the time from a token's {@code iat} to its {@code exp}, not null, strictly positive
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code lifetime} is zero or negative
         */
        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = positive(lifetime);
            return this;
        }

        /**
         * The resource policy (default {@link ResourcePolicy#trusteeDefault()}).
         *
         * @param policy the policy, not null, thread-safe; replaceable later with
         *     {@link EmbeddedKbs#resourcePolicy(ResourcePolicy)}
         * @return this builder
         */
        public Builder resourcePolicy(ResourcePolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * The clock for session expiry, token times, certificate dates and SNP verification (default system UTC).
         *
         * @param clock the clock, not null (a fixed clock makes expiry and validity testable)
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The event listener (default none).
         *
         * @param listener the listener, not null, thread-safe and quick; {@link KbsListener#noOp()} for none
         * @return this builder
         */
        public Builder listener(KbsListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The token {@code iss} claim (default {@code coco4j-embedded-kbs}).
         *
         * @param issuer the issuer name written into every token, not null
         * @return this builder
         */
        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /**
         * The admin bearer token (default: 24 random bytes in hex).
         *
         * @param token the token the admin endpoints accept, not null or blank; a secret
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code token} is null or blank
         */
        public Builder adminToken(String token) {
            if (token == null || token.isBlank()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "admin token must not be blank");
            }
            this.adminToken = token;
            return this;
        }

        /**
         * Adds a resource (the bytes are copied).
         *
         * @param path where the resource is served, not null; a second call with the same path replaces it
         * @param value the resource bytes, not null, possibly empty; copied
         * @return this builder
         */
        public Builder resource(ResourcePath path, byte[] value) {
            resources.put(Objects.requireNonNull(path, "path"), Objects.requireNonNull(value, "value").clone());
            return this;
        }

        /**
         * Adds a resource at {@code repo/type/tag}.
         *
         * @param path the resource path as {@link ResourcePath#parse(String)} takes it, not null
         * @param value the resource bytes, not null, possibly empty; copied
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the path is not three valid segments
         */
        public Builder resource(String path, byte[] value) {
            return resource(ResourcePath.parse(path), value);
        }

        /**
         * Generates the identities and starts listening.
         *
         * @return the running KBS; close it to stop the server
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} for plain HTTP on a non-loopback address
         *     or an unusable TLS identity
         * @throws UncheckedIOException if the port cannot be bound
         */
        public EmbeddedKbs start() {
            if (insecureHttp && !address.isLoopbackAddress()) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "plain HTTP is allowed on a loopback address only");
            }
            try {
                return new EmbeddedKbs(this);
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(Reason.CONFIGURATION, e.getMessage());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded KBS", e);
            }
        }

        private static Duration positive(Duration d) {
            Objects.requireNonNull(d, "duration");
            if (d.isZero() || d.isNegative()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "duration must be positive");
            }
            return d;
        }
    }
}
