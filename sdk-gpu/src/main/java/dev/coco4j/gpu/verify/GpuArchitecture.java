package dev.coco4j.gpu.verify;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.util.Locale;

/** The GPU architectures whose confidential-computing evidence this SDK verifies. */
public enum GpuArchitecture {
    /** Hopper (GH100: H100, H200); NVML architecture 9. */
    HOPPER("GH1"),
    /** Blackwell (GB100 family); NVML architecture 10. */
    BLACKWELL("GB1");

    private final String chipPrefix;

    GpuArchitecture(String chipPrefix) {
        this.chipPrefix = chipPrefix;
    }

    /**
     * The architecture named by a device certificate's common name ({@code "GH100 A01 GSP FMC LF"} is Hopper,
     * {@code "GB100 A01 GSP FMC LF"} Blackwell).
     *
     * @param cn the subject common name; case and surrounding white space are ignored; must not be {@code null}
     * @return the architecture whose chip prefix ({@code GH1} or {@code GB1}) the name starts with
     * @throws AttestationException UNSUPPORTED_VERSION for any other chip
     */
    public static GpuArchitecture fromCommonName(String cn) {
        String upper = cn.toUpperCase(Locale.ROOT).strip();
        for (GpuArchitecture a : values()) {
            if (upper.startsWith(a.chipPrefix)) {
                return a;
            }
        }
        throw new AttestationException(Reason.UNSUPPORTED_VERSION, "GPU certificate '" + cn
                + "' names neither a Hopper (GH1xx) nor a Blackwell (GB1xx) chip");
    }

    /**
     * The name NVIDIA's services use ({@code HOPPER}, {@code BLACKWELL}).
     *
     * @return the constant's name, {@code HOPPER} or {@code BLACKWELL}, as NRAS's {@code arch} field expects it
     */
    public String nvidiaName() {
        return name();
    }
}
