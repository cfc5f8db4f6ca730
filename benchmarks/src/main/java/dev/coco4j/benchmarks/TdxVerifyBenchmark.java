package dev.coco4j.benchmarks;

import dev.coco4j.tdx.abi.QuoteSignatureData;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.verify.TdxCollateral;
import dev.coco4j.tdx.verify.TdxQuoteVerifier;
import dev.coco4j.tdx.verify.VerifiedTdxQuote;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
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
 * Full TDX DCAP quote verification (parse, PCK chain and collateral signatures remembered by content hash, every
 * validity window, CRL window and revocation re-checked, QE report signature, QE report data binding, QE identity,
 * quote signature, TCB level matching) against the floor of that work done raw with Bouncy Castle: two ECDSA P-256
 * verifications (QE report by the PCK key, signed region by the attestation key). Real set A vector at a fixed
 * instant inside its collateral window.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TdxVerifyBenchmark {
    /**
     * Creates the benchmark state; JMH instantiates it once per trial ({@code Scope.Benchmark}) and calls
     * {@link #setUp()}.
     */
    public TdxVerifyBenchmark() {
    }

    private static final Instant AT = Instant.parse("2025-06-20T00:00:00Z");

    private byte[] quote;
    private TdxCollateral collateral;
    private TdxQuoteVerifier verifier;
    private byte[] qeReport;
    private byte[] signedRegion;
    private ECPublicKeyParameters pckKey;
    private ECPublicKeyParameters attKey;
    private BigInteger qeR;
    private BigInteger qeS;
    private BigInteger quoteR;
    private BigInteger quoteS;

    /**
     * Loads the v4 quote and its collateral bundle, verifies once at a fixed instant (so the chain and collateral
     * signatures are remembered), and prepares the PCK and attestation keys and signatures for the baseline.
     *
     * @throws Exception if a vector is missing or does not verify ({@link IllegalStateException} when the baseline
     *     rejects it): the run is then invalid
     */
    @Setup
    public void setUp() throws Exception {
        quote = resource("quote_v4_fmspcb0c06f000000_uptodate.dat");
        collateral = TdxCollateral.fromBundleJson(resource("collateral_fmspcb0c06f000000_2025-06-19.json"));
        verifier = TdxQuoteVerifier.builder().build();
        verifier.verify(TdxQuote.parse(quote), collateral, AT); // verifies and remembers chain and collateral

        TdxQuote q = TdxQuote.parse(quote);
        QuoteSignatureData sd = q.signatureData();
        qeReport = sd.qeReport().raw();
        signedRegion = q.signedRegion();
        X9ECParameters x9 = ECNamedCurveTable.getByName("P-256");
        ECDomainParameters domain = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
        X509Certificate leaf = dev.coco4j.core.crypto.Certificates.parseAll(sd.pckChainPem()).getFirst();
        ECPublicKey pk = (ECPublicKey) leaf.getPublicKey();
        pckKey = new ECPublicKeyParameters(x9.getCurve().createPoint(pk.getW().getAffineX(), pk.getW().getAffineY()),
                domain);
        byte[] ak = sd.attestationKey();
        attKey = new ECPublicKeyParameters(x9.getCurve().createPoint(new BigInteger(1, Arrays.copyOf(ak, 32)),
                new BigInteger(1, Arrays.copyOfRange(ak, 32, 64))), domain);
        byte[] qs = sd.qeReportSignature();
        qeR = new BigInteger(1, Arrays.copyOf(qs, 32));
        qeS = new BigInteger(1, Arrays.copyOfRange(qs, 32, 64));
        byte[] s = sd.quoteSignature();
        quoteR = new BigInteger(1, Arrays.copyOf(s, 32));
        quoteS = new BigInteger(1, Arrays.copyOfRange(s, 32, 64));
        if (!baselineTwoBcEcdsaP256()) {
            throw new IllegalStateException("baseline does not verify the vector");
        }
    }

    /**
     * The SDK: full verification of the raw quote bytes with chain and collateral signatures remembered.
     *
     * @return the verified quote
     * @throws dev.coco4j.core.CocoException if the quote does not verify (not expected with the vector)
     */
    @Benchmark
    public VerifiedTdxQuote sdkVerifyTdxQuote() {
        return verifier.verify(TdxQuote.parse(quote), collateral, AT);
    }

    /**
     * Raw Bouncy Castle: SHA-256 + ECDSA P-256 over the QE report and over the signed region, keys prepared.
     *
     * @return true if both signatures verify (always, with the vector); both are checked even if the first fails
     */
    @Benchmark
    public boolean baselineTwoBcEcdsaP256() {
        return verify(pckKey, qeReport, qeR, qeS) & verify(attKey, signedRegion, quoteR, quoteS);
    }

    private static boolean verify(ECPublicKeyParameters key, byte[] message, BigInteger r, BigInteger s) {
        SHA256Digest d = new SHA256Digest();
        d.update(message, 0, message.length);
        byte[] h = new byte[32];
        d.doFinal(h, 0);
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, key);
        return signer.verifySignature(h, r, s);
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = TdxVerifyBenchmark.class.getResourceAsStream("/vectors/tdx/" + name)) {
            if (in == null) {
                throw new IOException("missing vector " + name);
            }
            return in.readAllBytes();
        }
    }
}
