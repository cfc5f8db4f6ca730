package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimSnpCommandTest {
    static final String NONCE = "00112233445566778899aabbccddeeff";

    @ParameterizedTest
    @ValueSource(strings = {"milan", "genoa", "turin"})
    void simulatedReportVerifiesOnlyWithItsRootsGivenExplicitly(String product, @TempDir Path dir) {
        Cli.Result sim = Cli.run("sim", "snp", "--report-data", NONCE, "--out", dir.toString(), "--product", product);
        assertThat(sim.code()).as(sim.err()).isZero();
        for (String f : new String[] {"report.bin", "vcek.der", "ask.pem", "ark.pem"}) {
            assertThat(dir.resolve(f)).isRegularFile();
        }
        String report = dir.resolve("report.bin").toString();
        String vcek = dir.resolve("vcek.der").toString();

        Cli.Result ok = Cli.run("verify", "snp", "--report", report, "--vcek", vcek, "--ask",
                dir.resolve("ask.pem").toString(), "--ark", dir.resolve("ark.pem").toString(), "--offline",
                "--report-data", NONCE, "--json");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.json().get("claims").get("product").asText()).isEqualToIgnoringCase(product);
        assertThat(ok.json().get("claims").get("report_data").asText()).startsWith(NONCE);

        Cli.Result untrusted = Cli.run("verify", "snp", "--report", report, "--vcek", vcek, "--offline");
        assertThat(untrusted.code()).isEqualTo(1);
        assertThat(untrusted.firstErrLine()).startsWith("CHAIN_INVALID: ");

        Cli.Result show = Cli.run("show", "snp", report);
        assertThat(show.code()).isZero();
        assertThat(show.out()).contains("report_data         " + NONCE);
    }

    @Test
    void badArgumentsAreUsageErrors(@TempDir Path dir) throws Exception {
        Cli.Result noOut = Cli.run("sim", "snp", "--report-data", NONCE);
        assertThat(noOut.code()).isEqualTo(2);
        assertThat(noOut.firstErrLine()).startsWith("CONFIGURATION: ");
        Cli.Result tooLong = Cli.run("sim", "snp", "--report-data", "00".repeat(65), "--out", dir.toString());
        assertThat(tooLong.code()).isEqualTo(2);
        assertThat(tooLong.firstErrLine()).startsWith("CONFIGURATION: ");
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Cli.Result notADir = Cli.run("sim", "snp", "--report-data", NONCE, "--out", file.toString());
        assertThat(notADir.code()).isEqualTo(2);
        assertThat(notADir.firstErrLine()).startsWith("CONFIGURATION: --out");
        assertThat(notADir.hasStackTrace()).isFalse();
    }
}
