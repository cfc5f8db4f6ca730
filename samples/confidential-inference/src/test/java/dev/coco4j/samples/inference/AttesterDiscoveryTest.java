package dev.coco4j.samples.inference;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.spi.Attester;
import dev.coco4j.core.spi.Attesters;
import dev.coco4j.core.spi.DetectionReport;
import dev.coco4j.sev.guest.SnpAttester;
import dev.coco4j.tdx.guest.TdxAttester;
import java.util.Comparator;
import org.junit.jupiter.api.Test;

/** On the class path (as this sample and its shaded jar run), the attesters are found through META-INF/services. */
class AttesterDiscoveryTest {

    @Test
    void classPathDiscoveryFindsTheCpuAttestersAndProbesConfigfsFirst() {
        assertThat(Attesters.all()).extracting(Attester::getClass).contains(SnpAttester.class, TdxAttester.class);
        DetectionReport r = Attesters.detectionReport();
        assertThat(r.probes()).isSortedAccordingTo(Comparator.comparing(DetectionReport.Probe::mechanism));
        assertThat(r.probes()).extracting(p -> p.mechanism()).contains(DetectionReport.Mechanism.CONFIGFS_TSM,
                DetectionReport.Mechanism.DEVICE_NODE);
        assertThat(r.explain()).contains("/dev/sev-guest").contains("/dev/tdx_guest");
    }
}
