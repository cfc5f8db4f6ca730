package dev.coco4j.gpu.verify;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException.Failure;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.CertificateChainVerifier;
import dev.coco4j.core.crypto.RawEcdsaVerifier;
import dev.coco4j.core.crypto.SignatureRule;
import dev.coco4j.gpu.abi.GpuAttestationReport;
import dev.coco4j.gpu.abi.SpdmMeasurementRequest;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies that a GPU attestation report is genuine and fresh, in this order:
 * <ol>
 *   <li>parse the report ({@link GpuAttestationReport#parse}) and the device chain (exactly 5 certificates);</li>
 *   <li>architecture: the leaf and the device identity certificate name the same supported chip (Hopper GH1xx,
 *       Blackwell GB1xx), and it is the expected one when the caller set one ({@link Reason#POLICY_VIOLATION});</li>
 *   <li>the chain: the GPU's own root (the 5th certificate) is dropped and certificates 1–4 must chain to the pinned
 *       root under ECDSA, each valid at the verification instant ({@link Reason#CHAIN_INVALID},
 *       {@link Reason#CERT_EXPIRED});</li>
 *   <li>the signature: ECDSA P-384/SHA-384 with the leaf key, raw big-endian r||s, over the request and the response
 *       up to its signature ({@link Reason#SIGNATURE_INVALID}); then the requester nonce at report offset 4 equals
 *       the expected 32 bytes ({@link Reason#NONCE_MISMATCH}); then the report's FWID (opaque type 20), when present,
 *       equals the leaf's TcbInfo FWID ({@link Reason#CHAIN_INVALID}). All three are reported together, signature
 *       first;</li>
 *   <li>OCSP for certificates 2–4 (BROM, Provisioner ICA, Identity — NVIDIA checks index 1..n-2): revoked or unknown
 *       is {@link Reason#REVOKED} (certificateHold only if allowed, as a warning); an unreachable responder is
 *       {@link Reason#SERVICE_UNAVAILABLE}, unless the verifier is offline, in which case "OCSP not checked" is a
 *       warning, never a pass.</li>
 * </ol>
 * <p>Thread-safe and reusable. Verified device chains are cached per instance (bounded, keyed by the exact chain
 * bytes and the identity of the trust root): a hit skips PEM parsing and the four chain signature verifications and
 * reuses a prepared verifier for the leaf key, so a repeated report from one GPU costs one ECDSA verification. A hit
 * is used only when the verification instant lies inside the intersection of every certificate's validity (root
 * included), so expiry is still decided per call; OCSP is still asked per call (the {@link OcspClient} may cache
 * answers until their nextUpdate, as {@link HttpOcspClient} does). Everything that depends on the report
 * (signature, nonce, FWID, chip and expected architecture) is checked on every call.
 */
public final class GpuReportVerifier {
    /** The most verified chains one verifier keeps; when full, the cache is emptied and refilled. */
    static final int CHAIN_CACHE_LIMIT = 256;

    private final GpuTrustRoots roots;
    private final OcspClient ocsp;
    private final boolean offline;
    private final boolean allowCertificateHold;
    private final GpuArchitecture expectedArchitecture;
    private final ConcurrentHashMap<ChainKey, VerifiedChain> chainCache = new ConcurrentHashMap<>();

    /** Exact chain bytes plus the trust root, compared by identity. */
    private record ChainKey(byte[] pem, X509Certificate root, int hash) {
        static ChainKey of(byte[] pem, X509Certificate root) {
            return new ChainKey(pem, root, 31 * Arrays.hashCode(pem) + System.identityHashCode(root));
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ChainKey k && k.root == root && k.hash == hash && Arrays.equals(k.pem, pem);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    /**
     * A device chain that verified to the root: the parsed chain, the verified path (pinned root last), the
     * architecture both chain ends agree on, the prepared leaf-key verifier, the leaf FWID and the validity window
     * common to every certificate of the path.
     */
    private record VerifiedChain(DeviceCertificateChain chain, List<X509Certificate> path, GpuArchitecture arch,
                                 RawEcdsaVerifier leafKey, Optional<byte[]> leafFwid, Instant notBefore,
                                 Instant notAfter) {
        boolean validAt(Instant at) {
            return !at.isBefore(notBefore) && !at.isAfter(notAfter);
        }
    }

    private GpuReportVerifier(Builder b) {
        this.roots = b.roots;
        this.ocsp = b.ocsp;
        this.offline = b.offline;
        this.allowCertificateHold = b.allowCertificateHold;
        this.expectedArchitecture = b.expectedArchitecture;
    }

    /**
     * A builder: NVIDIA's pinned root, online (an OCSP client is then required), hold not allowed.
     *
     * @return a new builder with those defaults and no expected architecture
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * True if OCSP is skipped with a warning.
     *
     * @return {@code true} if this verifier skips OCSP (with a warning), {@code false} if it queries its OCSP client
     */
    public boolean offline() {
        return offline;
    }

    /**
     * Verifies a report.
     *
     * @param report the raw report bytes (request followed by response)
     * @param certChainPem the device chain, PEM, leaf first
     * @param expectedNonce the 32-byte nonce the caller gave the driver
     * @param at the verification instant (from an injected clock)
     * @return the verified report with its chain, architecture and warnings; returned only when every check passed
     * @throws AttestationException on any refusal
     * @throws dev.coco4j.core.CollateralException SERVICE_UNAVAILABLE when OCSP is required but unreachable
     */
    public VerifiedGpuReport verify(byte[] report, byte[] certChainPem, byte[] expectedNonce, Instant at) {
        Objects.requireNonNull(at, "at");
        if (expectedNonce == null || expectedNonce.length != SpdmMeasurementRequest.NONCE_LENGTH) {
            throw new ConfigurationException(Reason.CONFIGURATION, "the expected GPU nonce must be exactly 32 bytes");
        }
        if (certChainPem == null || certChainPem.length == 0) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "no GPU device certificate chain");
        }
        GpuAttestationReport parsed = GpuAttestationReport.parse(report);
        VerifiedChain vc = verifiedChain(certChainPem, at);
        DeviceCertificateChain chain = vc.chain();
        GpuArchitecture arch = checkArchitecture(vc.arch(), parsed);

        List<Failure> failures = new ArrayList<>();
        if (!signatureVerifies(parsed, vc.leafKey())) {
            failures.add(new Failure(Reason.SIGNATURE_INVALID, "the GPU report signature does not verify with the "
                    + "key of " + CertificateChainVerifier.subjectName(chain.leaf())));
        }
        if (!MessageDigest.isEqual(parsed.nonce(), expectedNonce)) {
            failures.add(new Failure(Reason.NONCE_MISMATCH, "the report's requester nonce is not the expected one"));
        }
        boolean fwidChecked = false;
        if (parsed.opaqueData().fwid().isPresent()) {
            byte[] reportFwid = parsed.opaqueData().fwid().get();
            byte[] leafFwid = vc.leafFwid().orElse(null);
            if (leafFwid == null) {
                failures.add(new Failure(Reason.CHAIN_INVALID, "the report carries an FWID but the leaf certificate "
                        + "has no TcbInfo FWID"));
            } else if (!MessageDigest.isEqual(reportFwid, leafFwid)) {
                failures.add(new Failure(Reason.CHAIN_INVALID, "the report's FWID differs from the leaf "
                        + "certificate's FWID"));
            } else {
                fwidChecked = true;
            }
        }
        if (!failures.isEmpty()) {
            throw new AttestationException(failures);
        }

        List<String> warnings = new ArrayList<>();
        if (parsed.trailingBytes() > 0) {
            warnings.add(parsed.trailingBytes() + " zero byte(s) of padding after the report signature ignored");
        }
        boolean ocspChecked = checkOcsp(vc.path(), at, warnings);
        return new VerifiedGpuReport(parsed, chain, arch, fwidChecked, ocspChecked, warnings, at);
    }

    /** The architecture both ends of the chain name (chain-only, so cached with it). */
    private static GpuArchitecture chainArchitecture(DeviceCertificateChain chain) {
        GpuArchitecture arch = chain.architecture();
        GpuArchitecture brom = GpuArchitecture.fromCommonName(DeviceCertificateChain.commonName(chain.deviceIdentity()));
        if (arch != brom) {
            throw new AttestationException(Reason.CHAIN_INVALID, "leaf certificate is " + arch
                    + " but the device identity certificate is " + brom);
        }
        return arch;
    }

    /** The report-dependent architecture checks, on every call. */
    private GpuArchitecture checkArchitecture(GpuArchitecture arch, GpuAttestationReport report) {
        report.opaqueData().chipInfo().ifPresent(chip -> {
            GpuArchitecture fromChip = GpuArchitecture.fromCommonName(chip.toUpperCase(Locale.ROOT));
            if (fromChip != arch) {
                throw new AttestationException(Reason.CHAIN_INVALID, "report chip " + chip
                        + " does not match the certificate chain's " + arch);
            }
        });
        if (expectedArchitecture != null && expectedArchitecture != arch) {
            throw new AttestationException(Reason.POLICY_VIOLATION, "expected a " + expectedArchitecture
                    + " GPU, the evidence is from a " + arch);
        }
        return arch;
    }

    /**
     * The verified chain for these bytes: from the cache when it holds them and {@code at} is inside their common
     * validity window; otherwise parsed and verified in full (which throws on any defect, including expiry at
     * {@code at}) and then cached.
     */
    private VerifiedChain verifiedChain(byte[] certChainPem, Instant at) {
        X509Certificate root = roots.deviceRoot();
        ChainKey key = ChainKey.of(certChainPem, root);
        VerifiedChain cached = chainCache.get(key);
        if (cached != null && cached.validAt(at)) {
            return cached;
        }
        DeviceCertificateChain chain = DeviceCertificateChain.parse(certChainPem);
        GpuArchitecture arch = chainArchitecture(chain);
        List<X509Certificate> path = verifyChain(chain, at);
        RawEcdsaVerifier leafKey = leafVerifier(chain.leaf());
        Instant notBefore = Instant.MIN;
        Instant notAfter = Instant.MAX;
        for (X509Certificate c : path) {
            Instant nb = c.getNotBefore().toInstant();
            Instant na = c.getNotAfter().toInstant();
            notBefore = nb.isAfter(notBefore) ? nb : notBefore;
            notAfter = na.isBefore(notAfter) ? na : notAfter;
        }
        VerifiedChain vc = new VerifiedChain(chain, path, arch, leafKey, chain.leafFwid(), notBefore, notAfter);
        if (chainCache.size() >= CHAIN_CACHE_LIMIT) {
            chainCache.clear();
        }
        chainCache.put(ChainKey.of(certChainPem.clone(), root), vc);
        return vc;
    }

    /** The number of verified chains cached (for tests). */
    int cachedChains() {
        return chainCache.size();
    }

    /** Returns the verified path leaf first, with the pinned root last. */
    private List<X509Certificate> verifyChain(DeviceCertificateChain chain, Instant at) {
        List<X509Certificate> withoutShippedRoot = chain.certificates().subList(0, DeviceCertificateChain.LENGTH - 1);
        CertificateChainVerifier.verifyChain(withoutShippedRoot, roots.deviceRoot(), SignatureRule.ecdsa(), at);
        List<X509Certificate> path = new ArrayList<>(withoutShippedRoot);
        path.add(roots.deviceRoot());
        return List.copyOf(path);
    }

    private static RawEcdsaVerifier leafVerifier(X509Certificate leaf) {
        if (!(leaf.getPublicKey() instanceof ECPublicKey ec)
                || ec.getParams().getCurve().getField().getFieldSize() != 384) {
            throw new AttestationException(Reason.CHAIN_INVALID, "the GPU leaf key is not an EC P-384 key");
        }
        try {
            return RawEcdsaVerifier.forKey(ec, RawEcdsaVerifier.Hash.SHA384);
        } catch (ConfigurationException e) {
            throw new AttestationException(Reason.CHAIN_INVALID, "the GPU leaf key is unusable: " + e.detail(), e);
        }
    }

    private static boolean signatureVerifies(GpuAttestationReport report, RawEcdsaVerifier leafKey) {
        byte[] sig = report.signature();
        return leafKey.verify(report.raw(), 0, report.signedLength(), Arrays.copyOfRange(sig, 0, 48),
                Arrays.copyOfRange(sig, 48, 96), ByteOrder.BIG_ENDIAN);
    }

    private boolean checkOcsp(List<X509Certificate> path, Instant at, List<String> warnings) {
        if (offline) {
            warnings.add("OCSP not checked (offline): GPU device certificate revocation is unknown");
            return false;
        }
        OcspChecks.check(ocsp, path, 1, path.size() - 2, at, allowCertificateHold, warnings);
        return true;
    }

    /** Builder for {@link GpuReportVerifier}. */
    public static final class Builder {
        private GpuTrustRoots roots = GpuTrustRoots.nvidia();
        private OcspClient ocsp;
        private boolean offline;
        private boolean allowCertificateHold;
        private GpuArchitecture expectedArchitecture;

        private Builder() {
        }

        /**
         * The trust anchor (default: NVIDIA's pinned device root).
         *
         * @param roots the device-chain trust anchor; must not be {@code null}
         * @return this builder
         */
        public Builder trustRoots(GpuTrustRoots roots) {
            this.roots = Objects.requireNonNull(roots, "roots");
            return this;
        }

        /**
         * The OCSP client used when online.
         *
         * @param ocsp the client asked about the intermediate certificates; must not be {@code null}
         * @return this builder
         */
        public Builder ocspClient(OcspClient ocsp) {
            this.ocsp = Objects.requireNonNull(ocsp, "ocsp");
            return this;
        }

        /**
         * Offline: OCSP is not checked and a warning says so.
         *
         * @param offline {@code true} to skip OCSP with a warning, {@code false} (default) to require an OCSP client
         * @return this builder
         */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * Tolerate certificateHold with a warning (NVIDIA's "allow hold cert"; default false).
         *
         * @param allow {@code true} to turn an OCSP {@code certificateHold} into a warning, {@code false} to refuse it
         * @return this builder
         */
        public Builder allowCertificateHold(boolean allow) {
            this.allowCertificateHold = allow;
            return this;
        }

        /**
         * Require this architecture (default: either supported one).
         *
         * @param arch the architecture the chain's leaf must name, or {@code null} to accept Hopper and Blackwell
         * @return this builder
         */
        public Builder expectedArchitecture(GpuArchitecture arch) {
            this.expectedArchitecture = arch;
            return this;
        }

        /**
         * {@return a new {@code GpuReportVerifier} with these settings}
         *
         * @throws ConfigurationException if online without an OCSP client
         */
        public GpuReportVerifier build() {
            if (!offline && ocsp == null) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "an online GPU verifier needs an OCSP client (or offline(true))");
            }
            return new GpuReportVerifier(this);
        }
    }
}
