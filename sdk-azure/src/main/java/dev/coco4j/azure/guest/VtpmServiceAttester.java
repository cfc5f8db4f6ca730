package dev.coco4j.azure.guest;

import dev.coco4j.core.Evidence;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.core.spi.DetectionReport;
import java.util.List;

/**
 * What the two Azure vTPM {@link Attester} services share: one {@link VtpmProbe} for their TEE, which answers the
 * detection calls and collects evidence. The public subclasses only choose the TEE.
 */
abstract sealed class VtpmServiceAttester implements Attester permits AzSnpVtpmAttester, AzTdxVtpmAttester {
    private final VtpmProbe probe;

    VtpmServiceAttester(VtpmProbe probe) {
        this.probe = probe;
    }

    @Override
    public TeeType teeType() {
        return probe.tee();
    }

    /** True if the probe finds an HCL report of this attester's kind in the vTPM. */
    @Override
    public boolean isAvailable() {
        return probe.isAvailable();
    }

    @Override
    public String describeAvailability() {
        return probe.describeAvailability();
    }

    /** One device-node probe: the TPM device and the HCL report NV index. */
    @Override
    public List<DetectionReport.Probe> probes() {
        return probe.probes();
    }

    /**
     * Collects this attester's Azure vTPM evidence (see {@link AzVtpmAttester#attest}).
     *
     * @throws dev.coco4j.core.AttestationException {@code CONFIGURATION} if the TPM device does not exist;
     *     otherwise as {@link AzVtpmAttester#attest}
     */
    @Override
    public Evidence attest(ReportData reportData) {
        return probe.attest(reportData);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + describeAvailability() + "]";
    }
}
