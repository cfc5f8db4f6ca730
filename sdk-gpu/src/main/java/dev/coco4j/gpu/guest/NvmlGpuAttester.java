package dev.coco4j.gpu.guest;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.core.spi.DetectionReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Obtains NVIDIA GPU confidential-computing evidence through NVML ({@link NvmlDevice}): {@link Evidence} of
 * {@link TeeType#NVIDIA_GPU} whose data is the GPU attestation report and whose auxiliary bytes are the PEM
 * certificate chain. The 32-byte GPU nonce is the first half of the report data; the second half must be zero (a GPU
 * report binds only 32 bytes), otherwise nothing is asked of the GPU.
 *
 * <p>Detection ({@link #probes()}) looks only at files — the NVML library in the usual library directories and the
 * {@code /dev/nvidia0} device node — so it never loads native code; whether confidential computing is on is checked
 * when evidence is requested. {@link dev.coco4j.core.spi.Attesters} tries NVML after every CPU TEE interface.
 * Thread-safe.
 */
public final class NvmlGpuAttester implements Attester {
    /** Where the NVML library is looked for. */
    public static final List<Path> LIBRARY_DIRS = List.of(Path.of("/usr/lib/x86_64-linux-gnu"), Path.of("/usr/lib64"),
            Path.of("/usr/lib"), Path.of("/usr/lib/aarch64-linux-gnu"));

    private final NvmlDevice nvml;
    private final List<Path> libraryDirs;
    private final Path deviceNode;
    private final int index;

    /** The attester for GPU 0 of this machine. */
    public NvmlGpuAttester() {
        this(NvmlDevice.system(), LIBRARY_DIRS, Path.of("/dev/nvidia0"), 0);
    }

    /**
     * An attester with explicit parts (tests, unusual installations).
     *
     * @param nvml the NVML binding
     * @param libraryDirs where to look for {@value NvmlDevice#LIBRARY}
     * @param deviceNode the GPU's device node
     * @param index the GPU index for NVML
     */
    public NvmlGpuAttester(NvmlDevice nvml, List<Path> libraryDirs, Path deviceNode, int index) {
        this.nvml = Objects.requireNonNull(nvml, "nvml");
        this.libraryDirs = List.copyOf(libraryDirs);
        this.deviceNode = Objects.requireNonNull(deviceNode, "deviceNode");
        if (index < 0) {
            throw new ConfigurationException(Reason.CONFIGURATION, "GPU index must not be negative");
        }
        this.index = index;
    }

    @Override
    public TeeType teeType() {
        return TeeType.NVIDIA_GPU;
    }

    @Override
    public boolean isAvailable() {
        return library().isPresent() && Files.exists(deviceNode);
    }

    @Override
    public String describeAvailability() {
        return NvmlDevice.LIBRARY + ": " + library().map(Path::toString).orElse("not found in " + libraryDirs)
                + "; " + deviceNode + ": " + (Files.exists(deviceNode) ? "present" : "absent");
    }

    /** One NVML probe: found when the library and the GPU device node are both present. */
    @Override
    public List<DetectionReport.Probe> probes() {
        return List.of(new DetectionReport.Probe(TeeType.NVIDIA_GPU, DetectionReport.Mechanism.NVML,
                NvmlDevice.LIBRARY + " + " + deviceNode, isAvailable(), describeAvailability()));
    }

    private Optional<Path> library() {
        return libraryDirs.stream().map(d -> d.resolve(NvmlDevice.LIBRARY)).filter(Files::exists).findFirst();
    }

    /**
     * Collects evidence for the nonce in the first 32 bytes of {@code reportData}.
     *
     * @throws ConfigurationException if bytes 32..63 of the report data are not zero, NVML is missing, confidential
     *     computing is off or in DevTools mode
     * @throws dev.coco4j.core.AttestationException if NVML returns malformed data
     */
    @Override
    public Evidence attest(ReportData reportData) {
        byte[] rd = Objects.requireNonNull(reportData, "reportData").toByteArray();
        for (int i = 32; i < rd.length; i++) {
            if (rd[i] != 0) {
                throw new ConfigurationException(Reason.CONFIGURATION, "a GPU report binds 32 bytes: report data "
                        + "bytes 32..63 must be zero");
            }
        }
        NvmlDevice.GpuEvidence e = nvml.collect(index, Arrays.copyOf(rd, 32));
        return new Evidence(TeeType.NVIDIA_GPU, e.report(), e.certChainPem());
    }

    @Override
    public String toString() {
        return "NvmlGpuAttester[GPU " + index + "; " + describeAvailability() + "]";
    }
}
