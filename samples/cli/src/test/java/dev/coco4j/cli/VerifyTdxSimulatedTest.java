package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.ReportData;
import dev.coco4j.tdx.abi.TdReportBody;
import dev.coco4j.tdx.sim.SimulatedTdxPlatform;
import dev.coco4j.tdx.verify.TdxTcbStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify tdx} policy paths that the real vectors do not cover, with simulated platforms. */
class VerifyTdxSimulatedTest {
    static Cli.Result verify(SimulatedTdxPlatform sim, Path dir, String... more) throws IOException {
        sim.writeTo(dir, ReportData.zero());
        List<String> a = new java.util.ArrayList<>(List.of("verify", "tdx", "--quote",
                dir.resolve("quote.dat").toString(), "--collateral", dir.toString(), "--root",
                dir.resolve("root.pem").toString(), "--offline"));
        a.addAll(List.of(more));
        return Cli.run(a.toArray(String[]::new));
    }

    @Test
    void swHardeningNeededIsAcceptedWithAWarningNamingTheAdvisories(@TempDir Path dir) throws IOException {
        SimulatedTdxPlatform sim = SimulatedTdxPlatform.builder()
                .tcbStatus(TdxTcbStatus.SW_HARDENING_NEEDED, List.of("INTEL-SA-00837", "INTEL-SA-00960")).build();
        Cli.Result r = verify(sim, dir);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("warning: TCB status SWHardeningNeeded").contains("INTEL-SA-00837")
                .contains("INTEL-SA-00960");
        Cli.Result j = verify(sim, dir, "--json");
        assertThat(j.json().get("warnings").get(0).asText()).contains("SWHardeningNeeded");
        assertThat(j.json().get("claims").get("advisory_ids").get(0).asText()).isEqualTo("INTEL-SA-00837");
        Cli.Result narrowed = verify(sim, dir, "--accept-tcb", "UpToDate");
        assertThat(narrowed.code()).isEqualTo(1);
        assertThat(narrowed.firstErrLine()).startsWith("TCB_STATUS_REJECTED: ");
    }

    @Test
    void outOfDateIsRefusedUnlessAccepted(@TempDir Path dir) throws IOException {
        SimulatedTdxPlatform sim = SimulatedTdxPlatform.builder()
                .tcbStatus(TdxTcbStatus.OUT_OF_DATE, List.of("INTEL-SA-01036")).build();
        Cli.Result r = verify(sim, dir);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.firstErrLine()).startsWith("TCB_STATUS_REJECTED: ");
        assertThat(verify(sim, dir, "--accept-tcb", "UpToDate,OutOfDate").code()).isZero();
    }

    @Test
    void debugTdNeedsAllowDebug(@TempDir Path dir) throws IOException {
        SimulatedTdxPlatform sim = SimulatedTdxPlatform.builder().tdAttributes(TdReportBody.ATTR_DEBUG).build();
        Cli.Result r = verify(sim, dir);
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.firstErrLine()).startsWith("POLICY_VIOLATION: ");
        assertThat(verify(sim, dir, "--allow-debug").code()).isZero();
    }

    @Test
    void revokedPckIsNeverAccepted(@TempDir Path dir) throws IOException {
        SimulatedTdxPlatform sim = SimulatedTdxPlatform.builder().revokePck(true).build();
        Cli.Result r = verify(sim, dir, "--accept-tcb", "UpToDate,OutOfDate");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.firstErrLine()).startsWith("REVOKED: ");
    }
}
