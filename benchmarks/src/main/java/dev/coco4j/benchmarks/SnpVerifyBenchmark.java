package dev.coco4j.benchmarks;

import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.verify.SnpCollateral;
import dev.coco4j.sev.verify.SnpReportVerifier;
import dev.coco4j.sev.verify.VerifiedSnpReport;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
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
 * Full SEV-SNP report verification (parse, signer kind, product, cached VCEK chain re-checked against the clock, chip
 * id, TCB binding, ECDSA P-384 signature) against the raw Bouncy Castle ECDSA P-384 verification of the same 672
 * signed bytes, and the JDK's SunEC for reference. Target: sdk / baseline ≥ 0.9.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SnpVerifyBenchmark {
    /**
     * Creates the benchmark state; JMH instantiates it once per trial ({@code Scope.Benchmark}) and calls
     * {@link #setUp()}.
     */
    public SnpVerifyBenchmark() {
    }

    private byte[] report;
    private SnpCollateral collateral;
    private SnpReportVerifier verifier;
    private ECPublicKeyParameters bcKey;
    private BigInteger r;
    private BigInteger s;
    private ECPublicKey jdkKey;
    private byte[] derSignature;

    /**
     * Loads the Genoa report and its VCEK, verifies once offline at a fixed instant (so the VCEK chain is cached), and
     * prepares the VCEK key and the big-endian (r, s) for the baselines.
     *
     * @throws Exception if a vector is missing or does not verify ({@link IllegalStateException} when a baseline
     *     rejects it): the run is then invalid
     */
    @Setup
    public void setUp() throws Exception {
        report = resource("oak_genoa_v5_report.bin");
        X509Certificate vcek = Certificates.parse(resource("oak_genoa_v5_vcek.der"));
        collateral = SnpCollateral.ofEndorsementKey(vcek);
        verifier = SnpReportVerifier.builder()
                .clock(Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC)).offline(true).build();
        verifier.verify(report, collateral); // verifies and caches the VCEK chain

        jdkKey = (ECPublicKey) vcek.getPublicKey();
        X9ECParameters x9 = ECNamedCurveTable.getByName("P-384");
        bcKey = new ECPublicKeyParameters(x9.getCurve().createPoint(jdkKey.getW().getAffineX(),
                jdkKey.getW().getAffineY()), new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH()));
        SnpReport parsed = SnpReport.parse(report);
        r = new BigInteger(1, reverse(parsed.signatureR()));
        s = new BigInteger(1, reverse(parsed.signatureS()));
        derSignature = new org.bouncycastle.asn1.DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
            new org.bouncycastle.asn1.ASN1Integer(r), new org.bouncycastle.asn1.ASN1Integer(s)}).getEncoded();
        if (!baselineBcEcdsaP384() || !baselineJdkSunEcP384()) {
            throw new IllegalStateException("baseline does not verify the vector");
        }
    }

    /**
     * The SDK: full verification of the raw report bytes with a cached chain.
     *
     * @return the verified report
     * @throws dev.coco4j.core.CocoException if the report does not verify (not expected with the vector)
     */
    @Benchmark
    public VerifiedSnpReport sdkVerifySnpReport() {
        return verifier.verify(report, collateral);
    }

    /**
     * Raw Bouncy Castle: SHA-384 over the 672 signed bytes + ECDSA P-384 verify, key and (r, s) prepared.
     *
     * @return true if the signature verifies (always, with the vector)
     */
    @Benchmark
    public boolean baselineBcEcdsaP384() {
        SHA384Digest d = new SHA384Digest();
        d.update(report, 0, SnpReport.SIGNED_LENGTH);
        byte[] h = new byte[48];
        d.doFinal(h, 0);
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, bcKey);
        return signer.verifySignature(h, r, s);
    }

    /**
     * The JDK's SunEC SHA384withECDSA over the same bytes, for reference.
     *
     * @return true if the DER-encoded signature verifies (always, with the vector)
     * @throws Exception if the JDK lacks SHA384withECDSA or rejects the key (not expected)
     */
    @Benchmark
    public boolean baselineJdkSunEcP384() throws Exception {
        Signature sig = Signature.getInstance("SHA384withECDSA");
        sig.initVerify(jdkKey);
        sig.update(report, 0, SnpReport.SIGNED_LENGTH);
        return sig.verify(derSignature);
    }

    private static byte[] reverse(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return be;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = SnpVerifyBenchmark.class.getResourceAsStream("/vectors/sev/" + name)) {
            if (in == null) {
                throw new IOException("missing benchmark vector " + name);
            }
            return in.readAllBytes();
        }
    }
}
