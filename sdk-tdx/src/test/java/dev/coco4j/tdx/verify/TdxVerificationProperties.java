package dev.coco4j.tdx.verify;

import dev.coco4j.core.CocoException;
import dev.coco4j.tdx.TdxSets;
import dev.coco4j.tdx.Vectors;
import dev.coco4j.tdx.abi.TdxQuote;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Over set A (which verifies UpToDate): any single-bit change in the signed region, the quote signature and
 * attestation key, the QE report and its signature and auth data, the PCK chain, or the TCB Info / QE Identity PCS
 * bodies is refused with a typed exception.
 */
class TdxVerificationProperties {
    static final TdxSets.Set A = TdxSets.a();
    static final TdxQuote Q = TdxQuote.parse(A.quote());
    static final TdxQuoteVerifier V = TdxQuoteVerifier.builder().build();
    static final int SIG_START = Q.signedLength() + 4;
    static final int CHAIN_START = Q.bytes().length - Q.trailingBytes() - Q.signatureData().pckChainPem().length;
    static final String X = "phala-dcap-qvl/extracted_fmspcb0c06f000000_2025-06-19/";
    static final byte[] TCB_BODY = Vectors.bytes(X + "tcbinfo_pcs_body.json");
    static final byte[] QE_BODY = Vectors.bytes(X + "qeidentity_pcs_body.json");
    static final byte[] CHAIN = Vectors.bytes(X + "tcb_signing_chain.pem");
    static final byte[] PCK_CRL = Vectors.bytes(X + "pckcrl_platform.der");
    static final byte[] PCK_CRL_CHAIN = Vectors.bytes(X + "pckcrl_issuer_chain.pem");
    static final byte[] ROOT_CRL = Vectors.bytes(X + "rootcacrl.der");

    static void refused(byte[] quote, java.util.function.Supplier<TdxCollateral> collateral, String what) {
        try {
            V.verify(TdxQuote.parse(quote), collateral.get(), A.at());
        } catch (CocoException e) {
            return;
        }
        throw new AssertionError("accepted with " + what);
    }

    static byte[] flip(byte[] b, int bit) {
        byte[] m = b.clone();
        m[bit / 8] ^= (byte) (1 << (bit % 8));
        return m;
    }

    @Property(tries = 400)
    void signedRegionBitFlips(@ForAll("signedBits") int bit) {
        refused(flip(A.quote(), bit), A::collateral, "signed-region bit " + bit);
    }

    @Provide
    Arbitrary<Integer> signedBits() {
        return Arbitraries.integers().between(0, Q.signedLength() * 8 - 1);
    }

    @Property(tries = 400)
    void signatureKeyAndQeReportBitFlips(@ForAll("qeBits") int bit) {
        refused(flip(A.quote(), bit), A::collateral, "signature-data bit " + bit);
    }

    @Provide
    Arbitrary<Integer> qeBits() {
        // quote signature, attestation key, cert type/size, QE report, QE report signature, auth data size and data
        int end = SIG_START + 134 + 384 + 64 + 2 + 32;
        return Arbitraries.integers().between(SIG_START * 8, end * 8 - 1);
    }

    @Property(tries = 400)
    void pckChainBitFlips(@ForAll("chainBits") int bit) {
        refused(flip(A.quote(), bit), A::collateral, "PCK chain bit " + bit);
    }

    @Provide
    Arbitrary<Integer> chainBits() {
        int end = Q.bytes().length - Q.trailingBytes();
        return Arbitraries.integers().between((CHAIN_START - 6) * 8, end * 8 - 1);
    }

    @Property(tries = 300)
    void tcbInfoBodyBitFlips(@ForAll("tcbBits") int bit) {
        refused(A.quote(), () -> TdxCollateral.fromPcs(flip(TCB_BODY, bit), CHAIN, QE_BODY, CHAIN, PCK_CRL,
                PCK_CRL_CHAIN, ROOT_CRL), "TCB Info bit " + bit);
    }

    @Provide
    Arbitrary<Integer> tcbBits() {
        return Arbitraries.integers().between(0, TCB_BODY.length * 8 - 1);
    }

    @Property(tries = 300)
    void qeIdentityBodyBitFlips(@ForAll("qeIdBits") int bit) {
        refused(A.quote(), () -> TdxCollateral.fromPcs(TCB_BODY, CHAIN, flip(QE_BODY, bit), CHAIN, PCK_CRL,
                PCK_CRL_CHAIN, ROOT_CRL), "QE Identity bit " + bit);
    }

    @Provide
    Arbitrary<Integer> qeIdBits() {
        return Arbitraries.integers().between(0, QE_BODY.length * 8 - 1);
    }

    @Property(tries = 200)
    void crlBitFlips(@ForAll("crlBits") int bit) {
        refused(A.quote(), () -> TdxCollateral.fromPcs(TCB_BODY, CHAIN, QE_BODY, CHAIN, flip(PCK_CRL, bit),
                PCK_CRL_CHAIN, ROOT_CRL), "PCK CRL bit " + bit);
    }

    @Provide
    Arbitrary<Integer> crlBits() {
        return Arbitraries.integers().between(0, PCK_CRL.length * 8 - 1);
    }

    @Property(tries = 50)
    void anyInstantOutsideTheWindowIsRefused(@ForAll("outside") long epochSecond) {
        try {
            V.verify(Q, A.collateral(), Instant.ofEpochSecond(epochSecond));
            throw new AssertionError("accepted at " + Instant.ofEpochSecond(epochSecond));
        } catch (CocoException e) {
            org.assertj.core.api.Assertions.assertThat(e.reason()).isIn(dev.coco4j.core.Reason.COLLATERAL_EXPIRED,
                    dev.coco4j.core.Reason.CERT_EXPIRED);
        }
    }

    @Provide
    Arbitrary<Long> outside() {
        long from = Instant.parse("2025-06-19T10:32:27Z").getEpochSecond();
        long to = Instant.parse("2025-07-19T10:00:35Z").getEpochSecond();
        return Arbitraries.oneOf(Arbitraries.longs().between(0, from - 1),
                Arbitraries.longs().between(to + 1, Instant.parse("2100-01-01T00:00:00Z").getEpochSecond()));
    }
}
