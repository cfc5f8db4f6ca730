package dev.coco4j.gpu.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.gpu.Vectors;
import dev.coco4j.gpu.abi.GpuAttestationReport;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class GpuVerificationProperties {
    static final byte[] REPORT = Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt");
    static final byte[] CHAIN = Vectors.bytes("nvtrust-lgv-samples/hopperCertChain.txt");
    static final int SIGNED = REPORT.length - 96;
    static final GpuReportVerifier VERIFIER = GpuReportVerifier.builder().offline(true).build();
    static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");
    static final Set<Reason> TYPED = EnumSet.of(Reason.MALFORMED_EVIDENCE, Reason.UNSUPPORTED_VERSION,
            Reason.SIGNATURE_INVALID, Reason.NONCE_MISMATCH, Reason.CHAIN_INVALID);

    @Provide
    Arbitrary<Integer> signedBit() {
        return Arbitraries.integers().between(0, SIGNED * 8 - 1);
    }

    @Property(tries = 400)
    void anySingleBitFlipInTheSignedBytesIsRejected(@ForAll("signedBit") int bit) {
        byte[] m = REPORT.clone();
        m[bit / 8] ^= (byte) (1 << (bit % 8));
        rejected(m, Vectors.NONCE_931D);
    }

    @Property(tries = 200)
    void anySingleBitFlipInTheSignatureIsRejected(@ForAll @IntRange(min = 0, max = 767) int bit) {
        byte[] m = REPORT.clone();
        m[SIGNED + bit / 8] ^= (byte) (1 << (bit % 8));
        rejected(m, Vectors.NONCE_931D);
    }

    @Property(tries = 300)
    void randomBytesGiveOnlyTypedErrors(@ForAll @Size(max = 5000) byte[] data) {
        rejected(data, Vectors.NONCE_931D);
    }

    @Property(tries = 300)
    void truncationsGiveOnlyTypedErrors(@ForAll @IntRange(min = 0, max = 4116) int length) {
        rejected(Arrays.copyOf(REPORT, length), Vectors.NONCE_931D);
    }

    @Property(tries = 200)
    void parsingRandomPrefixedReportsNeverThrowsUntyped(@ForAll @Size(min = 37, max = 300) byte[] tail) {
        byte[] m = Arrays.copyOf(REPORT, 37 + tail.length);
        System.arraycopy(tail, 0, m, 37, tail.length);
        try {
            GpuAttestationReport.parse(m);
        } catch (AttestationException e) {
            assertThat(e.reason()).isIn(Reason.MALFORMED_EVIDENCE, Reason.UNSUPPORTED_VERSION);
        }
    }

    private static void rejected(byte[] report, byte[] nonce) {
        try {
            VERIFIER.verify(report, CHAIN, nonce, AT);
        } catch (AttestationException e) {
            assertThat(e.reason()).isIn(TYPED);
            return;
        }
        throw new AssertionError("a modified report verified");
    }
}
