package dev.coco4j.core.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.DetectionReport.Mechanism;
import dev.coco4j.core.spi.DetectionReport.Probe;
import java.util.List;
import org.junit.jupiter.api.Test;

class AttestersDetectionTest {

    /** An attester that is always available and keeps the default probes; its evidence is refused. */
    static class Plain implements Attester {
        private final TeeType tee;
        private final String description;

        Plain(TeeType tee, String description) {
            this.tee = tee;
            this.description = description;
        }

        @Override
        public TeeType teeType() {
            return tee;
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public String describeAvailability() {
            return description;
        }

        @Override
        public Evidence attest(ReportData reportData) {
            throw new AttestationException(Reason.CONFIGURATION, "fake");
        }
    }

    /** An attester whose probes are given; available when one of them found its interface. */
    static final class Fake extends Plain {
        private final List<Probe> probes;

        Fake(TeeType tee, List<Probe> probes) {
            super(tee, probes.toString());
            this.probes = probes;
        }

        @Override
        public boolean isAvailable() {
            return probes.stream().anyMatch(Probe::found);
        }

        @Override
        public List<Probe> probes() {
            return probes;
        }
    }

    static Probe probe(TeeType tee, Mechanism m, boolean found) {
        return new Probe(tee, m, "/fake/" + tee.id() + "/" + m, found, found ? "present" : "absent");
    }

    @Test
    void aConfigfsProviderWinsOverADeviceNodeOfAnAttesterListedEarlier() {
        Fake tdx = new Fake(TeeType.TDX, List.of(probe(TeeType.TDX, Mechanism.CONFIGFS_TSM, false),
                probe(TeeType.TDX, Mechanism.DEVICE_NODE, true)));
        Fake snp = new Fake(TeeType.SNP, List.of(probe(TeeType.SNP, Mechanism.CONFIGFS_TSM, true),
                probe(TeeType.SNP, Mechanism.DEVICE_NODE, true)));
        DetectionReport r = Attesters.detectionReport(List.of(tdx, snp));
        assertThat(r.selected()).containsSame(snp);
        assertThat(r.probes()).extracting(Probe::mechanism).containsExactly(Mechanism.CONFIGFS_TSM,
                Mechanism.CONFIGFS_TSM, Mechanism.DEVICE_NODE, Mechanism.DEVICE_NODE);
        assertThat(r.explain()).startsWith("picked snp (snp via configfs-tsm /fake/snp/CONFIGFS_TSM: found");
    }

    @Test
    void nvmlGpusAreProbedAfterDeviceNodesAndListedButNeverSelected() {
        Fake gpu = new Fake(TeeType.NVIDIA_GPU, List.of(probe(TeeType.NVIDIA_GPU, Mechanism.NVML, true)));
        Fake snp = new Fake(TeeType.SNP, List.of(probe(TeeType.SNP, Mechanism.CONFIGFS_TSM, false),
                probe(TeeType.SNP, Mechanism.DEVICE_NODE, true)));
        DetectionReport both = Attesters.detectionReport(List.of(gpu, snp));
        assertThat(both.selected()).containsSame(snp);
        assertThat(both.devices()).containsExactly(gpu);
        assertThat(both.probes()).extracting(Probe::mechanism).containsExactly(Mechanism.CONFIGFS_TSM,
                Mechanism.DEVICE_NODE, Mechanism.NVML);

        Fake noCpu = new Fake(TeeType.SNP, List.of(probe(TeeType.SNP, Mechanism.DEVICE_NODE, false)));
        DetectionReport gpuOnly = Attesters.detectionReport(List.of(noCpu, gpu));
        assertThat(gpuOnly.selected()).isEmpty();
        assertThat(gpuOnly.devices()).containsExactly(gpu);
        assertThat(gpuOnly.explain()).startsWith("no TEE found (a GPU is usable").contains("gpu via nvml");
    }

    @Test
    void theSampleAttesterIsNeverProbedAndNothingFoundIsExplained() {
        Fake sample = new Fake(TeeType.SAMPLE, List.of(probe(TeeType.SAMPLE, Mechanism.OTHER, true)));
        Fake snp = new Fake(TeeType.SNP, List.of(probe(TeeType.SNP, Mechanism.CONFIGFS_TSM, false),
                probe(TeeType.SNP, Mechanism.DEVICE_NODE, false)));
        DetectionReport r = Attesters.detectionReport(List.of(sample, snp));
        assertThat(r.found()).isFalse();
        assertThat(r.probes()).hasSize(2).allMatch(p -> p.tee() == TeeType.SNP);
        assertThat(r.explain()).contains("no TEE found").contains("/fake/snp/DEVICE_NODE: not found (absent)");
        assertThat(Attesters.detectionReport(List.of()).explain()).contains("no attester installed");
    }

    @Test
    void aThrowingProbeCountsAsNotFoundAndTheDefaultProbeUsesIsAvailable() {
        Attester throwing = new Plain(TeeType.TDX, "legacy") {
            @Override
            public List<Probe> probes() {
                throw new IllegalStateException("boom");
            }
        };
        DetectionReport r = Attesters.detectionReport(List.of(throwing));
        assertThat(r.found()).isFalse();
        assertThat(r.probes().getFirst().detail()).contains("probe failed");

        Attester legacy = new Fake(TeeType.SNP, List.of(probe(TeeType.SNP, Mechanism.OTHER, true)));
        Attester plain = new Plain(TeeType.SNP, "always");
        assertThat(plain.probes()).singleElement().satisfies(p -> {
            assertThat(p.mechanism()).isEqualTo(Mechanism.OTHER);
            assertThat(p.found()).isTrue();
            assertThat(p.detail()).isEqualTo("always");
        });
        assertThat(Attesters.detectionReport(List.of(plain, legacy)).selected()).containsSame(plain);
    }
}
