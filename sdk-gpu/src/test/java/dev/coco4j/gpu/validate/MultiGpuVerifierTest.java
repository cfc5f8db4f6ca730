package dev.coco4j.gpu.validate;

import static dev.coco4j.gpu.GpuTests.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.gpu.Vectors;
import dev.coco4j.gpu.abi.GpuAttestationReport;
import dev.coco4j.gpu.abi.GpuMode;
import dev.coco4j.gpu.sim.SimulatedGpu;
import dev.coco4j.gpu.verify.GpuTrustRoots;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Several GPUs' evidence: simulated GPUs and NVIDIA's real 8-GPU PPCIe evidence (nvtrust-ppcie-evidence). */
class MultiGpuVerifierTest {
    static final String PPCIE = "nvtrust-ppcie-evidence/gpu_evidence.json";
    static final SimulatedGpu GPU = SimulatedGpu.create();

    static GpuEvidenceVerifier simVerifier() {
        return GpuEvidenceVerifier.builder().trustRoots(GpuTrustRoots.of(GPU.deviceRoot()))
                .policy(GpuPolicy.builder().requireRims(false).build()).build();
    }

    static VerificationOptions offline(Instant at) {
        return VerificationOptions.builder().offline(true).clock(Clock.fixed(at, ZoneOffset.UTC)).build();
    }

    @Test
    void everySimulatedGpuMustPassAndFailuresNameTheGpu() {
        byte[] nonce = new byte[32];
        nonce[0] = 7;
        byte[] other = new byte[32];
        List<Evidence> ok = List.of(new Evidence(TeeType.NVIDIA_GPU, GPU.report(nonce), GPU.certChainPem()),
                new Evidence(TeeType.NVIDIA_GPU, GPU.report(nonce), GPU.certChainPem()));
        MultiGpuVerifier v = MultiGpuVerifier.builder().verifier(simVerifier()).build();
        MultiGpuVerifier.Result r = v.verify(ok, nonce, offline(Instant.now()));
        assertThat(r.gpus()).hasSize(2);
        assertThat(r.mode()).isEmpty();
        assertThat(r.gpus().getFirst().claim("gpu_mode")).isEqualTo("unspecified");

        List<Evidence> oneStale = new ArrayList<>(ok);
        oneStale.add(new Evidence(TeeType.NVIDIA_GPU, GPU.report(other), GPU.certChainPem()));
        byte[] tampered = GPU.report(nonce);
        tampered[tampered.length - 1] ^= 1; // in the signature
        oneStale.add(new Evidence(TeeType.NVIDIA_GPU, tampered, GPU.certChainPem()));
        CocoException e = thrown(() -> v.verify(oneStale, nonce, offline(Instant.now())));
        assertThat(e.failures()).hasSize(2);
        assertThat(e.failures().get(0).reason()).isEqualTo(Reason.NONCE_MISMATCH);
        assertThat(e.failures().get(0).detail()).startsWith("GPU 2:");
        assertThat(e.failures().get(1).reason()).isEqualTo(Reason.SIGNATURE_INVALID);
        assertThat(e.failures().get(1).detail()).startsWith("GPU 3:");
        assertThat(thrown(() -> v.verify(List.of(), nonce, offline(Instant.now()))).reason())
                .isEqualTo(Reason.CONFIGURATION);
    }

    @Test
    void realPpcieEvidenceParsesAsPpcieModeWithOneNonce() {
        byte[] nonce = Vectors.jsonNonce(PPCIE, 0);
        for (int i = 0; i < 8; i++) {
            GpuAttestationReport r = GpuAttestationReport.parse(Vectors.jsonEvidence(PPCIE, i));
            assertThat(r.nonce()).as("GPU %d nonce", i).isEqualTo(nonce);
            assertThat(r.opaqueData().mode()).as("GPU %d mode", i).contains(GpuMode.PPCIE);
            assertThat(r.opaqueData().driverVersion()).contains("590.12");
        }
    }

    @Test
    void realPpcieEvidenceVerifiesPerGpuButIsRefusedWithoutSwitchEvidence() {
        byte[] nonce = Vectors.jsonNonce(PPCIE, 0);
        List<Evidence> all = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            all.add(new Evidence(TeeType.NVIDIA_GPU, Vectors.jsonEvidence(PPCIE, i), Vectors.jsonChain(PPCIE, i)));
        }
        GpuEvidenceVerifier nvidia = GpuEvidenceVerifier.builder()
                .policy(GpuPolicy.builder().requireRims(false).build()).build();
        Instant at = Instant.parse("2026-06-01T00:00:00Z");
        CocoException e = thrown(() -> MultiGpuVerifier.builder().verifier(nvidia).build()
                .verify(all, nonce, offline(at)));
        assertThat(e.reason()).isEqualTo(Reason.POLICY_VIOLATION);
        assertThat(e.detail()).contains("PPCIe").contains("NVSwitch");

        MultiGpuVerifier.Result r = MultiGpuVerifier.builder().verifier(nvidia).allowPpcieWithoutSwitchEvidence(true)
                .build().verify(all, nonce, offline(at));
        assertThat(r.mode()).contains(GpuMode.PPCIE);
        assertThat(r.gpus()).hasSize(8).allMatch(g -> "PPCIE".equals(g.claim("gpu_mode")));
        assertThat(r.warnings()).anyMatch(w -> w.contains("NVSwitches were not attested"));

        // a foreign nonce fails every GPU, each listed
        byte[] wrong = nonce.clone();
        wrong[31] ^= 1;
        CocoException n = thrown(() -> MultiGpuVerifier.builder().verifier(nvidia).build()
                .verify(all, wrong, offline(at)));
        assertThat(n.failures()).hasSize(8).allMatch(f -> f.reason() == Reason.NONCE_MISMATCH);
    }

    @Test
    void mixedModesAreRefused() {
        assertThat(MultiGpuVerifier.commonMode(List.of(Optional.of(GpuMode.MPT), Optional.of(GpuMode.MPT))))
                .contains(GpuMode.MPT);
        assertThat(MultiGpuVerifier.commonMode(List.of(Optional.empty(), Optional.empty()))).isEmpty();
        CocoException e = thrown(() -> MultiGpuVerifier.commonMode(List.of(Optional.of(GpuMode.PPCIE),
                Optional.of(GpuMode.SPT))));
        assertThat(e.reason()).isEqualTo(Reason.POLICY_VIOLATION);
        assertThat(e.detail()).contains("different modes");
        assertThat(thrown(() -> MultiGpuVerifier.commonMode(List.of(Optional.of(GpuMode.MPT), Optional.empty())))
                .detail()).contains("1 without FEATURE_FLAG");
    }
}
