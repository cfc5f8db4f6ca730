package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.cli.demo.EndToEndDemo;
import dev.coco4j.cli.demo.SyntheticFhir;
import dev.coco4j.core.Reason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code coco4j demo}, in-process: the whole flow, its refusal step, and what it must never print. */
class DemoCommandTest {

    @Test
    void demoSucceedsPrintsEveryStepAndRefusesTheTamperedWorkload() {
        Cli.Result r = Cli.run("demo", "--patients", "10");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.hasStackTrace()).isFalse();
        for (int i = 1; i <= EndToEndDemo.STEPS; i++) {
            assertThat(r.out()).containsPattern("(?m)^\\[" + i + "/" + EndToEndDemo.STEPS + "\\] [^\\n]+ \\(\\d+ ms\\)$");
        }
        assertThat(r.out()).doesNotContain("FAILED", "UNEXPECTED")
                .contains("released: 32 bytes from default/phi/kek")
                .contains("40 records decrypted")
                .contains("blind-index lookup of MRN-****")
                .contains("composite SEV-SNP + GPU evidence")
                .containsPattern("submods \\[cpu0, gpu0\\], gpu0: driver 999\\.01\\.01, measurements success \\(\\d+ "
                        + "compared with the RIMs\\)")
                .containsPattern("(?s)\\[9/9\\] Tampered workload.*refused: KEY_RELEASE_DENIED: .*"
                        + "KBS policy: MEASUREMENT_MISMATCH: .*no key released")
                .endsWith(System.lineSeparator());
        // No ANSI escapes (quiet-friendly), and no key-sized hex or long base64 runs (the KEK, tokens).
        assertThat(r.out()).doesNotContain("\u001b");
        assertThat(Pattern.compile("[0-9a-fA-F]{32,}|[A-Za-z0-9_-]{40,}").matcher(r.out()).find()).isFalse();
    }

    @Test
    void outcomeReportsTheRefusalAndNoKeyForTheTamperedWorkload() {
        StringWriter text = new StringWriter();
        EndToEndDemo.Outcome o = new EndToEndDemo(new PrintWriter(text, true), 3).run();
        assertThat(o.refusalReason()).isEqualTo(Reason.KEY_RELEASE_DENIED);
        assertThat(o.refusedWorkloadGotKey()).isFalse();
        assertThat(o.recordsDecrypted()).isEqualTo(12);
        assertThat(o.fieldsDecrypted()).isEqualTo(3 * 5 + 9);
    }

    @Test
    void tdxCompositeDemoReleasesAndRefusesTheTamperedMrtd() {
        long start = System.nanoTime();
        Cli.Result r = Cli.run("demo", "--tee", "tdx", "--patients", "5");
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(r.hasStackTrace()).isFalse();
        assertThat(r.out()).doesNotContain("FAILED", "UNEXPECTED")
                .contains("simulated TDX CPU + simulated NVIDIA H100 GPU")
                .contains("composite TDX + GPU evidence")
                .contains("submods [cpu0, gpu0]")
                .contains("20 records decrypted")
                .containsPattern("(?s)\\[9/9\\] Tampered workload: different MRTD.*refused: KEY_RELEASE_DENIED: .*"
                        + "KBS policy: MEASUREMENT_MISMATCH: .*requires MRTD.*no key released");
        assertThat(Pattern.compile("[0-9a-fA-F]{32,}|[A-Za-z0-9_-]{40,}").matcher(r.out()).find()).isFalse();
        assertThat(ms).as("the demo must finish in under 20 s").isLessThan(20_000);
    }

    @Test
    void usageErrors() {
        assertThat(Cli.run("demo", "--tee", "sgx").code()).isEqualTo(2);
        assertThat(Cli.run("demo", "--patients", "0").firstErrLine()).startsWith("CONFIGURATION: --patients");
    }

    @Test
    void syntheticBundleIsDeterministicAndShaped() {
        JsonNode a = SyntheticFhir.bundle(4, 7);
        assertThat(a).isEqualTo(SyntheticFhir.bundle(4, 7));
        assertThat(a.path("entry").size()).isEqualTo(16);
        JsonNode p = a.path("entry").path(0).path("resource");
        assertThat(p.path("resourceType").asText()).isEqualTo("Patient");
        assertThat(p.path("identifier").path(0).path("system").asText()).isEqualTo(SyntheticFhir.MRN_SYSTEM);
        assertThat(p.path("telecom").path(0).path("value").asText()).startsWith("555-01");
        assertThat(a.path("entry").path(1).path("resource").path("subject").path("reference").asText())
                .isEqualTo("Patient/" + p.path("id").asText());
    }
}
