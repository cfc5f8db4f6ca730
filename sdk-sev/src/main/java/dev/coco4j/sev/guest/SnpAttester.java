package dev.coco4j.sev.guest;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.core.tsm.ConfigfsTsm;
import dev.coco4j.core.tsm.TsmReport;
import dev.coco4j.core.tsm.TsmRequest;
import dev.coco4j.sev.abi.SnpCertTable;
import dev.coco4j.sev.abi.SnpReport;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Obtains SEV-SNP evidence inside a guest: {@link Evidence} of {@link TeeType#SNP} whose data is the 1184-byte
 * ATTESTATION_REPORT and whose auxiliary bytes are the GHCB certificate table the host supplied (empty if none).
 *
 * <p>It tries configfs-tsm first ({@link ConfigfsTsm}, provider {@value #PROVIDER}); when configfs-tsm is absent or
 * serves another provider, it falls back to {@code /dev/sev-guest} ({@link SevGuestDevice}, extended report). Either
 * way the report must parse as a {@link SnpReport}, must carry exactly the requested report data (and the requested
 * VMPL when one was set), and a non-empty certificate table must parse as a {@link SnpCertTable}; otherwise nothing is
 * returned. Errors from the chosen path are not hidden by a fallback.
 *
 * <p>Found by {@link java.util.ServiceLoader} through the public no-argument constructor; tests and unusual setups
 * use {@link #builder()} to inject the configfs-tsm client and the device. Thread-safe.
 */
public final class SnpAttester implements Attester {
    /** The configfs-tsm provider name of the SEV-SNP guest driver. */
    public static final String PROVIDER = "sev_guest";

    private final ConfigfsTsm tsm;
    private final SevGuestDevice device;
    private final OptionalInt vmpl;

    /** The attester for the real machine: {@link ConfigfsTsm#system()} and {@code /dev/sev-guest}. */
    public SnpAttester() {
        this(builder());
    }

    private SnpAttester(Builder b) {
        this.tsm = b.tsm != null ? b.tsm : ConfigfsTsm.system();
        this.device = b.device != null ? b.device : new SevGuestDevice();
        this.vmpl = b.vmpl;
    }

    /**
     * A builder starting from the real machine's interfaces.
     *
     * @return a new builder; unset parts default to the real machine's configfs-tsm and {@code /dev/sev-guest}
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public TeeType teeType() {
        return TeeType.SNP;
    }

    @Override
    public boolean isAvailable() {
        return tsm.isAvailable() || device.isAvailable();
    }

    @Override
    public String describeAvailability() {
        return "configfs-tsm at " + tsm.root() + ": " + (tsm.isAvailable() ? "present" : "absent") + "; "
                + device.path() + ": " + (device.isAvailable() ? "present" : "absent");
    }

    /**
     * Obtains a fresh report binding {@code reportData}.
     *
     * @throws AttestationException {@link Reason#CONFIGURATION} listing what was probed if neither interface is
     *     usable; otherwise the typed error of the path taken ({@link Reason#SERVICE_UNAVAILABLE},
     *     {@link Reason#MALFORMED_EVIDENCE}, {@link Reason#REPORT_DATA_MISMATCH}, ...)
     * @throws ConfigurationException if the requested VMPL is below the guest's floor or unsupported
     */
    @Override
    public Evidence attest(ReportData reportData) {
        Objects.requireNonNull(reportData, "reportData");
        String configfsState;
        if (tsm.isAvailable()) {
            TsmRequest.Builder req = TsmRequest.builder().reportData(reportData).expectedProvider(PROVIDER);
            vmpl.ifPresent(req::privlevel);
            try {
                TsmReport r = tsm.generate(req.build());
                return checked(r.outblob(), r.auxblob(), reportData, "configfs-tsm");
            } catch (AttestationException e) {
                // CONFIGURATION from ConfigfsTsm means the environment does not fit (absent, other provider):
                // try the device. Any other failure of the path we could use is reported as is.
                if (e.reason() != Reason.CONFIGURATION) {
                    throw e;
                }
                configfsState = "configfs-tsm at " + tsm.root() + " unusable: " + e.detail();
            }
        } else {
            configfsState = "configfs-tsm not present at " + tsm.root();
        }
        if (!device.isAvailable()) {
            throw new AttestationException(Reason.CONFIGURATION, "no SEV-SNP guest interface: " + configfsState
                    + "; " + device.path() + " not present");
        }
        SevGuestDevice.ExtendedReport r = device.getExtendedReport(reportData, vmpl.orElse(0));
        return checked(r.report(), r.certTable(), reportData, device.path().toString());
    }

    private Evidence checked(byte[] reportBytes, byte[] certTable, ReportData reportData, String source) {
        SnpReport report = SnpReport.parse(reportBytes);
        if (!reportData.matches(report.reportData())) {
            throw new AttestationException(Reason.REPORT_DATA_MISMATCH, "the report from " + source
                    + " carries different report data than requested");
        }
        if (vmpl.isPresent() && report.vmpl() != vmpl.getAsInt()) {
            throw new AttestationException(Reason.POLICY_VIOLATION, "the report from " + source + " is for VMPL "
                    + report.vmpl() + ", requested " + vmpl.getAsInt());
        }
        if (certTable.length > 0) {
            SnpCertTable.parse(certTable);
        }
        return new Evidence(TeeType.SNP, reportBytes, certTable);
    }

    /**
     * Two probes: configfs-tsm (found when its provider is {@value #PROVIDER}) and {@code /dev/sev-guest}.
     */
    @Override
    public java.util.List<dev.coco4j.core.spi.DetectionReport.Probe> probes() {
        boolean devicePresent = device.isAvailable();
        return java.util.List.of(
                tsm.probe(TeeType.SNP, PROVIDER),
                new dev.coco4j.core.spi.DetectionReport.Probe(TeeType.SNP,
                        dev.coco4j.core.spi.DetectionReport.Mechanism.DEVICE_NODE, device.path().toString(),
                        devicePresent, devicePresent ? "present" : "absent"));
    }

    @Override
    public String toString() {
        return "SnpAttester[" + describeAvailability() + "]";
    }

    /** Builds an {@link SnpAttester}. Not thread-safe. */
    public static final class Builder {
        private ConfigfsTsm tsm;
        private SevGuestDevice device;
        private OptionalInt vmpl = OptionalInt.empty();

        private Builder() {
        }

        /**
         * The configfs-tsm client (default {@link ConfigfsTsm#system()}).
         *
         * @param value the configfs-tsm client, not {@code null}; kept, not copied
         * @return this builder
         */
        public Builder configfsTsm(ConfigfsTsm value) {
            this.tsm = Objects.requireNonNull(value, "configfsTsm");
            return this;
        }

        /**
         * The device client (default {@code new SevGuestDevice()}).
         *
         * @param value the {@code /dev/sev-guest} client used as fallback, not {@code null}
         * @return this builder
         */
        public Builder device(SevGuestDevice value) {
            this.device = Objects.requireNonNull(value, "device");
            return this;
        }

        /**
         * The VMPL to request, 0..3. Unset: configfs-tsm uses the kernel's default privlevel and the device VMPL 0,
         * and the report's VMPL is not checked.
         *
         * @param value the VMPL, 0..3
         * @return this builder
         * @throws ConfigurationException if out of range
         */
        public Builder vmpl(int value) {
            if (value < 0 || value > 3) {
                throw new ConfigurationException(Reason.CONFIGURATION, "VMPL must be 0..3, got " + value);
            }
            this.vmpl = OptionalInt.of(value);
            return this;
        }

        /**
         * The attester.
         *
         * @return a new attester; nothing is probed until it is used
         */
        public SnpAttester build() {
            return new SnpAttester(this);
        }
    }
}
