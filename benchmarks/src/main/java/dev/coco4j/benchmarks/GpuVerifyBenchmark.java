package dev.coco4j.benchmarks;

import dev.coco4j.gpu.abi.GpuAttestationReport;
import dev.coco4j.gpu.verify.DeviceCertificateChain;
import dev.coco4j.gpu.verify.GpuReportVerifier;
import dev.coco4j.gpu.verify.VerifiedGpuReport;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
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
 * GPU report verification (parse, 5-certificate chain to the pinned root re-verified every call, FWID, nonce,
 * ECDSA P-384 signature; OCSP off) against the raw Bouncy Castle ECDSA P-384 verification of the same signed bytes,
 * and parsing alone. The chain costs four extra P-384 verifications per call, so expect sdk ≈ baseline / 5 until a
 * verified-chain cache exists.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GpuVerifyBenchmark {
    private static final byte[] NONCE = HexFormat.of().parseHex(
            "931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb");
    private static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
    private byte[] report;
    private byte[] chain;
    private GpuReportVerifier verifier;
    private ECPublicKeyParameters bcKey;
    private BigInteger r;
    private BigInteger s;
    private int signedLength;

    @Setup
    public void setUp() throws Exception {
        report = HexFormat.of().parseHex(new String(resource("hopperAttestationReport.txt"),
                java.nio.charset.StandardCharsets.US_ASCII).replaceAll("\\s", ""));
        chain = resource("hopperCertChain.txt");
        verifier = GpuReportVerifier.builder().offline(true).build();
        verifier.verify(report, chain, NONCE, AT);
        ECPublicKey key = (ECPublicKey) DeviceCertificateChain.parse(chain).leaf().getPublicKey();
        X9ECParameters x9 = ECNamedCurveTable.getByName("P-384");
        bcKey = new ECPublicKeyParameters(x9.getCurve().createPoint(key.getW().getAffineX(), key.getW().getAffineY()),
                new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH()));
        GpuAttestationReport parsed = GpuAttestationReport.parse(report);
        byte[] sig = parsed.signature();
        r = new BigInteger(1, Arrays.copyOfRange(sig, 0, 48));
        s = new BigInteger(1, Arrays.copyOfRange(sig, 48, 96));
        signedLength = parsed.signedLength();
    }

    /** The SDK: full report verification. */
    @Benchmark
    public VerifiedGpuReport sdkVerify() {
        return verifier.verify(report, chain, NONCE, AT);
    }

    /** Parsing only. */
    @Benchmark
    public GpuAttestationReport sdkParse() {
        return GpuAttestationReport.parse(report);
    }

    /** Baseline: one raw BC P-384 verification of the signed bytes. */
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
