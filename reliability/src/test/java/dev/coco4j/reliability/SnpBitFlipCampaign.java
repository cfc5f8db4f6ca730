package dev.coco4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.internal.Hex;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.verify.SnpCollateral;
import dev.coco4j.sev.verify.SnpReportVerifier;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every single-bit flip over the signed region {@code [0, 0x2A0)} and the signature's R and S of every real SEV-SNP
 * report in {@code vectors/sev} (PROVENANCE.md: each verifies with its VEK to the pinned AMD roots) is refused with a
 * typed exception. The verifier is built once per vector, so the VEK chain is cached and the loop measures the
 * report checks. The CI form flips one bit in every fourth byte (a different byte phase and bit per vector).
 */
class SnpBitFlipCampaign {
    static final Instant VCEK_TIME = Instant.parse("2026-06-01T00:00:00Z");
    static final Instant VLEK_TIME = Instant.parse("2025-06-01T00:00:00Z");
    /** The signature's R and S (72 bytes each) follow the signed region. */
    static final int SIGNATURE_END = 0x2A0 + 144;

    record Vector(String report, String vek, Instant at) {
    }

    static final List<Vector> VECTORS = List.of(
            new Vector("milan/gsg_milan_v2_report.bin", "milan/gsg_milan_v2_vcek.der", VCEK_TIME),
            new Vector("milan/virtee_milan_v2_report.hex", "milan/virtee_milan_v2_vcek.der", VCEK_TIME),
            new Vector("milan/trustee_milan_v2_report.bin", "milan/trustee_milan_v2_vcek.der", VCEK_TIME),
            new Vector("milan/azure_milan_v2_report.bin", "milan/azure_milan_v2_vcek_chain.pem", VCEK_TIME),
            new Vector("milan/azure_milan_v3_report.bin", "milan/azure_milan_v3_vcek.pem", VCEK_TIME),
            new Vector("milan/mstav_milan_v3_report.bin", "milan/mstav_milan_v3_vcek.pem", VCEK_TIME),
            new Vector("milan/oak_milan_v3_oc_report.bin", "milan/oak_milan_v3_oc_vcek.der", VCEK_TIME),
            new Vector("milan/oak_milan_v3_rk_report.bin", "milan/oak_milan_v3_rk_vcek.der", VCEK_TIME),
            new Vector("milan/trustee_milan_v3_vlek_report.bin", "milan/trustee_milan_vlek.der", VLEK_TIME),
            new Vector("genoa/azure_genoa_v3_report.bin", "genoa/azure_genoa_v3_vcek.pem", VCEK_TIME),
            new Vector("genoa/mstav_genoa_v3_report.bin", "genoa/mstav_genoa_v3_vcek.pem", VCEK_TIME),
            new Vector("genoa/oak_genoa_v5_report.bin", "genoa/oak_genoa_v5_vcek.der", VCEK_TIME),
            new Vector("turin/mstav_turin_v5_report.bin", "turin/mstav_turin_v5_vcek.pem", VCEK_TIME),
            new Vector("turin/oak_turin_v5_report.bin", "turin/oak_turin_v5_vcek.der", VCEK_TIME));

    @Test
    void noSingleBitFlipOfAnyRealReportIsAccepted() {
        long started = System.nanoTime();
        Campaigns.Tally reasons = new Campaigns.Tally();
        List<String> accepted = new ArrayList<>();
        List<String> untyped = new ArrayList<>();
        long flips = 0;
        for (int v = 0; v < VECTORS.size(); v++) {
            Vector vec = VECTORS.get(v);
            byte[] report = Hex.rawOrHex(Campaigns.vector("sev/" + vec.report()));
            SnpCollateral collateral = SnpCollateral.ofEndorsementKey(
                    Certificates.parse(Campaigns.vector("sev/" + vec.vek())));
            SnpReportVerifier verifier = SnpReportVerifier.builder()
                    .clock(Clock.fixed(vec.at(), ZoneOffset.UTC)).offline(true).build();
            // the unmodified report verifies: the flips below start from an accepted input
            assertThat(verifier.verify(report, collateral).report().version()).isPositive();
            assertThat(SnpReport.SIGNED_LENGTH).isEqualTo(0x2A0);
            for (int i = 0; i < SIGNATURE_END; i++) {
                int[] bits;
                if (Campaigns.full()) {
                    bits = new int[] {0, 1, 2, 3, 4, 5, 6, 7};
                } else if (i % 4 == v % 4) {
                    bits = new int[] {(i / 4 + v) % 8};
                } else {
                    continue;
                }
                for (int bit : bits) {
                    byte[] m = report.clone();
                    m[i] ^= (byte) (1 << bit);
                    flips++;
                    try {
                        verifier.verify(m, collateral);
                        accepted.add(vec.report() + " byte 0x" + Integer.toHexString(i) + " bit " + bit);
                    } catch (CocoException e) {
                        reasons.add(e.reason().name());
                    } catch (RuntimeException e) {
                        untyped.add(vec.report() + " byte 0x" + Integer.toHexString(i) + " bit " + bit + ": " + e);
                    }
                }
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        Campaigns.record("SNP report bit flips", VECTORS.size() + " real reports, " + flips
                + " single-bit flips over [0,0x2A0) + R/S; accepted " + accepted.size() + ", untyped "
                + untyped.size() + "; refusals: " + reasons + " (" + ms + " ms)");
        assertThat(accepted).as("accepted flips").isEmpty();
        assertThat(untyped).as("flips that escaped as untyped exceptions").isEmpty();
        assertThat(reasons.total()).isEqualTo(flips);
    }
}
