package dev.coco4j.core.spi;

import dev.coco4j.core.ReportData;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * TEE-independent options for a {@link Verifier}: the clock that certificate and collateral validity are checked
 * against, offline mode, the expected report data, and whether debug guests are acceptable. Immutable; build with
 * {@link #builder()}. TEE modules offer richer, TEE-specific options on their own verifier classes.
 */
public final class VerificationOptions {
    private final Clock clock;
    private final boolean offline;
    private final ReportData expectedReportData;
    private final boolean allowDebug;

    private VerificationOptions(Builder b) {
        this.clock = b.clock;
        this.offline = b.offline;
        this.expectedReportData = b.expectedReportData;
        this.allowDebug = b.allowDebug;
    }

    /**
     * Defaults: system UTC clock, online, no report-data requirement, debug refused.
     *
     * @return options with the defaults
     */
    public static VerificationOptions defaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The clock validity windows are checked against.
     *
     * @return the clock; never null
     */
    public Clock clock() {
        return clock;
    }

    /**
     * True if no network access is allowed; missing collateral is then {@code COLLATERAL_UNAVAILABLE}.
     *
     * @return true if verifiers must use only preloaded or cached collateral
     */
    public boolean offline() {
        return offline;
    }

    /**
     * The report data the evidence must carry, if the caller requires one.
     *
     * @return the required report data, or empty if any report data is accepted
     */
    public Optional<ReportData> expectedReportData() {
        return Optional.ofNullable(expectedReportData);
    }

    /**
     * True if guests with debugging enabled are acceptable (never by default).
     *
     * @return true if debug-enabled guests pass verification
     */
    public boolean allowDebug() {
        return allowDebug;
    }

    /** Builder for {@link VerificationOptions}. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private boolean offline;
        private ReportData expectedReportData;
        private boolean allowDebug;

        private Builder() {
        }

        /**
         * Sets the clock (default: system UTC).
         *
         * @param clock the clock for validity checks; not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Forbids network access.
         *
         * @param offline true to forbid network access
         * @return this builder
         */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * Requires this report data.
         *
         * @param reportData the report data the evidence must carry, or null to require none
         * @return this builder
         */
        public Builder expectedReportData(ReportData reportData) {
            this.expectedReportData = reportData;
            return this;
        }

        /**
         * Accepts debug guests.
         *
         * @param allowDebug true to accept guests with debugging enabled
         * @return this builder
         */
        public Builder allowDebug(boolean allowDebug) {
            this.allowDebug = allowDebug;
            return this;
        }

        /**
         * Builds the immutable options.
         *
         * @return new options; later builder changes do not affect them
         */
        public VerificationOptions build() {
            return new VerificationOptions(this);
        }
    }
}
