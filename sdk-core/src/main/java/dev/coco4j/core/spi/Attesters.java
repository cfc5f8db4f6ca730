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
 * never picked by {@link #detect()} nor {@link #detectAll()}. A GPU ({@link TeeType#NVIDIA_GPU}) is an attested device
 * next to a CPU TEE, never the primary TEE of a key-broker exchange: {@link #detect()} returns CPU TEEs only, and
 * {@link #detectAll()} lists every available attester, GPUs included.
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
     * The first available attester for a real CPU TEE (GPU attesters are left to {@link #detectAll()}).
     *
     * @throws AttestationException with {@link Reason#CONFIGURATION} listing what each installed attester probed, if
     *     none is available
     */
    public static Attester detect() {
        List<Attester> all = all();
        StringBuilder why = new StringBuilder();
        for (Attester a : all) {
            if (a.teeType() == TeeType.SAMPLE || a.teeType() == TeeType.NVIDIA_GPU) {
                continue;
            }
            if (a.isAvailable()) {
                return a;
            }
            why.append(a.teeType().id()).append(": ").append(a.describeAvailability()).append("; ");
        }
        throw new AttestationException(Reason.CONFIGURATION, all.isEmpty()
                ? "no attester installed (add sdk-sev or another TEE module)"
                : "no TEE found: " + why.toString().replaceAll("; $", ""));
    }

    /**
     * Every available attester for a real TEE or device, CPU TEEs first, then GPUs (for composite CPU+GPU evidence).
     * Never the {@code sample} attester.
     *
     * @return the available attesters; empty if there is none
     */
    public static List<Attester> detectAll() {
        List<Attester> cpu = new ArrayList<>();
        List<Attester> devices = new ArrayList<>();
        for (Attester a : all()) {
            if (a.teeType() == TeeType.SAMPLE || !a.isAvailable()) {
                continue;
            }
            (a.teeType() == TeeType.NVIDIA_GPU ? devices : cpu).add(a);
        }
        cpu.addAll(devices);
        return List.copyOf(cpu);
    }
}
