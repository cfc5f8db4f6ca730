package dev.coco4j.gpu.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attesters;
import dev.coco4j.core.spi.DetectionReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NVML detection on a fake file tree, and the report-data rule, without loading any native code. */
class NvmlGpuAttesterTest {
    static final NvmlDevice NO_NVML = NvmlDevice.withLookup(name -> Optional.empty());

    @Test
    void foundOnlyWithTheLibraryAndTheDeviceNode(@TempDir Path root) throws IOException {
        Path lib = Files.createDirectories(root.resolve("usr/lib64"));
        Path node = root.resolve("dev/nvidia0");
        NvmlGpuAttester a = new NvmlGpuAttester(NO_NVML, List.of(root.resolve("usr/lib"), lib), node, 0);
        assertThat(a.probes()).singleElement().satisfies(p -> {
            assertThat(p.mechanism()).isEqualTo(DetectionReport.Mechanism.NVML);
            assertThat(p.found()).isFalse();
            assertThat(p.detail()).contains("not found in").contains("absent");
        });
        Files.createFile(lib.resolve(NvmlDevice.LIBRARY));
        assertThat(a.isAvailable()).isFalse();
        Files.createDirectories(node.getParent());
        Files.createFile(node);
        assertThat(a.isAvailable()).isTrue();
        assertThat(a.describeAvailability()).contains(lib.resolve(NvmlDevice.LIBRARY).toString()).contains("present");
        assertThat(Attesters.detectionReport(List.of(a)).selected()).containsSame(a);
    }

    @Test
    void reportDataBeyond32BytesIsRefusedBeforeNvmlIsAsked() {
        NvmlGpuAttester a = new NvmlGpuAttester(NO_NVML, List.of(), Path.of("/nonexistent"), 0);
        byte[] rd = new byte[64];
        rd[40] = 1;
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class,
                () -> a.attest(ReportData.of(rd)));
        assertThat(e.detail()).contains("32..63");
        ConfigurationException noLib = catchThrowableOfType(ConfigurationException.class,
                () -> a.attest(ReportData.zero()));
        assertThat(noLib.reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(a.teeType()).isEqualTo(TeeType.NVIDIA_GPU);
    }

    @Test
    void serviceLoaderFindsIt() {
        assertThat(Attesters.forTee(TeeType.NVIDIA_GPU)).containsInstanceOf(NvmlGpuAttester.class);
    }
}
