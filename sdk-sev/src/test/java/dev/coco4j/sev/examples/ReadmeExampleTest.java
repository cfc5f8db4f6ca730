package dev.coco4j.sev.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.sev.Vectors;
import dev.coco4j.sev.validate.SnpPolicy;
import dev.coco4j.sev.validate.SnpPolicyValidator;
import dev.coco4j.sev.verify.SnpCollateral;
import dev.coco4j.sev.verify.SnpReportVerifier;
import dev.coco4j.sev.verify.VerifiedSnpReport;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The README's Java example, compiled and run against a real Genoa report so the README stays true. */
class ReadmeExampleTest {

    @Test
    void readmeExampleVerifiesARealReport() {
        byte[] report = Vectors.report("genoa/oak_genoa_v5_report.bin");
        var vcek = Certificates.parse(Vectors.bytes("genoa/oak_genoa_v5_vcek.der"));
        byte[] expectedMeasurement = java.util.Arrays.copyOfRange(report, 0x90, 0xC0);
        byte[] expectedNonceHash = java.util.Arrays.copyOfRange(report, 0x50, 0x90);

        // --- as in README.md (plus a fixed clock so the test does not depend on today's date) ---
        SnpReportVerifier verifier = SnpReportVerifier.builder()
                .clock(Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC)).build();
        VerifiedSnpReport verified = verifier.verify(report, SnpCollateral.ofEndorsementKey(vcek));

        SnpPolicyValidator.validate(verified, SnpPolicy.builder()
                .measurement(expectedMeasurement)
                .reportData(expectedNonceHash)
                .vmpl(0)
                .build());
        // ---
        assertThat(verified.toAttestationResult().claims()).containsEntry("product", "Genoa");
    }
}
