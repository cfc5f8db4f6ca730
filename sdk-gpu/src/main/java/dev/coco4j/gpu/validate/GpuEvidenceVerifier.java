package dev.coco4j.gpu.validate;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TcbStatus;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.core.internal.Hex;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.core.spi.Verifier;
import dev.coco4j.gpu.abi.OpaqueData;
import dev.coco4j.gpu.rim.MeasurementComparator;
import dev.coco4j.gpu.rim.MeasurementComparison;
import dev.coco4j.gpu.rim.ReferenceManifest;
import dev.coco4j.gpu.rim.RimIds;
import dev.coco4j.gpu.rim.RimServiceClient;
import dev.coco4j.gpu.rim.RimSource;
import dev.coco4j.gpu.rim.RimTrustRoots;
import dev.coco4j.gpu.rim.RimVerifier;
import dev.coco4j.gpu.verify.GpuReportVerifier;
import dev.coco4j.gpu.verify.GpuTrustRoots;
import dev.coco4j.gpu.verify.HttpOcspClient;
import dev.coco4j.gpu.verify.OcspClient;
import dev.coco4j.gpu.verify.VerifiedGpuReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The NVIDIA GPU {@link Verifier} service. {@link Evidence} for {@link TeeType#NVIDIA_GPU}: {@code data} = the raw
 * attestation report (request followed by response; a hex-text report is accepted too), {@code auxiliary} = the PEM
 * device certificate chain, leaf first.
 *
 * <p><b>Nonce.</b> Through the SPI, the expected GPU nonce is the <b>first 32 bytes</b> of
 * {@link VerificationOptions#expectedReportData()} (the binding Confidential Containers uses: the GPU nonce is the
 * first 32 bytes of the report data given to every attester). Without expected report data the evidence is refused
 * ({@link Reason#CONFIGURATION}): an unbound GPU report proves no freshness. Callers with a GPU-specific nonce use
 * {@link #verify(Evidence, byte[], VerificationOptions)}.
 *
 * <p><b>Checks</b>, in order: {@link GpuReportVerifier} (signature, chain, nonce, FWID, architecture, OCSP unless
 * offline); the policy's accepted driver and VBIOS versions ({@link Reason#POLICY_VIOLATION}); the driver and VBIOS
 * RIMs from the {@link RimSource} by {@link RimIds} ({@link Reason#RIM_NOT_FOUND}), each verified by
 * {@link RimVerifier} and required to name the report's version ({@link Reason#RIM_INVALID}); the golden comparison
 * ({@link Reason#MEASUREMENT_MISMATCH} listing the indices). {@link VerificationOptions#offline()} is an explicit
 * choice: OCSP is then not checked and a warning says so (the policy's {@code ocspRequired} is waived for that call),
 * and RIMs come only from the offline source (by default the fetcher's preloaded/cached copies). An
 * {@link AttestationResult} is returned only when every check passed; its claims use NVIDIA's names where one exists.
 */
public final class GpuEvidenceVerifier implements Verifier {
    private final GpuTrustRoots roots;
    private final RimTrustRoots rimRoots;
    private final RimSource rims;
    private final RimSource offlineRims;
    private final OcspClient ocsp;
    private final GpuPolicy policy;
    /** Held for the verifier's lifetime so their verified-chain caches serve every call. */
    private final GpuReportVerifier onlineReports;
    private final GpuReportVerifier offlineReports;

    /** NVIDIA's pinned roots, NVIDIA's RIM service and OCSP responder, the default policy. */
    public GpuEvidenceVerifier() {
        this(builder());
    }

    private GpuEvidenceVerifier(Builder b) {
        this.roots = b.roots;
        this.rimRoots = b.rimRoots;
        this.policy = b.policy;
        this.ocsp = b.ocsp != null ? b.ocsp : HttpOcspClient.builder().build();
        this.rims = b.rims != null ? b.rims
                : RimServiceClient.builder().fetcher(CollateralFetcher.builder().build()).build();
        this.offlineRims = b.offlineRims != null ? b.offlineRims : b.rims != null ? b.rims
                : RimServiceClient.builder().fetcher(CollateralFetcher.builder().offline(true).build()).build();
        this.onlineReports = GpuReportVerifier.builder().trustRoots(roots).offline(false).ocspClient(ocsp)
                .allowCertificateHold(policy.allowCertificateHold()).build();
        this.offlineReports = GpuReportVerifier.builder().trustRoots(roots).offline(true)
                .allowCertificateHold(policy.allowCertificateHold()).build();
    }

    /**
     * A builder with the defaults of {@link #GpuEvidenceVerifier()}.
     *
     * @return a new builder with NVIDIA's trust roots, RIM service and OCSP responder and {@link GpuPolicy#defaults()}
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public TeeType teeType() {
        return TeeType.NVIDIA_GPU;
    }

    @Override
    public AttestationResult verify(Evidence evidence, VerificationOptions options) {
        byte[] reportData = options.expectedReportData().orElseThrow(() -> new ConfigurationException(
                Reason.CONFIGURATION, "GPU evidence needs an expected nonce: set expectedReportData (its first 32 "
                        + "bytes are the GPU nonce)")).toByteArray();
        return verify(evidence, Arrays.copyOf(reportData, 32), options);
    }

    /**
     * Verifies with an explicit 32-byte GPU nonce.
     *
     * @param evidence {@link TeeType#NVIDIA_GPU} evidence: raw or hex report as data, PEM chain as auxiliary; must not
     *     be {@code null}
     * @param nonce the 32-byte nonce the report's GET_MEASUREMENTS request must carry; not modified
     * @param options the clock supplying the verification instant and the offline switch; must not be {@code null}
     * @return the result, with NVIDIA's claim names and the warnings collected; returned only when every check passed
     * @throws dev.coco4j.core.CocoException on any refusal
     * @throws ConfigurationException {@link Reason#CONFIGURATION} for evidence of another TEE
     */
    public AttestationResult verify(Evidence evidence, byte[] nonce, VerificationOptions options) {
        Objects.requireNonNull(evidence, "evidence");
        if (evidence.tee() != TeeType.NVIDIA_GPU) {
            throw new ConfigurationException(Reason.CONFIGURATION, "not NVIDIA GPU evidence: " + evidence.tee());
        }
        Instant at = options.clock().instant();
        boolean offline = options.offline();
        GpuReportVerifier reports = offline ? offlineReports : onlineReports;
        VerifiedGpuReport v = reports.verify(Hex.rawOrHex(evidence.data()), evidence.auxiliary(), nonce, at);
        List<String> warnings = new ArrayList<>(v.warnings());
        if (policy.ocspRequired() && !offline && !v.ocspChecked()) {
            throw new AttestationException(Reason.POLICY_VIOLATION, "OCSP was required but not checked");
        }
        OpaqueData od = v.report().opaqueData();
        String driver = od.driverVersion().orElseThrow(() -> new AttestationException(Reason.MALFORMED_EVIDENCE,
                "the report has no driver version"));
        String vbios = od.vbiosVersion().orElseThrow(() -> new AttestationException(Reason.MALFORMED_EVIDENCE,
                "the report has no VBIOS version"));
        List<dev.coco4j.core.CocoException.Failure> policyFailures = new ArrayList<>();
        if (!policy.acceptedDriverVersions().isEmpty() && !policy.acceptedDriverVersions().contains(driver)) {
            policyFailures.add(new dev.coco4j.core.CocoException.Failure(Reason.POLICY_VIOLATION,
                    "driver version " + driver + " is not accepted"));
        }
        if (!policy.acceptedVbiosVersions().isEmpty() && !policy.acceptedVbiosVersions().contains(vbios)) {
            policyFailures.add(new dev.coco4j.core.CocoException.Failure(Reason.POLICY_VIOLATION,
                    "VBIOS version " + vbios + " is not accepted"));
        }
        if (!policyFailures.isEmpty()) {
            throw new AttestationException(policyFailures);
        }

        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("arch", v.architecture().nvidiaName());
        claims.put("hwmodel", v.chain().hwModel());
        claims.put("ueid", v.chain().ueid());
        claims.put("eat_nonce", HexFormat.of().formatHex(nonce));
        claims.put("driver_version", driver);
        claims.put("vbios_version", vbios);
        od.project().ifPresent(p -> claims.put("project", p));
        od.projectSku().ifPresent(p -> claims.put("project_sku", p));
        od.chipSku().ifPresent(p -> claims.put("chip_sku", p));
        od.fwid().ifPresent(f -> claims.put("fwid", HexFormat.of().formatHex(f)));
        claims.put("gpu_mode", od.mode().map(Enum::name).orElse("unspecified"));
        claims.put("fwid_match", v.fwidChecked() ? "match" : "absent in report");
        claims.put("ocsp_checked", v.ocspChecked());

        if (!policy.requireRims()) {
            warnings.add("measurements not compared with RIMs (disabled by policy)");
        } else {
            RimSource source = offline ? offlineRims : rims;
            RimVerifier rv = RimVerifier.builder().trustRoots(rimRoots).offline(offline)
                    .allowCertificateHold(policy.allowCertificateHold())
                    .ocspClient(ocsp).build();
            String driverId = RimIds.driver(od, v.architecture());
            String vbiosId = RimIds.vbios(od);
            ReferenceManifest driverRim = rv.verify(source.fetch(driverId), at, warnings);
            ReferenceManifest vbiosRim = rv.verify(source.fetch(vbiosId), at, warnings);
            if (!driverRim.colloquialVersion().equalsIgnoreCase(driver)) {
                throw new AttestationException(Reason.RIM_INVALID, "driver RIM is for " + driverRim.colloquialVersion()
                        + ", the report's driver is " + driver);
            }
            if (!vbiosRim.colloquialVersion().equalsIgnoreCase(vbios)) {
                throw new AttestationException(Reason.RIM_INVALID, "VBIOS RIM is for " + vbiosRim.colloquialVersion()
                        + ", the report's VBIOS is " + vbios);
            }
            MeasurementComparison c = MeasurementComparator.compare(v.report(), driverRim, vbiosRim);
            c.requireMatch(policy.allowUnknownMeasurements());
            if (!c.uncovered().isEmpty()) {
                warnings.add("non-zero measurements without golden values at RIM indices " + c.uncovered());
            }
            if (!c.skipped().isEmpty()) {
                warnings.add("RIM indices " + c.skipped() + " skipped (NVDEC0 disabled)");
            }
            claims.put("driver_rim_id", driverId);
            claims.put("vbios_rim_id", vbiosId);
            claims.put("measres", "success");
            claims.put("measurements_compared", c.compared().size());
        }
        return new AttestationResult(TeeType.NVIDIA_GPU, claims, TcbStatus.NOT_APPLICABLE, warnings, at);
    }

    /** Builder for {@link GpuEvidenceVerifier}. */
    public static final class Builder {
        private GpuTrustRoots roots = GpuTrustRoots.nvidia();
        private RimTrustRoots rimRoots = RimTrustRoots.nvidia();
        private RimSource rims;
        private RimSource offlineRims;
        private OcspClient ocsp;
        private GpuPolicy policy = GpuPolicy.defaults();

        private Builder() {
        }

        /**
         * The device trust anchor (default NVIDIA's).
         *
         * @param roots the GPU device-chain trust anchor; must not be {@code null}
         * @return this builder
         */
        public Builder trustRoots(GpuTrustRoots roots) {
            this.roots = Objects.requireNonNull(roots, "roots");
            return this;
        }

        /**
         * The RIM trust anchor (default NVIDIA's).
         *
         * @param roots the anchor RIM signing chains must verify to; must not be {@code null}
         * @return this builder
         */
        public Builder rimTrustRoots(RimTrustRoots roots) {
            this.rimRoots = Objects.requireNonNull(roots, "roots");
            return this;
        }

        /**
         * Where RIMs come from (default NVIDIA's RIM service); also used offline unless {@link #offlineRimSource}.
         *
         * @param source the RIM source for online verification; must not be {@code null}
         * @return this builder
         */
        public Builder rimSource(RimSource source) {
            this.rims = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Where RIMs come from in offline mode.
         *
         * @param source the RIM source when {@link VerificationOptions#offline()} is set; must not be {@code null}
         * @return this builder
         */
        public Builder offlineRimSource(RimSource source) {
            this.offlineRims = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * The OCSP client (default NVIDIA's responder).
         *
         * @param ocsp the client for the device-chain and RIM-chain OCSP checks; must not be {@code null}
         * @return this builder
         */
        public Builder ocspClient(OcspClient ocsp) {
            this.ocsp = Objects.requireNonNull(ocsp, "ocsp");
            return this;
        }

        /**
         * The policy (default {@link GpuPolicy#defaults()}).
         *
         * @param policy the policy applied to every verification; must not be {@code null}
         * @return this builder
         */
        public Builder policy(GpuPolicy policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Builds the verifier.
         *
         * @return a new verifier; creates the default OCSP client and RIM sources for those not set
         */
        public GpuEvidenceVerifier build() {
            return new GpuEvidenceVerifier(this);
        }
    }

    @Override
    public String toString() {
        return "GpuEvidenceVerifier[" + policy.toString().toLowerCase(Locale.ROOT) + "]";
    }
}
