package dev.coco4j.kbs.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.kbs.protocol.KbsTee;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * NVIDIA GPUs as KBS additional evidence ({@code "nvidia"} in {@code additional_evidence}). The SPDM nonce of every GPU
 * is the first 32 bytes of the device digest ({@link RuntimeDataBinding#deviceDigest()}), as Trustee's NVIDIA attester
 * and verifier use it; the evidence is {@link NvidiaGpuEvidence#listToJson(List) {"device_evidence_list":[…]}}.
 *
 * <p>Each GPU is a coco4j {@link Attester} of {@link TeeType#NVIDIA_GPU} — NVML inside a guest
 * ({@code dev.coco4j.gpu.guest.GpuAttester}), or a simulator in tests ({@code dev.coco4j.testkit.SimulatedGpuAttester})
 * — that returns the report for the first 32 bytes of the
 * {@link ReportData} it is given (the convention of coco4j's GPU verifier) as {@link Evidence#data()} and the PEM
 * device chain as {@link Evidence#auxiliary()}. This keeps the KBS client free of a GPU module dependency. Thread-safe
 * when the attesters are.
 */
public final class NvidiaDeviceAttester implements DeviceAttester {
    /** The SPDM nonce length. */
    public static final int NONCE_LENGTH = 32;
    private final List<Gpu> gpus;

    /**
     * One GPU.
     *
     * @param arch the architecture name ({@link NvidiaGpuEvidence#HOPPER}, {@link NvidiaGpuEvidence#BLACKWELL},
     *     {@code LS10}; see {@link NvidiaGpuEvidence#ARCHITECTURES})
     * @param uuid the device UUID
     * @param attester the GPU's attester
     */
    public record Gpu(String arch, String uuid, Attester attester) {
        /** Validates. */
        public Gpu {
            if (!NvidiaGpuEvidence.ARCHITECTURES.contains(Objects.requireNonNull(arch, "arch"))) {
                throw new ConfigurationException(Reason.CONFIGURATION, "unknown NVIDIA architecture " + arch);
            }
            if (Objects.requireNonNull(uuid, "uuid").isEmpty()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "the GPU uuid must not be empty");
            }
            if (Objects.requireNonNull(attester, "attester").teeType() != TeeType.NVIDIA_GPU) {
                throw new ConfigurationException(Reason.CONFIGURATION, "a GPU attester must produce "
                        + TeeType.NVIDIA_GPU.id() + " evidence, not " + attester.teeType().id());
            }
        }
    }

    private NvidiaDeviceAttester(List<Gpu> gpus) {
        if (gpus.isEmpty() || gpus.size() > NvidiaGpuEvidence.MAX_DEVICES) {
            throw new ConfigurationException(Reason.CONFIGURATION, "an NVIDIA device attester needs 1.."
                    + NvidiaGpuEvidence.MAX_DEVICES + " GPUs");
        }
        this.gpus = List.copyOf(gpus);
    }

    /**
     * An attester for these GPUs, filed in this order ({@code gpu0}, {@code gpu1}, … on the server).
     *
     * @param gpus 1 to {@link NvidiaGpuEvidence#MAX_DEVICES} GPUs; not null, copied
     * @return a new attester
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if the list is empty or too long
     */
    public static NvidiaDeviceAttester of(List<Gpu> gpus) {
        return new NvidiaDeviceAttester(Objects.requireNonNull(gpus, "gpus"));
    }

    /**
     * An attester for one GPU.
     *
     * @param arch the architecture name, one of {@link NvidiaGpuEvidence#ARCHITECTURES}
     * @param uuid the device UUID, not empty
     * @param attester the GPU's attester, of {@link TeeType#NVIDIA_GPU}
     * @return a new attester for that GPU
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if a value is invalid (see {@link Gpu})
     */
    public static NvidiaDeviceAttester of(String arch, String uuid, Attester attester) {
        return of(List.of(new Gpu(arch, uuid, attester)));
    }

    /**
     * The GPUs.
     *
     * @return the GPUs in filing order, an unmodifiable list
     */
    public List<Gpu> gpus() {
        return gpus;
    }

    @Override
    public String kbsTeeName() {
        return KbsTee.NVIDIA;
    }

    /**
     * Trustee's NVIDIA nonce for a device digest: its first 32 bytes (zero-padded if shorter).
     *
     * @param deviceDigest the device digest; not null, not modified
     * @return a new 32-byte array
     */
    public static byte[] nonce(byte[] deviceDigest) {
        return RuntimeDataBinding.fit(deviceDigest, NONCE_LENGTH);
    }

    @Override
    public JsonNode evidence(byte[] deviceDigest) {
        ReportData rd = ReportData.of(RuntimeDataBinding.fit(nonce(deviceDigest), ReportData.LENGTH));
        List<NvidiaGpuEvidence> out = new ArrayList<>(gpus.size());
        for (Gpu g : gpus) {
            Evidence e = g.attester().attest(rd);
            if (e.tee() != TeeType.NVIDIA_GPU || e.data().length == 0 || e.auxiliaryIfPresent().isEmpty()) {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE,
                        "GPU " + g.uuid() + " returned no report with a certificate chain");
            }
            out.add(new NvidiaGpuEvidence(g.arch(), g.uuid(), e.data(), e.auxiliary()));
        }
        return NvidiaGpuEvidence.listToJson(out);
    }

    @Override
    public String toString() {
        return "NvidiaDeviceAttester[" + gpus.size() + " GPU(s)]";
    }
}
