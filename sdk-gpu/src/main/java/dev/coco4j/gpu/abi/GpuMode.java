package dev.coco4j.gpu.abi;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.util.Locale;

/**
 * How a confidential GPU is assigned to the TEE, from the {@link OpaqueFieldType#FEATURE_FLAG} opaque field (u32 LE)
 * of the signed report, or the {@code x-nvidia-gpu-mode} claim of NVIDIA's attestation service.
 */
public enum GpuMode {
    /** Single GPU passthrough (feature flag 0): each GPU stands alone. */
    SPT(0),
    /** Multi-GPU passthrough (feature flag 1): several GPUs, NVLink without NVSwitch trust. */
    MPT(1),
    /**
     * Protected PCIe (feature flag 2): GPUs joined through NVSwitches whose own evidence must be attested too; GPU
     * evidence alone does not cover the switches.
     */
    PPCIE(2);

    private final int flag;

    GpuMode(int flag) {
        this.flag = flag;
    }

    /**
     * The FEATURE_FLAG value of this mode.
     *
     * @return the numeric FEATURE_FLAG value: 0 for {@link #SPT}, 1 for {@link #MPT}, 2 for {@link #PPCIE}
     */
    public int featureFlag() {
        return flag;
    }

    /**
     * The mode a FEATURE_FLAG value names.
     *
     * @param flag the FEATURE_FLAG value as read from the opaque data (u32, so 0 to 2<sup>32</sup>-1)
     * @return the mode with that flag; never {@code null}
     * @throws AttestationException {@link Reason#UNSUPPORTED_VERSION} for a value this SDK does not know
     */
    public static GpuMode fromFeatureFlag(long flag) {
        for (GpuMode m : values()) {
            if (m.flag == flag) {
                return m;
            }
        }
        throw new AttestationException(Reason.UNSUPPORTED_VERSION, "unknown GPU FEATURE_FLAG " + flag
                + " (known: 0 SPT, 1 MPT, 2 PPCIE)");
    }

    /**
     * The mode a claim value names ({@code SPT}, {@code MPT}, {@code PPCIE}, any case; {@code PPCIe} too).
     *
     * @param name the claim value; surrounding white space and case are ignored; {@code null} is refused like an
     *     unknown name
     * @return the mode with that name; never {@code null}
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} for another value
     */
    public static GpuMode fromName(String name) {
        String n = name == null ? "" : name.strip().toUpperCase(Locale.ROOT);
        for (GpuMode m : values()) {
            if (m.name().equals(n)) {
                return m;
            }
        }
        throw new AttestationException(Reason.MALFORMED_EVIDENCE, "unknown GPU mode '" + name + "'");
    }
}
