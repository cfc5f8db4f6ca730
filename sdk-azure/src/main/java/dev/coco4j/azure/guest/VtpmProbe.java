package dev.coco4j.azure.guest;

import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.Tpm2;
import dev.coco4j.azure.tpm.TpmDeviceTransport;
import dev.coco4j.azure.tpm.TpmTransport;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.DetectionReport;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The shared body of the SPI attesters {@link AzSnpVtpmAttester} and {@link AzTdxVtpmAttester}: the detection probe
 * (the TPM device exists and opens, and its HCL report NV index holds an HCL report of the matching type) and the
 * lazily built {@link AzVtpmAttester} that collects the evidence. Thread-safe.
 */
final class VtpmProbe {
    private final TeeType tee;
    private final HclReport.ReportType type;
    private final Supplier<TpmTransport> transport;
    private final BooleanSupplier deviceExists;
    private final String device;
    private final HardwareProof proof;
    private volatile AzVtpmAttester delegate;

    VtpmProbe(TeeType tee, Supplier<TpmTransport> transport, BooleanSupplier deviceExists, String device,
              HardwareProof proof) {
        this.tee = tee;
        this.type = tee == TeeType.AZ_TDX_VTPM ? HclReport.ReportType.TDX : HclReport.ReportType.SNP;
        this.transport = Objects.requireNonNull(transport, "transport");
        this.deviceExists = Objects.requireNonNull(deviceExists, "deviceExists");
        this.device = Objects.requireNonNull(device, "device");
        this.proof = proof;
    }

    /** The real machine: {@code /dev/tpmrm0}, hardware proof from Azure IMDS (built on first use). */
    static VtpmProbe system(TeeType tee) {
        return new VtpmProbe(tee, () -> TpmDeviceTransport.open(TpmDeviceTransport.DEFAULT_DEVICE),
                () -> Files.exists(TpmDeviceTransport.DEFAULT_DEVICE), TpmDeviceTransport.DEFAULT_DEVICE.toString(),
                null);
    }

    TeeType tee() {
        return tee;
    }

    /** What the probe looked at: the device and the HCL report NV index. */
    String target() {
        return device + " NV " + AzVtpmAttester.HCL_REPORT_INDEX_HEX;
    }

    /** One device-node probe; never throws. */
    DetectionReport.Probe probe() {
        String detail;
        boolean found = false;
        try {
            detail = look();
            found = detail == null;
        } catch (RuntimeException e) {
            detail = "probe failed: " + e.getClass().getSimpleName();
        }
        return new DetectionReport.Probe(tee, DetectionReport.Mechanism.DEVICE_NODE, target(), found,
                found ? "HCL report with an " + type + " report: Azure confidential VM" : detail);
    }

    List<DetectionReport.Probe> probes() {
        return List.of(probe());
    }

    boolean isAvailable() {
        return probe().found();
    }

    String describeAvailability() {
        DetectionReport.Probe p = probe();
        return p.target() + ": " + p.detail();
    }

    /** Null when usable, else why not. */
    private String look() {
        if (!deviceExists.getAsBoolean()) {
            return "no " + device;
        }
        TpmTransport t;
        try {
            t = transport.get();
        } catch (RuntimeException e) {
            return "cannot open " + device + " (permissions?): " + message(e);
        }
        byte[] bytes;
        try (Tpm2 tpm = new Tpm2(t)) {
            if (tpm.nvSize(AzVtpmAttester.HCL_REPORT_INDEX) < 0) {
                return "no HCL report at NV " + AzVtpmAttester.HCL_REPORT_INDEX_HEX + ": not an Azure confidential VM";
            }
            bytes = tpm.nvRead(AzVtpmAttester.HCL_REPORT_INDEX);
        } catch (RuntimeException e) {
            return "cannot read NV " + AzVtpmAttester.HCL_REPORT_INDEX_HEX + ": " + message(e);
        }
        HclReport hcl;
        try {
            hcl = HclReport.parse(bytes);
        } catch (RuntimeException e) {
            return "NV " + AzVtpmAttester.HCL_REPORT_INDEX_HEX + " holds no valid HCL report: " + message(e);
        }
        if (hcl.reportType() != type) {
            return "HCL report is " + hcl.reportType() + ", not " + type;
        }
        return null;
    }

    private static String message(RuntimeException e) {
        return e instanceof CocoException c ? c.detail() : e.getClass().getSimpleName();
    }

    /** Collects evidence through the {@link AzVtpmAttester} for this TEE. */
    Evidence attest(ReportData reportData) {
        Objects.requireNonNull(reportData, "reportData");
        if (!deviceExists.getAsBoolean()) {
            throw new AttestationException(Reason.CONFIGURATION, "no Azure vTPM interface: no " + device);
        }
        return delegate().attest(reportData);
    }

    private AzVtpmAttester delegate() {
        AzVtpmAttester d = delegate;
        if (d == null) {
            synchronized (this) {
                d = delegate;
                if (d == null) {
                    AzVtpmAttester.Builder b = AzVtpmAttester.builder().tee(tee).transport(transport);
                    if (proof != null) {
                        b.hardwareProof(proof);
                    }
                    d = b.build();
                    delegate = d;
                }
            }
        }
        return d;
    }
}
