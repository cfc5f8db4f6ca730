package dev.coco4j.core.tsm;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;

/**
 * What to ask configfs-tsm for: the {@code inblob} (at most 64 bytes, which the kernel zero-pads into the report-data
 * field), optionally a {@code privlevel} (0..3; for SNP the VMPL), optionally an SVSM service request
 * ({@code service_provider}, {@code service_guid}, {@code service_manifest_version}), and optionally the provider the
 * caller expects ({@code sev_guest}, {@code tdx_guest}). Immutable; the array is copied in and out.
 *
 * @param inblob the bytes written to {@code inblob}, 1..64 long (an empty write might not reach the kernel)
 * @param privlevel the privilege level written to {@code privlevel}, or empty to leave the kernel default
 * @param serviceProvider the value written to {@code service_provider} (e.g. {@code svsm}), or empty
 * @param serviceGuid the value written to {@code service_guid}, or empty; needs a service provider
 * @param serviceManifestVersion the value written to {@code service_manifest_version}, or empty; needs a service
 *     provider
 * @param expectedProvider the provider the entry must report, or empty to accept any
 */
public record TsmRequest(byte[] inblob, OptionalInt privlevel, Optional<String> serviceProvider,
        Optional<UUID> serviceGuid, OptionalInt serviceManifestVersion, Optional<String> expectedProvider) {

    /** Largest {@code inblob} the kernel accepts. */
    public static final int MAX_INBLOB = 64;
    /** Largest {@code privlevel} (TSM_REPORT_PRIVLEVEL_MAX). */
    public static final int MAX_PRIVLEVEL = 3;

    /**
     * Validates and copies.
     *
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if {@code inblob} is empty or longer than 64
     *     bytes, the privilege level is outside 0..3, the manifest version is negative, a service provider is blank
     *     or has line breaks, or a service GUID or manifest version is given without a service provider
     */
    public TsmRequest {
        Objects.requireNonNull(inblob, "inblob");
        Objects.requireNonNull(privlevel, "privlevel");
        Objects.requireNonNull(serviceProvider, "serviceProvider");
        Objects.requireNonNull(serviceGuid, "serviceGuid");
        Objects.requireNonNull(serviceManifestVersion, "serviceManifestVersion");
        Objects.requireNonNull(expectedProvider, "expectedProvider");
        if (inblob.length > MAX_INBLOB) {
            throw misuse("inblob is at most " + MAX_INBLOB + " bytes, got " + inblob.length);
        }
        if (inblob.length == 0) {
            // A zero-length write may never reach the kernel, so generation would not advance and the race check
            // could not tell a clean run from a raced one.
            throw misuse("inblob needs at least one byte (use ReportData.zero() for an all-zero nonce)");
        }
        inblob = inblob.clone();
        if (privlevel.isPresent() && (privlevel.getAsInt() < 0 || privlevel.getAsInt() > MAX_PRIVLEVEL)) {
            throw misuse("privlevel must be 0.." + MAX_PRIVLEVEL + ", got " + privlevel.getAsInt());
        }
        if (serviceProvider.isPresent() && !isToken(serviceProvider.get())) {
            throw misuse("service_provider must be a non-blank single-line value");
        }
        if (serviceManifestVersion.isPresent() && serviceManifestVersion.getAsInt() < 0) {
            throw misuse("service_manifest_version must not be negative, got " + serviceManifestVersion.getAsInt());
        }
        if (serviceProvider.isEmpty() && (serviceGuid.isPresent() || serviceManifestVersion.isPresent())) {
            throw misuse("service_guid and service_manifest_version need a service_provider");
        }
        if (expectedProvider.isPresent() && !isToken(expectedProvider.get())) {
            throw misuse("expected provider must be a non-blank single-line value");
        }
    }

    /**
     * A request carrying report data as {@code inblob} and nothing else.
     *
     * @param reportData the 64 bytes written to {@code inblob}; not null
     * @return a request without optional attributes or expected provider
     */
    public static TsmRequest of(ReportData reportData) {
        return builder().inblob(reportData.toByteArray()).build();
    }

    /**
     * A builder with no optional attributes; {@link Builder#inblob} or {@link Builder#reportData} must be set.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return a copy of the bytes written to {@code inblob}, 1..64 long (an empty write might not reach the kernel)}
     */
    @Override
    public byte[] inblob() {
        return inblob.clone();
    }

    /**
     * The number of input attributes this request writes (each write bumps {@code generation} once).
     *
     * @return 1 for {@code inblob} plus one per optional attribute present, so 1 to 5
     */
    public int inputWrites() {
        return 1 + (privlevel.isPresent() ? 1 : 0) + (serviceProvider.isPresent() ? 1 : 0)
                + (serviceGuid.isPresent() ? 1 : 0) + (serviceManifestVersion.isPresent() ? 1 : 0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TsmRequest r && Arrays.equals(r.inblob, inblob) && r.privlevel.equals(privlevel)
                && r.serviceProvider.equals(serviceProvider) && r.serviceGuid.equals(serviceGuid)
                && r.serviceManifestVersion.equals(serviceManifestVersion)
                && r.expectedProvider.equals(expectedProvider);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(inblob), privlevel, serviceProvider, serviceGuid, serviceManifestVersion,
                expectedProvider);
    }

    @Override
    public String toString() {
        return "TsmRequest[inblob=" + HexFormat.of().formatHex(inblob) + ", privlevel=" + privlevel
                + ", serviceProvider=" + serviceProvider + ", serviceGuid=" + serviceGuid
                + ", serviceManifestVersion=" + serviceManifestVersion + ", expectedProvider=" + expectedProvider
                + "]";
    }

    private static boolean isToken(String s) {
        return !s.isBlank() && s.indexOf('\n') < 0 && s.indexOf('\r') < 0 && s.strip().equals(s);
    }

    private static ConfigurationException misuse(String detail) {
        return new ConfigurationException(Reason.CONFIGURATION, detail);
    }

    /** Builds a {@link TsmRequest}; {@link #build()} validates. Not thread-safe. */
    public static final class Builder {
        private byte[] inblob = new byte[0];
        private OptionalInt privlevel = OptionalInt.empty();
        private Optional<String> serviceProvider = Optional.empty();
        private Optional<UUID> serviceGuid = Optional.empty();
        private OptionalInt serviceManifestVersion = OptionalInt.empty();
        private Optional<String> expectedProvider = Optional.empty();

        private Builder() {
        }

        /**
         * The {@code inblob} bytes (1..64; copied).
         *
         * @param value 1 to 64 bytes (checked by {@link #build()}); not null, copied
         * @return this builder
         */
        public Builder inblob(byte[] value) {
            this.inblob = Objects.requireNonNull(value, "inblob").clone();
            return this;
        }

        /**
         * The report data as {@code inblob}.
         *
         * @param value the report data; not null; all 64 bytes are written
         * @return this builder
         */
        public Builder reportData(ReportData value) {
            return inblob(value.toByteArray());
        }

        /**
         * The {@code privlevel} to request (0..3).
         *
         * @param value the privilege level, 0 to 3 (checked by {@link #build()})
         * @return this builder
         */
        public Builder privlevel(int value) {
            this.privlevel = OptionalInt.of(value);
            return this;
        }

        /**
         * The {@code service_provider} to request (e.g. {@code svsm}).
         *
         * @param value the service provider name; not null, non-blank, single line (checked by {@link #build()})
         * @return this builder
         */
        public Builder serviceProvider(String value) {
            this.serviceProvider = Optional.of(value);
            return this;
        }

        /**
         * The {@code service_guid} to request.
         *
         * @param value the service GUID; not null; needs a service provider
         * @return this builder
         */
        public Builder serviceGuid(UUID value) {
            this.serviceGuid = Optional.of(value);
            return this;
        }

        /**
         * The {@code service_manifest_version} to request.
         *
         * @param value the manifest version, not negative; needs a service provider
         * @return this builder
         */
        public Builder serviceManifestVersion(int value) {
            this.serviceManifestVersion = OptionalInt.of(value);
            return this;
        }

        /**
         * The provider the entry must report ({@code sev_guest}, {@code tdx_guest}); otherwise any is accepted.
         *
         * @param value the expected provider name; not null, non-blank, single line
         * @return this builder
         */
        public Builder expectedProvider(String value) {
            this.expectedProvider = Optional.of(value);
            return this;
        }

        /**
         * The request.
         *
         * @return the validated, immutable request
         * @throws ConfigurationException if a value is out of range (see {@link TsmRequest#TsmRequest})
         */
        public TsmRequest build() {
            return new TsmRequest(inblob, privlevel, serviceProvider, serviceGuid, serviceManifestVersion,
                    expectedProvider);
        }
    }
}
