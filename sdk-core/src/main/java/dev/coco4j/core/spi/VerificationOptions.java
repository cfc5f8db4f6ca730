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

    /** Defaults: system UTC clock, online, no report-data requirement, debug refused. */
    public static VerificationOptions defaults() {
        return builder().build();
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The clock validity windows are checked against. */
    public Clock clock() {
        return clock;
    }

    /** True if no network access is allowed; missing collateral is then {@code COLLATERAL_UNAVAILABLE}. */
    public boolean offline() {
        return offline;
    }

    /** The report data the evidence must carry, if the caller requires one. */
    public Optional<ReportData> expectedReportData() {
        return Optional.ofNullable(expectedReportData);
    }

    /** True if guests with debugging enabled are acceptable (never by default). */
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

        /** Sets the clock (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** Forbids network access. */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /** Requires this report data. */
        public Builder expectedReportData(ReportData reportData) {
            this.expectedReportData = reportData;
            return this;
        }

        /** Accepts debug guests. */
        public Builder allowDebug(boolean allowDebug) {
            this.allowDebug = allowDebug;
            return this;
        }

        /** Builds the immutable options. */
        public VerificationOptions build() {
            return new VerificationOptions(this);
        }
    }
}
