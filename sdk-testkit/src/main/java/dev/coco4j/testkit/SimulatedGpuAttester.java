package dev.coco4j.testkit;

import dev.coco4j.core.Evidence;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.gpu.sim.SimulatedGpu;
import dev.coco4j.kbs.evidence.NvidiaDeviceAttester;
import dev.coco4j.kbs.evidence.NvidiaGpuEvidence;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;

/**
 * An {@link Attester} of {@link TeeType#NVIDIA_GPU} backed by a {@link SimulatedGpu}: the report for the first 32
 * bytes of the report data (the GPU nonce), with the PEM device chain as auxiliary bytes — the form
 * {@link NvidiaDeviceAttester} and coco4j's GPU verifier use. {@link #deviceAttester()} files it as KBS additional
 * evidence.
 *
 * <p>Its reports verify only against the simulator's device and RIM roots
 * ({@link EmbeddedKbs.Builder#trustSimulatedGpu(SimulatedGpu)}), never against NVIDIA's. Not registered as a
 * {@link java.util.ServiceLoader} provider. Thread-safe. For development and tests, not production.
 */
public final class SimulatedGpuAttester implements Attester {
    private final SimulatedGpu gpu;
    private final String uuid;

    /**
     * An attester for this simulated GPU with a random {@code GPU-…} UUID.
     *
     * @param gpu the simulated GPU that signs the reports, not null
     */
    public SimulatedGpuAttester(SimulatedGpu gpu) {
        this.gpu = Objects.requireNonNull(gpu, "gpu");
        this.uuid = "GPU-" + UUID.randomUUID();
    }

    /**
     * The simulated GPU behind this attester.
     *
     * @return the GPU given at construction (the same instance, not a copy)
     */
    public SimulatedGpu gpu() {
        return gpu;
    }

    /**
     * The UUID this GPU reports.
     *
     * @return {@code GPU-} followed by a random UUID, fixed for the life of this attester
     */
    public String uuid() {
        return uuid;
    }

    /**
     * This GPU as KBS additional evidence ({@code nvidia}, architecture {@code Hopper}).
     *
     * @return a new device attester over this attester and its {@link #uuid()}, to pass to the KBS client as
     *     additional evidence
     */
    public NvidiaDeviceAttester deviceAttester() {
        return NvidiaDeviceAttester.of(NvidiaGpuEvidence.HOPPER, uuid, this);
    }

    @Override
    public TeeType teeType() {
        return TeeType.NVIDIA_GPU;
    }

    /** Always true: the simulator needs no device. */
    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String describeAvailability() {
        return "simulated NVIDIA Hopper GPU (coco4j testkit; never trusted by default)";
    }

    @Override
    public Evidence attest(ReportData reportData) {
        byte[] nonce = Arrays.copyOf(Objects.requireNonNull(reportData, "reportData").toByteArray(), 32);
        return new Evidence(TeeType.NVIDIA_GPU, gpu.report(nonce), gpu.certChainPem());
    }

    @Override
    public String toString() {
        return "SimulatedGpuAttester[" + uuid + "]";
    }
}
