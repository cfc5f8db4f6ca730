package dev.coco4j.core.spi;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Attesters#detect()} probed, in the order it probed, and which attester it picked. Probes are ordered by
 * {@link Mechanism}: every configfs-tsm provider first, then guest device nodes, then NVML GPUs, then anything else;
 * the first probe that found a CPU TEE interface decides. GPUs are attested devices next to a CPU TEE, never the
 * primary TEE: a usable GPU is listed in {@link #devices()}, not selected. Trustee's non-secure {@code sample}
 * attester is never probed.
 *
 * @param probes every probe, in probing order
 * @param selected the picked CPU TEE attester, empty when none was found
 * @param devices the attesters of usable GPUs, for additional evidence
 */
public record DetectionReport(List<Probe> probes, Optional<Attester> selected, List<Attester> devices) {

    /** How a probe looks for a TEE interface; the declaration order is the detection order. */
    public enum Mechanism {
        /** A configfs-tsm report provider ({@code /sys/kernel/config/tsm/report}). */
        CONFIGFS_TSM,
        /** A guest device node ({@code /dev/sev-guest}, {@code /dev/tdx_guest}). */
        DEVICE_NODE,
        /** NVIDIA's management library and a GPU in confidential-computing mode. */
        NVML,
        /** An attester that does not describe its interfaces (availability as it reports it). */
        OTHER
    }

    /**
     * One probe.
     *
     * @param tee the TEE the probed interface would attest
     * @param mechanism how it probed
     * @param target what it probed (a path, a library name)
     * @param found whether the interface is usable for evidence
     * @param detail what it found, or why it is not usable
     */
    public record Probe(dev.coco4j.core.TeeType tee, Mechanism mechanism, String target, boolean found,
                        String detail) {
        /** Checks for nulls. */
        public Probe {
            Objects.requireNonNull(tee, "tee");
            Objects.requireNonNull(mechanism, "mechanism");
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            return tee.id() + " via " + mechanism.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " "
                    + target + ": " + (found ? "found" : "not found") + " (" + detail + ")";
        }
    }

    /** Copies the lists. */
    public DetectionReport {
        probes = List.copyOf(probes);
        Objects.requireNonNull(selected, "selected");
        devices = List.copyOf(devices);
    }

    /**
     * True if a CPU TEE attester was picked.
     *
     * @return true if {@link #selected()} is present
     */
    public boolean found() {
        return selected.isPresent();
    }

    /**
     * Several lines for a person: the pick (or that nothing was found) and then every probe with what it found.
     *
     * @return multi-line text, lines separated by {@link System#lineSeparator()}, with no trailing line break
     */
    public String explain() {
        StringBuilder sb = new StringBuilder();
        if (selected.isPresent()) {
            Probe winner = probes.stream().filter(Probe::found)
                    .filter(p -> p.tee() != dev.coco4j.core.TeeType.NVIDIA_GPU).findFirst().orElseThrow();
            sb.append("picked ").append(winner.tee().id()).append(" (").append(winner).append(')');
        } else if (probes.isEmpty()) {
            sb.append("no TEE found: no attester installed (add sdk-sev, sdk-tdx or sdk-gpu)");
        } else {
            sb.append(devices.isEmpty() ? "no TEE found; probed in order:"
                    : "no TEE found (a GPU is usable, but a GPU is attested next to a CPU TEE, never alone); probed "
                    + "in order:");
        }
        for (Probe p : probes) {
            sb.append(System.lineSeparator()).append("  - ").append(p);
        }
        return sb.toString();
    }
}
