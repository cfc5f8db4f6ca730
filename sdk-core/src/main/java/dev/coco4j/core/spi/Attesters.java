package dev.coco4j.core.spi;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds {@link Attester} implementations through {@link ServiceLoader}. Trustee's non-secure {@code sample} attester is
 * never picked by {@link #detect()} nor {@link #detectAll()}. A GPU ({@link TeeType#NVIDIA_GPU}) is an attested device
 * next to a CPU TEE, never the primary TEE of a key-broker exchange: {@link #detect()} returns CPU TEEs only, and
 * {@link #detectAll()} lists every available attester, GPUs included. {@link #detectionReport()} says what was probed,
 * in order — configfs-tsm providers, then guest device nodes, then NVML GPUs — and why each interface was or was not
 * usable.
 */
public final class Attesters {
    private Attesters() {
    }

    /**
     * Every attester on the module or class path, available or not.
     *
     * @return a new mutable list of the attesters found by {@link java.util.ServiceLoader}, possibly empty
     */
    public static List<Attester> all() {
        List<Attester> out = new ArrayList<>();
        ServiceLoader.load(Attester.class, Attesters.class.getClassLoader()).forEach(out::add);
        return out;
    }

    /**
     * The attester for one TEE, if one is installed (available or not).
     *
     * @param tee the TEE type; not null
     * @return the first installed attester for {@code tee}, or empty if none is installed
     */
    public static Optional<Attester> forTee(TeeType tee) {
        return all().stream().filter(a -> a.teeType() == tee).findFirst();
    }

    /**
     * The attester of the first usable CPU TEE interface, in {@link #detectionReport()} order: configfs-tsm
     * providers first, then guest device nodes (GPU attesters are left to {@link #detectAll()}).
     *
     * @return the selected attester; never null
     * @throws AttestationException with {@link Reason#CONFIGURATION} listing every probe and what it found, if no CPU
     *     TEE interface is usable
     */
    public static Attester detect() {
        DetectionReport report = detectionReport();
        return report.selected().orElseThrow(() -> new AttestationException(Reason.CONFIGURATION,
                report.explain().replace(System.lineSeparator() + "  - ", "; ").replace(":; ", ": ")));
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

    /**
     * Probes every installed attester (except {@code sample}) and reports what it found; never throws.
     *
     * @return the report over every installed attester
     */
    public static DetectionReport detectionReport() {
        return detectionReport(all());
    }

    /**
     * Probes the given attesters in detection order: every {@link DetectionReport.Mechanism#CONFIGFS_TSM} probe
     * before any {@link DetectionReport.Mechanism#DEVICE_NODE} probe, then {@link DetectionReport.Mechanism#NVML},
     * then {@link DetectionReport.Mechanism#OTHER}; within one mechanism, the order given. The attester of the first
     * probe that found a CPU TEE interface is {@linkplain DetectionReport#selected() selected}; GPU probes are listed
     * (and their attesters returned by {@link DetectionReport#devices()}) but never selected. Attesters of
     * {@link TeeType#SAMPLE} are skipped.
     *
     * @param attesters the attesters to probe; not null, not modified
     * @return the report: every probe in detection order, the selected CPU attester if any, and the GPU attesters found
     */
    public static DetectionReport detectionReport(List<Attester> attesters) {
        record Probed(Attester attester, DetectionReport.Probe probe) {
        }
        List<Probed> probed = new ArrayList<>();
        for (Attester a : attesters) {
            if (a.teeType() == TeeType.SAMPLE) {
                continue;
            }
            List<DetectionReport.Probe> ps;
            try {
                ps = a.probes();
            } catch (RuntimeException e) {
                ps = List.of(new DetectionReport.Probe(a.teeType(), DetectionReport.Mechanism.OTHER,
                        a.getClass().getSimpleName(), false, "probe failed: " + e.getClass().getSimpleName()));
            }
            ps.forEach(p -> probed.add(new Probed(a, p)));
        }
        probed.sort(Comparator.comparing(p -> p.probe().mechanism()));
        Optional<Attester> pick = probed.stream().filter(p -> p.probe().found())
                .filter(p -> p.probe().tee() != TeeType.NVIDIA_GPU).map(Probed::attester).findFirst();
        List<Attester> devices = probed.stream().filter(p -> p.probe().found())
                .filter(p -> p.probe().tee() == TeeType.NVIDIA_GPU).map(Probed::attester).distinct().toList();
        return new DetectionReport(probed.stream().map(Probed::probe).toList(), pick, devices);
    }
}
