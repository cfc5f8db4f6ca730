package dev.coco4j.benchmarks;

import dev.coco4j.gpu.abi.GpuAttestationReport;
import dev.coco4j.gpu.rim.MeasurementComparator;
import dev.coco4j.gpu.rim.MeasurementComparison;
import dev.coco4j.gpu.rim.ReferenceManifest;
import dev.coco4j.gpu.rim.RimVerifier;
import dev.coco4j.gpu.verify.DeviceCertificateChain;
import dev.coco4j.gpu.verify.GpuReportVerifier;
import dev.coco4j.gpu.verify.VerifiedGpuReport;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GPU report verification in the steady state of a relying party, against the raw Bouncy Castle ECDSA P-384
 * verification of the same signed bytes in the same run (target: sdk ≥ 0.9 × baseline).
 *
 * <p>{@link #sdkVerify()}: the driver and VBIOS RIMs were verified once in setup (as a verifier caches them) and the
 * device chain is in {@link GpuReportVerifier}'s verified-chain cache after the setup call; each call then parses the
 * report, looks the chain up, re-checks its validity window at the instant, verifies the report signature, nonce and
 * architecture, and compares every measurement with the RIMs. OCSP is off (offline), as network latency is not the
 * subject. The 2023 nvtrust H100 sample and its two test RIMs, at 2025-06-01 (when the RIM signers were valid).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GpuVerifyBenchmark {
    /**
     * Creates the benchmark state; JMH instantiates it once per trial ({@code Scope.Benchmark}) and calls
     * {@link #setUp()}.
     */
    public GpuVerifyBenchmark() {
    }

    private static final byte[] NONCE = HexFormat.of().parseHex(
            "4cff7f5380ead8fad8ec2c531c110aca4302a88f603792801a8ca29ee151af2e");
    private static final Instant AT = Instant.parse("2025-06-01T00:00:00Z");
    private byte[] report;
    private byte[] chain;
    private GpuReportVerifier verifier;
    private ReferenceManifest driverRim;
    private ReferenceManifest vbiosRim;
    private ECPublicKeyParameters bcKey;
    private BigInteger r;
    private BigInteger s;
    private int signedLength;

    /**
     * Loads the nvtrust H100 sample report, chain and RIMs, verifies the RIMs once, warms the verifier's chain cache
     * with a first {@link #sdkVerify()}, and extracts the leaf key and signature for the baseline.
     *
     * @throws Exception if a vector is missing or does not verify ({@link IllegalStateException} when the report
     *     does not match its RIMs or the baseline signature check fails): the run is then invalid
     */
    @Setup
    public void setUp() throws Exception {
        report = HexFormat.of().parseHex(new String(resource("hopper2023AttestationReport.txt"),
                StandardCharsets.US_ASCII).replaceAll("\\s", ""));
        chain = resource("hopper2023CertChain.txt");
        verifier = GpuReportVerifier.builder().offline(true).build();
        RimVerifier rims = RimVerifier.builder().offline(true).build();
        driverRim = rims.verify(resource("Driver_RIM_test_no_gpu.swidtag"), AT);
        vbiosRim = rims.verify(resource("1010_0200_882_96005E0001_test_no_gpu.swidtag"), AT);
        if (!sdkVerify().matches()) {
            throw new IllegalStateException("the benchmark vectors do not match their RIMs");
        }
        ECPublicKey key = (ECPublicKey) DeviceCertificateChain.parse(chain).leaf().getPublicKey();
        X9ECParameters x9 = ECNamedCurveTable.getByName("P-384");
        bcKey = new ECPublicKeyParameters(x9.getCurve().createPoint(key.getW().getAffineX(), key.getW().getAffineY()),
                new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH()));
        GpuAttestationReport parsed = GpuAttestationReport.parse(report);
        byte[] sig = parsed.signature();
        r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 48));
        s = new BigInteger(1, Arrays.copyOfRange(sig, 48, 96));
        signedLength = parsed.signedLength();
        if (!baselineBcEcdsa()) {
            throw new IllegalStateException("the baseline does not verify");
        }
    }

    /**
     * The SDK: report verification with a cached chain, then the golden comparison with the verified RIMs.
     *
     * @return the measurement comparison, every measurement matching (otherwise this throws)
     * @throws dev.coco4j.core.CocoException if the report does not verify or, with
     *     {@code Reason.MEASUREMENT_MISMATCH}, if a measurement differs from the RIMs (not expected with the vectors)
     */
    @Benchmark
    public MeasurementComparison sdkVerify() {
        VerifiedGpuReport v = verifier.verify(report, chain, NONCE, AT);
        MeasurementComparison c = MeasurementComparator.compare(v.report(), driverRim, vbiosRim);
        c.requireMatch(false);
        return c;
    }

    /**
     * Parsing only.
     *
     * @return the parsed report (no signature or measurement check)
     */
    @Benchmark
    public GpuAttestationReport sdkParse() {
        return GpuAttestationReport.parse(report);
    }

    /**
     * Baseline: one raw BC P-384 verification of the signed bytes.
     *
     * @return true if the ECDSA signature over the SHA-384 of the signed bytes verifies (always, with the vectors)
     */
    @Benchmark
    public boolean baselineBcEcdsa() {
        SHA384Digest d = new SHA384Digest();
        d.update(report, 0, signedLength);
        byte[] h = new byte[48];
        d.doFinal(h, 0);
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, bcKey);
        return signer.verifySignature(h, r, s);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = GpuVerifyBenchmark.class.getResourceAsStream("/vectors/gpu/" + name)) {
            if (in == null) {
                throw new IOException("missing " + name);
            }
            return in.readAllBytes();
        }
    }
}
