package dev.coco4j.gpu.validate;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a relying party accepts from a verified GPU. Immutable; build with {@link #builder()}. Secure defaults
 * ({@link #defaults()}): any driver and VBIOS version, but every measurement must match the driver and VBIOS RIMs
 * (RIMs required), non-zero measurements that no RIM covers are refused, OCSP is required, certificateHold is not
 * tolerated.
 *
 * @param acceptedDriverVersions driver versions accepted; empty means any
 * @param acceptedVbiosVersions VBIOS versions accepted (compared case-insensitively); empty means any
 * @param requireRims if false the RIM comparison is skipped and a warning says so (CLI {@code --no-rim})
 * @param allowUnknownMeasurements if true, non-zero measurements without a golden value are tolerated
 * @param ocspRequired if true, evidence whose certificates were not OCSP-checked is refused
 * @param allowCertificateHold if true, certificateHold is a warning instead of REVOKED
 */
public record GpuPolicy(Set<String> acceptedDriverVersions, Set<String> acceptedVbiosVersions, boolean requireRims,
                        boolean allowUnknownMeasurements, boolean ocspRequired, boolean allowCertificateHold) {
    /** Copies the sets (VBIOS versions upper-cased). */
    public GpuPolicy {
        acceptedDriverVersions = Set.copyOf(acceptedDriverVersions);
        TreeSet<String> v = new TreeSet<>();
        acceptedVbiosVersions.forEach(s -> v.add(s.toUpperCase(Locale.ROOT)));
        acceptedVbiosVersions = Set.copyOf(v);
    }

    /**
     * The secure defaults.
     *
     * @return a new policy with the defaults of the class documentation
     */
    public static GpuPolicy defaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder holding the defaults; no versions accepted yet (meaning any)
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder starting from this policy.
     *
     * @return a new builder holding this policy's values; changing it does not change this policy
     */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.drivers.addAll(acceptedDriverVersions);
        b.vbios.addAll(acceptedVbiosVersions);
        b.requireRims = requireRims;
        b.allowUnknownMeasurements = allowUnknownMeasurements;
        b.ocspRequired = ocspRequired;
        b.allowCertificateHold = allowCertificateHold;
        return b;
    }

    /** Builder for {@link GpuPolicy}. */
    public static final class Builder {
        private final Set<String> drivers = new TreeSet<>();
        private final Set<String> vbios = new TreeSet<>();
        private boolean requireRims = true;
        private boolean allowUnknownMeasurements;
        private boolean ocspRequired = true;
        private boolean allowCertificateHold;

        private Builder() {
        }

        /**
         * Accepts only the workload's GPU driver and VBIOS versions.
         *
         * @param workload the workload's reference values; must not be {@code null} and must have a GPU part; its
         *     versions are added to those already accepted
         * @return this builder
         * @throws dev.coco4j.core.ConfigurationException if the workload has no GPU values
         */
        public Builder referenceValues(dev.coco4j.core.reference.WorkloadReference workload) {
            var gpu = java.util.Objects.requireNonNull(workload, "workload").requireGpu();
            gpu.driverVersions().forEach(this::acceptDriverVersion);
            gpu.vbiosVersions().forEach(this::acceptVbiosVersion);
            return this;
        }

        /**
         * Accept this driver version (call repeatedly; none means any).
         *
         * @param version the exact driver version string, e.g. {@code 550.90.07}; must not be {@code null}
         * @return this builder
         */
        public Builder acceptDriverVersion(String version) {
            drivers.add(version);
            return this;
        }

        /**
         * Accept this VBIOS version (call repeatedly; none means any).
         *
         * @param version the VBIOS version, e.g. {@code 96.00.9F.00.01}; any case (it is upper-cased); must not be
         *     {@code null}
         * @return this builder
         */
        public Builder acceptVbiosVersion(String version) {
            vbios.add(version.toUpperCase(Locale.ROOT));
            return this;
        }

        /**
         * Whether RIM comparison is required (default true).
         *
         * @param require {@code true} to compare every measurement with the RIMs, {@code false} to skip that with a
         *     warning
         * @return this builder
         */
        public Builder requireRims(boolean require) {
            this.requireRims = require;
            return this;
        }

        /**
         * Whether uncovered non-zero measurements are tolerated (default false).
         *
         * @param allow {@code true} to accept non-zero measurements no RIM covers (with a warning), {@code false} to
         *     refuse them
         * @return this builder
         */
        public Builder allowUnknownMeasurements(boolean allow) {
            this.allowUnknownMeasurements = allow;
            return this;
        }

        /**
         * Whether OCSP must have been checked (default true).
         *
         * @param required {@code true} to refuse online evidence whose certificates were not OCSP-checked
         * @return this builder
         */
        public Builder ocspRequired(boolean required) {
            this.ocspRequired = required;
            return this;
        }

        /**
         * Whether certificateHold is tolerated with a warning (default false).
         *
         * @param allow {@code true} to turn an OCSP {@code certificateHold} into a warning, {@code false} to treat it
         *     as revoked
         * @return this builder
         */
        public Builder allowCertificateHold(boolean allow) {
            this.allowCertificateHold = allow;
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return a new immutable policy with copies of the accepted version sets; the builder can be reused
         */
        public GpuPolicy build() {
            return new GpuPolicy(drivers, vbios, requireRims, allowUnknownMeasurements, ocspRequired,
                    allowCertificateHold);
        }
    }
}
