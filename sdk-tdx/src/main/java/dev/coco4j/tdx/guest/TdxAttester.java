package dev.coco4j.tdx.guest;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.core.tsm.ConfigfsTsm;
import dev.coco4j.core.tsm.TsmReport;
import dev.coco4j.core.tsm.TsmRequest;
import dev.coco4j.tdx.abi.TdxQuote;
import java.util.Arrays;
import java.util.Objects;

/**
 * Obtains TDX evidence inside a guest: {@link Evidence} of {@link TeeType#TDX} whose data is a DCAP quote (v4 or v5)
 * and whose auxiliary bytes are empty.
 *
 * <p>The quote comes from configfs-tsm ({@link ConfigfsTsm}, provider {@value #PROVIDER}): the kernel asks the host's
 * quote generation service through the VMM. The quote must parse as a {@link TdxQuote} and carry exactly the
 * requested REPORTDATA; bytes after its signature data (some kernels hand out a padded buffer) are cut off. The
 * device {@code /dev/tdx_guest} ({@link TdxGuestDevice}) only gives a local, MAC'd TDREPORT, not a quote, so it is
 * not a fallback; when configfs-tsm is missing, {@link #attest} says what was probed.
 *
 * <p>Found by {@link java.util.ServiceLoader} through the public no-argument constructor; tests use
 * {@link #builder()} to inject the configfs-tsm client and the device. Thread-safe.
 */
public final class TdxAttester implements Attester {
    /** The configfs-tsm provider name of the TDX guest driver. */
    public static final String PROVIDER = "tdx_guest";

    private final ConfigfsTsm tsm;
    private final TdxGuestDevice device;

    /** The attester for the real machine: {@link ConfigfsTsm#system()} and {@code /dev/tdx_guest}. */
    public TdxAttester() {
        this(builder());
    }

    private TdxAttester(Builder b) {
        this.tsm = b.tsm != null ? b.tsm : ConfigfsTsm.system();
        this.device = b.device != null ? b.device : new TdxGuestDevice();
    }

    /**
     * A builder starting from the real machine's interfaces.
     *
     * @return a new builder; unset values default to {@link ConfigfsTsm#system()} and {@code /dev/tdx_guest}
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public TeeType teeType() {
        return TeeType.TDX;
    }

    /** True if configfs-tsm is present (its provider is checked when a quote is requested). */
    @Override
    public boolean isAvailable() {
        return tsm.isAvailable();
    }

    @Override
    public String describeAvailability() {
        return "configfs-tsm at " + tsm.root() + ": " + (tsm.isAvailable() ? "present" : "absent") + "; "
                + device.path() + ": " + (device.isAvailable() ? "present (TDREPORT only, no quotes)" : "absent");
    }

    /**
     * Obtains a fresh quote binding {@code reportData}.
     *
     * @throws AttestationException {@link Reason#CONFIGURATION} if configfs-tsm is absent or serves another provider;
     *     otherwise the typed error of the request ({@link Reason#SERVICE_UNAVAILABLE},
     *     {@link Reason#MALFORMED_EVIDENCE}, {@link Reason#UNSUPPORTED_VERSION}, {@link Reason#REPORT_DATA_MISMATCH})
     */
    @Override
    public Evidence attest(ReportData reportData) {
        Objects.requireNonNull(reportData, "reportData");
        if (!tsm.isAvailable()) {
            throw new AttestationException(Reason.CONFIGURATION, "no TDX quote interface: configfs-tsm not present at "
                    + tsm.root() + "; " + device.path() + (device.isAvailable()
                    ? " is present but gives only a local TDREPORT, not a quote" : " not present"));
        }
        TsmReport r = tsm.generate(TsmRequest.builder().reportData(reportData).expectedProvider(PROVIDER).build());
        byte[] outblob = r.outblob();
        TdxQuote q = TdxQuote.parse(outblob);
        if (!reportData.matches(q.body().reportData())) {
            throw new AttestationException(Reason.REPORT_DATA_MISMATCH, "the quote from configfs-tsm carries "
                    + "different REPORTDATA than requested");
        }
        return new Evidence(TeeType.TDX, Arrays.copyOf(outblob, outblob.length - q.trailingBytes()), new byte[0]);
    }

    /**
     * Two probes: configfs-tsm (found when its provider is {@value #PROVIDER}) and {@code /dev/tdx_guest} (never
     * found: it gives a local TDREPORT, not a quote).
     */
    @Override
    public java.util.List<dev.coco4j.core.spi.DetectionReport.Probe> probes() {
        boolean devicePresent = device.isAvailable();
        return java.util.List.of(
                tsm.probe(TeeType.TDX, PROVIDER),
                new dev.coco4j.core.spi.DetectionReport.Probe(TeeType.TDX,
                        dev.coco4j.core.spi.DetectionReport.Mechanism.DEVICE_NODE, device.path().toString(),
                        false, devicePresent ? "present, but gives only a local TDREPORT, not a quote" : "absent"));
    }

    @Override
    public String toString() {
        return "TdxAttester[" + describeAvailability() + "]";
    }

    /** Builds a {@link TdxAttester}. Not thread-safe. */
    public static final class Builder {
        private ConfigfsTsm tsm;
        private TdxGuestDevice device;

        private Builder() {
        }

        /**
         * The configfs-tsm client (default {@link ConfigfsTsm#system()}).
         *
         * @param value the configfs-tsm client quotes are requested from, not null
         * @return this builder
         */
        public Builder configfsTsm(ConfigfsTsm value) {
            this.tsm = Objects.requireNonNull(value, "configfsTsm");
            return this;
        }

        /**
         * The device client, consulted only to describe the machine (default {@code new TdxGuestDevice()}).
         *
         * @param value the {@code /dev/tdx_guest} client, not null; only its path and presence are reported, it is
         *     never asked for a report
         * @return this builder
         */
        public Builder device(TdxGuestDevice value) {
            this.device = Objects.requireNonNull(value, "device");
            return this;
        }

        /**
         * The attester.
         *
         * @return a new attester with this builder's values; the builder can be reused
         */
        public TdxAttester build() {
            return new TdxAttester(this);
        }
    }
}
