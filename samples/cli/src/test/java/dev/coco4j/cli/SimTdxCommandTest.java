package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimTdxCommandTest {
    @Test
    void writesTheQuoteRootAndCollateralFiles(@TempDir Path dir) {
        Cli.Result r = Cli.run("sim", "tdx", "--report-data", "abcd", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("simulated").contains("--root");
        for (String f : List.of("quote.dat", "root.pem", "tcb_info.json", "qe_identity.json",
                "tcb_info_issuer_chain.pem", "qe_identity_issuer_chain.pem", "pck_crl.der",
                "pck_crl_issuer_chain.pem", "root_ca_crl.der")) {
            assertThat(dir.resolve(f)).isRegularFile();
        }
        Cli.Result show = Cli.run("show", "tdx", dir.resolve("quote.dat").toString(), "--json");
        assertThat(show.json().get("report_data").asText()).isEqualTo("abcd" + "00".repeat(62));
    }

    @Test
    void badReportDataIsAUsageError(@TempDir Path dir) {
        Cli.Result r = Cli.run("sim", "tdx", "--report-data", "xyz", "--out", dir.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("CONFIGURATION: ");
    }
}
