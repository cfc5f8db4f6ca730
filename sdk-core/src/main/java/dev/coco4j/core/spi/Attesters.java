package dev.coco4j.core.spi;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds {@link Attester} implementations through {@link ServiceLoader}. Trustee's non-secure {@code sample} attester is
 * never picked by {@link #detect()}.
 */
public final class Attesters {
    private Attesters() {
    }

    /** Every attester on the module or class path, available or not. */
    public static List<Attester> all() {
        List<Attester> out = new ArrayList<>();
        ServiceLoader.load(Attester.class, Attesters.class.getClassLoader()).forEach(out::add);
        return out;
    }

    /** The attester for one TEE, if one is installed (available or not). */
    public static Optional<Attester> forTee(TeeType tee) {
        return all().stream().filter(a -> a.teeType() == tee).findFirst();
    }

    /**
     * The first available attester for a real TEE, preferring a CPU TEE: a GPU attester ({@link TeeType#NVIDIA_GPU})
     * is returned only when no CPU TEE's attester is available (a GPU's evidence is additional to the CPU's).
     *
     * @throws AttestationException with {@link Reason#CONFIGURATION} listing what each installed attester probed, if
     *     none is available
     */
    public static Attester detect() {
        List<Attester> all = all();
        StringBuilder why = new StringBuilder();
        Attester gpu = null;
        for (Attester a : all) {
            if (a.teeType() == TeeType.SAMPLE) {
                continue;
            }
            if (a.isAvailable()) {
                if (a.teeType() != TeeType.NVIDIA_GPU) {
                    return a;
                }
                gpu = gpu == null ? a : gpu;
                continue;
            }
            why.append(a.teeType().id()).append(": ").append(a.describeAvailability()).append("; ");
        }
        if (gpu != null) {
            return gpu;
        }
        throw new AttestationException(Reason.CONFIGURATION, all.isEmpty()
                ? "no attester installed (add sdk-sev or another TEE module)"
                : "no TEE found: " + why.toString().replaceAll("; $", ""));
    }
}
