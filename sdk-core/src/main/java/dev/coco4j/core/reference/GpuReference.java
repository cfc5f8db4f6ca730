package dev.coco4j.core.reference;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Expected NVIDIA GPU versions of one workload: evidence is acceptable only with one of the listed driver versions and
 * one of the listed VBIOS versions (as the GPU report states them, e.g. {@code 535.86.10}, {@code 96.00.5e.00.01}).
 *
 * @param driverVersions accepted driver versions, at least one
 * @param vbiosVersions accepted VBIOS versions, at least one
 */
public record GpuReference(Set<String> driverVersions, Set<String> vbiosVersions) {

    /**
     * Checks the sets.
     *
     * @throws ConfigurationException if a set is empty or holds a blank version
     */
    public GpuReference {
        driverVersions = versions("gpu.driver_versions", driverVersions);
        vbiosVersions = versions("gpu.vbios_versions", vbiosVersions);
    }

    private static Set<String> versions(String field, Set<String> in) {
        Objects.requireNonNull(in, field);
        if (in.isEmpty()) {
            throw new ConfigurationException(Reason.CONFIGURATION, field + " must list at least one version");
        }
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String v : in) {
            if (v == null || v.isBlank()) {
                throw new ConfigurationException(Reason.CONFIGURATION, field + " holds an empty version");
            }
            out.add(v.trim());
        }
        return Collections.unmodifiableSet(out);
    }
}
