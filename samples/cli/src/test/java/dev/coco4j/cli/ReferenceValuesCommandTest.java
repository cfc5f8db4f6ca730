package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.ReportData;
import dev.coco4j.core.reference.ReferenceValues;
import dev.coco4j.core.reference.WorkloadReference;
import dev.coco4j.kbs.InitData;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reference-values} on the real SNP, TDX and GPU vectors of the SDK modules and on the SNP simulator. */
class ReferenceValuesCommandTest {
    static final Path SEV = Path.of("../../sdk-sev/src/test/resources/vectors/sev");
    static final HexFormat HEX = HexFormat.of();

    static WorkloadReference parsed(Cli.Result r, String workload) {
        assertThat(r.code()).as(r.err()).isZero();
        return ReferenceValues.parse(r.out().getBytes(StandardCharsets.UTF_8)).workload(workload);
    }

    @Test
    void snpMeasurementOfTheRealGenoaReport() throws IOException {
        Path report = SEV.resolve("genoa/oak_genoa_v5_report.bin");
        SnpReport r = SnpReport.parse(Files.readAllBytes(report));
        WorkloadReference w = parsed(Cli.run("reference-values", "--tee", "snp", "--from-evidence", report.toString(),
                "--workload", "oak"), "oak");
        assertThat(w.requireSnp().measurement()).isEqualTo(HEX.formatHex(r.measurement()));
        assertThat(w.initDataDigest()).isEmpty();
        assertThat(w.tdx()).isEmpty();
    }

    @Test
    void tdxRegistersOfTheRealQuote() {
        WorkloadReference w = parsed(Cli.run("reference-values", "--tee", "tdx", "--from-evidence",
                VerifyTdxCommandTest.A_QUOTE), "workload");
        assertThat(w.requireTdx().mrTd()).isEqualTo(VerifyTdxCommandTest.A_MRTD);
        assertThat(w.requireTdx().rtmrs()).containsOnlyKeys(0, 1, 2);
    }

    @Test
    void gpuVersionsOfTheReal2023Report() {
        WorkloadReference w = parsed(Cli.run("reference-values", "--tee", "gpu", "--from-evidence",
                GpuCommandsTest.REPORT_2023, "--json"), "workload");
        assertThat(w.requireGpu().driverVersions()).containsExactly("545.00");
        assertThat(w.requireGpu().vbiosVersions()).containsExactly("96.00.5E.00.01");
    }

    @Test
    void aSimulatedLaunchWithInitDataRecordsTheDigestAndRefusesOtherInitData(@TempDir Path dir) throws IOException {
        byte[] toml = "version = \"0.1.0\"\nalgorithm = \"sha384\"\n[data]\n\"aa.toml\" = '''\n'''\n"
                .getBytes(StandardCharsets.UTF_8);
        Path init = Files.write(dir.resolve("init-data.toml"), toml);
        InitData initData = InitData.parse(toml);
        SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().hostData(initData.snpHostData()).build();
        Path report = Files.write(dir.resolve("report.bin"), sim.report(ReportData.zero()).toBytes());

        WorkloadReference w = parsed(Cli.run("reference-values", "--tee", "snp", "--from-evidence", report.toString(),
                "--init-data", init.toString(), "--workload", "app"), "app");
        assertThat(w.initDataDigest()).contains(HEX.formatHex(initData.digest()));
        assertThat(w.snpHostData()).contains(HEX.formatHex(initData.snpHostData()));

        Path other = Files.writeString(dir.resolve("other.toml"), "algorithm = \"sha384\"\n[data]\n");
        Cli.Result refused = Cli.run("reference-values", "--tee", "snp", "--from-evidence", report.toString(),
                "--init-data", other.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.firstErrLine()).startsWith("MEASUREMENT_MISMATCH: ");
    }

    @Test
    void malformedEvidenceOrAnUnknownTeeIsAUsageError(@TempDir Path dir) throws IOException {
        Path junk = Files.write(dir.resolve("junk.bin"), new byte[100]);
        Cli.Result r = Cli.run("reference-values", "--tee", "snp", "--from-evidence", junk.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("MALFORMED_EVIDENCE: ");
        assertThat(r.hasStackTrace()).isFalse();
        assertThat(Cli.run("reference-values", "--tee", "sgx", "--from-evidence", junk.toString()).code())
                .isEqualTo(2);
    }
}
