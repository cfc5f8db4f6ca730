package dev.coco4j.azure.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.core.spi.Attesters;
import dev.coco4j.core.spi.DetectionReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Azure SPI attesters without a TPM: registration, and the probe's answers for a missing device and one that
 * cannot be opened (the found / other-type / no-HCL-report cases run against swtpm in {@link SwtpmDetectionTest}).
 */
class AzVtpmSpiAttesterTest {

    @Test
    void attestersListsBothAzureTees() {
        List<Attester> all = Attesters.all();
        assertThat(all).filteredOn(a -> a.teeType() == TeeType.AZ_SNP_VTPM)
                .singleElement().isInstanceOf(AzSnpVtpmAttester.class);
        assertThat(all).filteredOn(a -> a.teeType() == TeeType.AZ_TDX_VTPM)
                .singleElement().isInstanceOf(AzTdxVtpmAttester.class);
        assertThat(Attesters.forTee(TeeType.AZ_SNP_VTPM)).containsInstanceOf(AzSnpVtpmAttester.class);
    }

    @Test
    void detectionReportOnThisMachineExplainsTheAzureProbes() {
        DetectionReport report = Attesters.detectionReport();
        for (TeeType tee : new TeeType[] {TeeType.AZ_SNP_VTPM, TeeType.AZ_TDX_VTPM}) {
            DetectionReport.Probe p = report.probes().stream().filter(x -> x.tee() == tee).findFirst().orElseThrow();
            assertThat(p.mechanism()).isEqualTo(DetectionReport.Mechanism.DEVICE_NODE);
            assertThat(p.target()).isEqualTo("/dev/tpmrm0 NV 0x01400001");
            assertThat(report.explain()).contains(p.toString());
            if (!Files.exists(Path.of("/dev/tpmrm0"))) {
                assertThat(p.found()).isFalse();
                assertThat(p.detail()).isEqualTo("no /dev/tpmrm0");
                assertThat(report.explain()).contains(tee.id() + " via device-node /dev/tpmrm0 NV 0x01400001: "
                        + "not found (no /dev/tpmrm0)");
            }
        }
        // device-node probes of every TEE come after every configfs-tsm probe
        List<DetectionReport.Mechanism> order = report.probes().stream().map(DetectionReport.Probe::mechanism).toList();
        assertThat(order).isSorted();
    }

    @Test
    void missingDeviceIsNotFoundAndAttestSaysWhy() {
        AzSnpVtpmAttester a = new AzSnpVtpmAttester(() -> {
            throw new AssertionError("must not open a device that does not exist");
        }, () -> false, "/dev/tpmrm0", null);
        assertThat(a.isAvailable()).isFalse();
        assertThat(a.probes()).singleElement().satisfies(p -> {
            assertThat(p.found()).isFalse();
            assertThat(p.detail()).isEqualTo("no /dev/tpmrm0");
        });
        assertThat(a.describeAvailability()).isEqualTo("/dev/tpmrm0 NV 0x01400001: no /dev/tpmrm0");
        assertThatThrownBy(() -> a.attest(ReportData.zero())).isInstanceOf(AttestationException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(Attesters.detectionReport(List.of(a)).found()).isFalse();
    }

    @Test
    void deviceThatCannotBeOpenedIsNotFound() {
        AzTdxVtpmAttester a = new AzTdxVtpmAttester(() -> {
            throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "cannot open the TPM device: "
                    + "AccessDeniedException");
        }, () -> true, "/dev/tpmrm0", null);
        DetectionReport.Probe p = a.probes().getFirst();
        assertThat(p.found()).isFalse();
        assertThat(p.detail()).startsWith("cannot open /dev/tpmrm0 (permissions?)").contains("AccessDenied");
        assertThat(a.isAvailable()).isFalse();
    }

    @Test
    void aProbeThatBreaksUnexpectedlyStillAnswers() {
        AzSnpVtpmAttester a = new AzSnpVtpmAttester(() -> null, () -> true, "/dev/tpmrm0", null);
        DetectionReport.Probe p = a.probes().getFirst();
        assertThat(p.found()).isFalse();
        assertThat(p.detail()).isNotBlank();
    }
}
