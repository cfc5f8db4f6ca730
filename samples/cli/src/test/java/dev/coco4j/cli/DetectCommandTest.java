package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.core.spi.Attesters;
import dev.coco4j.core.spi.DetectionReport;
import dev.coco4j.core.spi.DetectionReport.Mechanism;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code coco4j detect}: on this machine, and the rendering of a report that found a TEE and a GPU. */
class DetectCommandTest {
    /** Whether this build host has a usable CPU TEE interface (then the "nothing found" tests do not apply). */
    static final boolean HAS_TEE = Attesters.detectionReport().found();

    @Test
    void withoutATeeTheTableListsEveryProbeAndTheCommandExitsTwo() {
        assumeThat(HAS_TEE).as("this machine has a TEE interface").isFalse();
        Cli.Result r = Cli.run("detect");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("CONFIGURATION: no TEE interface found; probed: ")
                .contains("snp via device-node /dev/sev-guest: not found")
                .contains("tdx via device-node /dev/tdx_guest: not found");
        assertThat(r.hasStackTrace()).isFalse();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).startsWith("TEE").contains("MECHANISM").contains("TARGET").contains("FOUND")
                .contains("DETAIL");
        // one row per probe, each with its reason
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("snp ").contains("configfs-tsm")
                .contains("/sys/kernel/config/tsm/report").contains(" no "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("snp ").contains("device-node")
                .contains("/dev/sev-guest").contains(" no "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("tdx ").contains("device-node")
                .contains("/dev/tdx_guest").contains(" no "));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("az-snp-vtpm ").contains("/dev/tpmrm0"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("az-tdx-vtpm ").contains("/dev/tpmrm0"));
        assertThat(lines).anySatisfy(l -> assertThat(l).startsWith("gpu ").contains("nvml"));
        assertThat(lines).noneSatisfy(l -> assertThat(l).startsWith("sample"));
        assertThat(lines).contains("selected: none (no CPU TEE interface found)");
        // every row but the header carries a non-empty detail after the FOUND column
        DetectionReport report = Attesters.detectionReport();
        assertThat(lines.stream().filter(l -> l.contains(" no ") || l.contains(" yes ")).count())
                .isEqualTo(report.probes().size());
        for (DetectionReport.Probe p : report.probes()) {
            assertThat(p.detail()).isNotBlank();
            assertThat(r.out()).contains(Failures.oneLine(p.detail()));
        }
    }

    @Test
    void jsonListsTheSameProbesAndParses() {
        assumeThat(HAS_TEE).as("this machine has a TEE interface").isFalse();
        Cli.Result r = Cli.run("detect", "--json");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("CONFIGURATION: no TEE interface found");
        JsonNode j = r.json();
        assertThat(j.get("found").asBoolean()).isFalse();
        assertThat(j.get("selected").isNull()).isTrue();
        assertThat(j.get("gpus").isArray()).isTrue();
        List<String> tees = new ArrayList<>();
        for (JsonNode p : j.get("probes")) {
            tees.add(p.get("tee").asText());
            assertThat(p.get("found").asBoolean()).isFalse();
            assertThat(p.get("mechanism").asText()).isIn("configfs-tsm", "device-node", "nvml", "other");
            assertThat(p.get("target").asText()).isNotBlank();
            assertThat(p.get("detail").asText()).isNotBlank();
        }
        assertThat(tees).contains("snp", "tdx", "az-snp-vtpm", "az-tdx-vtpm", "gpu").doesNotContain("sample");
        assertThat(tees).hasSize(Attesters.detectionReport().probes().size());
    }

    @Test
    void exitStatusFollowsWhatDetectionFound() {
        Cli.Result r = Cli.run("detect");
        assertThat(r.code()).as(r.err()).isEqualTo(HAS_TEE ? 0 : 2);
        assertThat(r.hasStackTrace()).isFalse();
    }

    /** A stand-in attester with fixed probes (no device is touched). */
    record Fixed(TeeType tee, List<DetectionReport.Probe> probes) implements Attester {
        @Override
        public TeeType teeType() {
            return tee;
        }

        @Override
        public boolean isAvailable() {
            return probes.stream().anyMatch(DetectionReport.Probe::found);
        }

        @Override
        public String describeAvailability() {
            return "fixed";
        }

        @Override
        public Evidence attest(ReportData reportData) {
            throw new UnsupportedOperationException("not used");
        }
    }

    static DetectionReport foundSnpAndGpu() {
        Attester snp = new Fixed(TeeType.SNP, List.of(
                new DetectionReport.Probe(TeeType.SNP, Mechanism.CONFIGFS_TSM, "/sys/kernel/config/tsm/report", true,
                        "provider sev_guest"),
                new DetectionReport.Probe(TeeType.SNP, Mechanism.DEVICE_NODE, "/dev/sev-guest", true, "present")));
        Attester tdx = new Fixed(TeeType.TDX, List.of(new DetectionReport.Probe(TeeType.TDX, Mechanism.DEVICE_NODE,
                "/dev/tdx_guest", false, "absent")));
        Attester gpu = new Fixed(TeeType.NVIDIA_GPU, List.of(new DetectionReport.Probe(TeeType.NVIDIA_GPU,
                Mechanism.NVML, "libnvidia-ml.so.1", true, "1 GPU in CC mode")));
        return Attesters.detectionReport(List.of(gpu, tdx, snp));
    }

    @Test
    void aFoundTeeIsSelectedByTheFirstConfigfsProbeAndAGpuIsListedApart() {
        DetectionReport report = foundSnpAndGpu();
        StringWriter s = new StringWriter();
        DetectCommand.printTable(new PrintWriter(s, true), report);
        List<String> lines = s.toString().lines().toList();
        assertThat(lines.get(1)).startsWith("snp ").contains("configfs-tsm").contains(" yes ")
                .endsWith("provider sev_guest");
        assertThat(lines).contains("selected: snp (configfs-tsm /sys/kernel/config/tsm/report)")
                .contains("gpus: libnvidia-ml.so.1 (1 GPU in CC mode)");

        Map<String, Object> j = DetectCommand.toJson(report);
        assertThat(j.get("found")).isEqualTo(true);
        assertThat(j.get("selected")).isEqualTo("snp");
        assertThat(j).extractingByKey("selected_probe").asString().contains("configfs-tsm");
        assertThat((List<?>) j.get("probes")).hasSize(4);
        assertThat((List<?>) j.get("gpus")).hasSize(1);
    }

    @Test
    void onlyAGpuIsNotATeeAndTheRefusalSaysWhy() {
        Attester gpu = new Fixed(TeeType.NVIDIA_GPU, List.of(new DetectionReport.Probe(TeeType.NVIDIA_GPU,
                Mechanism.NVML, "libnvidia-ml.so.1", true, "1 GPU in CC mode")));
        DetectionReport report = Attesters.detectionReport(List.of(gpu));
        assertThat(DetectCommand.notFound(report).failures().getFirst().detail())
                .startsWith("no TEE interface found (a GPU is usable, but a GPU is attested next to a CPU TEE, never "
                        + "alone); probed: gpu via nvml libnvidia-ml.so.1: found");
        assertThat(DetectCommand.notFound(Attesters.detectionReport(List.of())).failures().getFirst().detail())
                .isEqualTo("no TEE interface found: no attester installed");
    }
}
