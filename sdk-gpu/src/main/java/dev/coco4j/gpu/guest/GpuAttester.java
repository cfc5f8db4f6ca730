package dev.coco4j.gpu.guest;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Obtains NVIDIA GPU evidence through NVML ({@link NvmlDevice}): {@link Evidence} of {@link TeeType#NVIDIA_GPU}
 * whose data is the raw attestation report and whose auxiliary bytes are the PEM device certificate chain — the form
 * {@link dev.coco4j.gpu.validate.GpuEvidenceVerifier} takes.
 *
 * <p><b>Nonce.</b> The GPU nonce is the <b>first 32 bytes</b> of the report data (the binding Confidential
 * Containers uses, and what the GPU verifier expects through the SPI), so CPU and GPU evidence for one report data
 * are tied to one session.
 *
 * <p><b>Several GPUs.</b> {@link #attestAll} collects every GPU with the same nonce in one NVML session.
 * {@link #attest} (the SPI, one {@link Evidence}) serves a machine with exactly one GPU and refuses more
 * ({@link Reason#CONFIGURATION}) rather than silently attesting one of them.
 *
 * <p>Found by {@link java.util.ServiceLoader} through the public no-argument constructor:
 * {@link dev.coco4j.core.spi.Attesters#detectAll()} lists it (after the CPU TEEs) when a GPU is usable, and
 * {@link dev.coco4j.core.spi.Attesters#forTee} finds it; {@link dev.coco4j.core.spi.Attesters#detect()} returns CPU
 * TEEs only. Setting the GPUs ready for work after a successful appraisal stays with the caller. Thread-safe.
 */
public final class GpuAttester implements Attester {
    private final NvmlDevice nvml;

    /** The attester for the real machine: {@link NvmlDevice#system()}. */
    public GpuAttester() {
        this(NvmlDevice.system());
    }

    /**
     * An attester over the given NVML binding (another library path, tests).
     *
     * @param nvml the binding
     */
    public GpuAttester(NvmlDevice nvml) {
        this.nvml = Objects.requireNonNull(nvml, "nvml");
    }

    @Override
    public TeeType teeType() {
        return TeeType.NVIDIA_GPU;
    }

    /** True if NVML loads, confidential computing is on, DevTools mode is off and a GPU is present. */
    @Override
    public boolean isAvailable() {
        return nvml.probe().usable();
    }

    /** Says why no GPU can be attested (no libnvidia-ml, no devices, CC mode off, DevTools mode) or how many can. */
    @Override
    public String describeAvailability() {
        return nvml.probe().description();
    }

    /**
     * One {@link dev.coco4j.core.spi.DetectionReport.Mechanism#NVML} probe (NVML's own answer), so that detection
     * lists the GPU after every CPU TEE interface.
     */
    @Override
    public List<dev.coco4j.core.spi.DetectionReport.Probe> probes() {
        NvmlDevice.Probe p = nvml.probe();
        return List.of(new dev.coco4j.core.spi.DetectionReport.Probe(TeeType.NVIDIA_GPU,
                dev.coco4j.core.spi.DetectionReport.Mechanism.NVML, NvmlDevice.LIBRARY, p.usable(), p.description()));
    }

    /**
     * Evidence from the machine's only GPU for the first 32 bytes of {@code reportData}.
     *
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if NVML is unusable (the message says why) or there
     *     is more than one GPU (use {@link #attestAll})
     */
    @Override
    public Evidence attest(ReportData reportData) {
        List<Evidence> all = attestAll(reportData);
        if (all.size() != 1) {
            throw new ConfigurationException(Reason.CONFIGURATION, "NVML reports " + all.size() + " GPUs; one "
                    + "Evidence cannot carry them all: use GpuAttester.attestAll");
        }
        return all.getFirst();
    }

    /**
     * Evidence from every GPU, in NVML index order, all for the first 32 bytes of {@code reportData}.
     *
     * @param reportData the report data whose first 32 bytes are the GPU nonce; must not be {@code null}
     * @return an unmodifiable list with one {@link TeeType#NVIDIA_GPU} evidence per GPU (data = raw report, auxiliary =
     *     PEM chain), in NVML index order; never empty
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if NVML is unusable or reports no GPU
     * @throws dev.coco4j.core.AttestationException {@link Reason#MALFORMED_EVIDENCE} for out-of-range NVML sizes
     */
    public List<Evidence> attestAll(ReportData reportData) {
        Objects.requireNonNull(reportData, "reportData");
        byte[] nonce = gpuNonce(reportData);
        List<Evidence> out = new ArrayList<>();
        for (NvmlDevice.GpuEvidence e : nvml.collectAll(nonce)) {
            out.add(new Evidence(TeeType.NVIDIA_GPU, e.report(), e.certChainPem()));
        }
        return List.copyOf(out);
    }

    /**
     * The GPU nonce for a report data: its first 32 bytes.
     *
     * @param reportData the report data; must not be {@code null}
     * @return a new 32-byte array holding bytes 0 to 31 of the report data
     */
    public static byte[] gpuNonce(ReportData reportData) {
        return Arrays.copyOf(reportData.toByteArray(), 32);
    }

    @Override
    public String toString() {
        return "GpuAttester[" + describeAvailability() + "]";
    }
}
