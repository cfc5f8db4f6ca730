package dev.coco4j.sev.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.sev.Vectors;
import dev.coco4j.sev.abi.SnpCertTable;
import dev.coco4j.sev.abi.SnpReport;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties over real vectors: every single-bit change in the signed bytes or in R/S is refused; random, truncated
 * and oversized inputs give typed MALFORMED_EVIDENCE/UNSUPPORTED_VERSION errors and never another exception.
 */
class SnpVerificationProperties {
    static final String[][] VECTORS = {
        {"turin/mstav_turin_v5_report.bin", "turin/mstav_turin_v5_vcek.pem"},
        {"genoa/oak_genoa_v5_report.bin", "genoa/oak_genoa_v5_vcek.der"},
        {"milan/mstav_milan_v3_report.bin", "milan/mstav_milan_v3_vcek.pem"},
        {"milan/gsg_milan_v2_report.bin", "milan/gsg_milan_v2_vcek.der"},
    };
    static final byte[][] REPORTS = Arrays.stream(VECTORS).map(v -> Vectors.report(v[0])).toArray(byte[][]::new);
    static final X509Certificate[] VEKS = Arrays.stream(VECTORS)
            .map(v -> Certificates.parse(Vectors.bytes(v[1]))).toArray(X509Certificate[]::new);
    static final SnpReportVerifier VERIFIER = SnpReportVerifier.builder()
            .clock(Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC)).offline(true).build();

    @Property(tries = 400)
    void anySingleBitFlipInSignedBytesOrRsIsRefused(@ForAll @IntRange(min = 0, max = 3) int vector,
                                                    @ForAll("signedOrRsBit") int bit) {
        byte[] tampered = REPORTS[vector].clone();
        tampered[bit / 8] ^= (byte) (1 << (bit % 8));
        try {
            VERIFIER.verify(tampered, SnpCollateral.ofEndorsementKey(VEKS[vector]));
            throw new AssertionError("a report with bit " + bit + " flipped was accepted");
        } catch (CocoException e) {
            assertThat(e).isNotNull();
        }
    }

    @Provide
    Arbitrary<Integer> signedOrRsBit() {
        // [0, 0x2A0) signed bytes and the two 72-byte R and S fields that follow
        return Arbitraries.integers().between(0, (SnpReport.SIGNATURE_OFFSET + 144) * 8 - 1);
    }

    @Property(tries = 50)
    void flipsInTheUnusedSignatureTailAreRefusedToo(@ForAll @IntRange(min = 0x330 * 8, max = 0x4A0 * 8 - 1) int bit) {
        byte[] tampered = REPORTS[0].clone();
        tampered[bit / 8] ^= (byte) (1 << (bit % 8));
        try {
            VERIFIER.verify(tampered, SnpCollateral.ofEndorsementKey(VEKS[0]));
            throw new AssertionError("accepted");
        } catch (AttestationException e) {
            assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
        }
    }

    @Property(tries = 300)
    void randomInputOfAnyLengthIsATypedParseError(@ForAll @Size(max = 4096) byte[] input) {
        try {
            SnpReport.parse(input);
            assertThat(input).hasSize(SnpReport.SIZE);
        } catch (AttestationException e) {
            assertThat(e.reason()).isIn(Reason.MALFORMED_EVIDENCE, Reason.UNSUPPORTED_VERSION);
        }
    }

    @Property(tries = 200)
    void randomReportSizedInputNeverVerifies(@ForAll @Size(value = SnpReport.SIZE) byte[] input) {
        try {
            VERIFIER.verify(input, SnpCollateral.ofEndorsementKey(VEKS[0]));
            throw new AssertionError("random bytes verified");
        } catch (CocoException e) {
            assertThat(e.reason()).isNotNull();
        }
    }

    @Property(tries = 200)
    void truncatedAndOversizedReportsAreMalformed(@ForAll @IntRange(min = 0, max = 3) int vector,
                                                  @ForAll @IntRange(min = -1184, max = 4096) int delta) {
        if (delta == 0) {
            return;
        }
        byte[] r = Arrays.copyOf(REPORTS[vector], SnpReport.SIZE + delta);
        try {
            SnpReport.parse(r);
            throw new AssertionError("accepted " + r.length + " bytes");
        } catch (AttestationException e) {
            assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
        }
    }

    @Property(tries = 300)
    void randomCertTablesAreTypedErrors(@ForAll @Size(max = 2048) byte[] input) {
        try {
            SnpCertTable t = SnpCertTable.parse(input);
            assertThat(t.entries().size()).isLessThanOrEqualTo(SnpCertTable.MAX_ENTRIES);
        } catch (AttestationException e) {
            assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
        }
    }

    @Property(tries = 100)
    void certTablesRoundTrip(@ForAll @Size(max = 5) java.util.List<@Size(max = 300) byte[]> blobs) {
        java.util.List<SnpCertTable.Entry> entries = new java.util.ArrayList<>();
        for (int i = 0; i < blobs.size(); i++) {
            entries.add(new SnpCertTable.Entry(new java.util.UUID(i + 1, 7), blobs.get(i)));
        }
        SnpCertTable t = new SnpCertTable(entries);
        assertThat(SnpCertTable.parse(t.toBytes())).isEqualTo(t);
    }
}
