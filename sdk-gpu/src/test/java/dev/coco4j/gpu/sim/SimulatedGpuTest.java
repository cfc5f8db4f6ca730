package dev.coco4j.gpu.sim;

import static dev.coco4j.gpu.GpuTests.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.gpu.abi.GpuAttestationReport;
import dev.coco4j.gpu.rim.RimIds;
import dev.coco4j.gpu.rim.RimTrustRoots;
import dev.coco4j.gpu.rim.RimVerifier;
import dev.coco4j.gpu.validate.GpuEvidenceVerifier;
import dev.coco4j.gpu.verify.GpuArchitecture;
import dev.coco4j.gpu.verify.GpuReportVerifier;
import dev.coco4j.gpu.verify.GpuTrustRoots;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedGpuTest {
    static final SimulatedGpu GPU = SimulatedGpu.create();

    @Test
    void simulatedEvidenceVerifiesOnlyWithTheSimulatorRootsPassedExplicitly() {
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        byte[] report = GPU.report(nonce);
        GpuAttestationReport parsed = GpuAttestationReport.parse(report);
        Map<String, byte[]> rims = Map.of(RimIds.driver(parsed.opaqueData(), GpuArchitecture.HOPPER), GPU.driverRim(),
                RimIds.vbios(parsed.opaqueData()), GPU.vbiosRim());
        Evidence evidence = new Evidence(TeeType.NVIDIA_GPU, report, GPU.certChainPem());
        VerificationOptions options = VerificationOptions.builder().offline(true)
                .expectedReportData(ReportData.of(nonce)).build();

        GpuEvidenceVerifier trusting = GpuEvidenceVerifier.builder()
                .trustRoots(GpuTrustRoots.of(GPU.deviceRoot())).rimTrustRoots(RimTrustRoots.of(GPU.rimRoot()))
                .rimSource(rims::get).build();
        AttestationResult r = trusting.verify(evidence, options);
        assertThat(r.claim("measres")).isEqualTo("success");
        assertThat(r.claim("fwid_match")).isEqualTo("match");
        assertThat(r.claim("driver_version")).isEqualTo(SimulatedGpu.DRIVER_VERSION);

        GpuEvidenceVerifier nvidia = GpuEvidenceVerifier.builder().rimSource(rims::get).build();
        assertThat(thrown(() -> nvidia.verify(evidence, options)).reason()).isEqualTo(Reason.CHAIN_INVALID);
        GpuEvidenceVerifier deviceOnly = GpuEvidenceVerifier.builder()
                .trustRoots(GpuTrustRoots.of(GPU.deviceRoot())).rimSource(rims::get).build();
        assertThat(thrown(() -> deviceOnly.verify(evidence, options)).reason()).isEqualTo(Reason.CHAIN_INVALID);
    }

    @Test
    void reportsAreFreshPerNonceAndBindIt() {
        byte[] a = new byte[32];
        byte[] b = new byte[32];
        b[0] = 1;
        GpuReportVerifier v = GpuReportVerifier.builder().offline(true).trustRoots(GpuTrustRoots.of(GPU.deviceRoot()))
                .build();
        assertThat(v.verify(GPU.report(a), GPU.certChainPem(), a, Instant.now()).fwidChecked()).isTrue();
        assertThat(thrown(() -> v.verify(GPU.report(a), GPU.certChainPem(), b, Instant.now())).reason())
                .isEqualTo(Reason.NONCE_MISMATCH);
    }

    @Test
    void simulatedRimsVerifyUnderTheSimulatedRimRootOnly() {
        RimVerifier sim = RimVerifier.builder().offline(true).trustRoots(RimTrustRoots.of(GPU.rimRoot())).build();
        assertThat(sim.verify(GPU.driverRim(), Instant.now()).colloquialVersion()).isEqualTo(SimulatedGpu.DRIVER_VERSION);
        assertThat(sim.verify(GPU.vbiosRim(), Instant.now()).activeMeasurements()).hasSize(12);
        RimVerifier nvidia = RimVerifier.builder().offline(true).build();
        assertThat(thrown(() -> nvidia.verify(GPU.driverRim(), Instant.now())).reason())
                .isEqualTo(Reason.CHAIN_INVALID);
    }
}
