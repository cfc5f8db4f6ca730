package dev.coco4j.gpu.rim;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.gpu.abi.OpaqueData;
import dev.coco4j.gpu.verify.GpuArchitecture;
import java.util.Locale;

/**
 * The RIM ids NVIDIA's RIM service files RIMs under, derived from a report's opaque data:
 * <ul>
 *   <li>Hopper driver: {@code NV_GPU_DRIVER_GH100_<driver version>};</li>
 *   <li>Blackwell driver: {@code NV_GPU_CC_DRIVER_<CHIP_INFO>_<driver version>} ({@code GB100} without CHIP_INFO);</li>
 *   <li>VBIOS: {@code NV_GPU_VBIOS_<PROJECT>_<PROJECT_SKU>_<CHIP_SKU>_<VBIOS version without dots, upper case>}.</li>
 * </ul>
 */
public final class RimIds {
    private RimIds() {
    }

    /**
     * The driver RIM id.
     *
     * @param opaque the report's opaque data; must not be {@code null}
     * @param arch the GPU architecture the report was verified for; must not be {@code null}
     * @return the driver RIM id, e.g. {@code NV_GPU_DRIVER_GH100_550.90.07}
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the opaque data has no driver version
     */
    public static String driver(OpaqueData opaque, GpuArchitecture arch) {
        String version = opaque.driverVersion().orElseThrow(() -> missing("DRIVER_VERSION"));
        return switch (arch) {
            case HOPPER -> "NV_GPU_DRIVER_GH100_" + version;
            case BLACKWELL -> "NV_GPU_CC_DRIVER_" + opaque.chipInfo().orElse("GB100").toUpperCase(Locale.ROOT) + "_"
                    + version;
        };
    }

    /**
     * The VBIOS RIM id.
     *
     * @param opaque the report's opaque data; must not be {@code null}
     * @return the VBIOS RIM id in upper case, e.g. {@code NV_GPU_VBIOS_1010_0200_882_96009F0001}
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the opaque data lacks the project, project SKU,
     *     chip SKU or VBIOS version
     */
    public static String vbios(OpaqueData opaque) {
        String project = opaque.project().orElseThrow(() -> missing("PROJECT"));
        String sku = opaque.projectSku().orElseThrow(() -> missing("PROJECT_SKU"));
        String chipSku = opaque.chipSku().orElseThrow(() -> missing("CHIP_SKU"));
        String vbios = opaque.vbiosVersion().orElseThrow(() -> missing("VBIOS_VERSION"));
        return ("NV_GPU_VBIOS_" + project + "_" + sku + "_" + chipSku + "_" + vbios.replace(".", ""))
                .toUpperCase(Locale.ROOT);
    }

    private static AttestationException missing(String field) {
        return new AttestationException(Reason.MALFORMED_EVIDENCE, "the report's opaque data has no " + field
                + ", so its RIM id is unknown");
    }
}
