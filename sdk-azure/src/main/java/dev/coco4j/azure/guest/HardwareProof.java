package dev.coco4j.azure.guest;

import dev.coco4j.azure.hcl.HclReport;
import java.util.Objects;

/**
 * Supplies the hardware half of Azure vTPM evidence for a freshly read HCL report: the VCEK certificate (DER) for an
 * SNP report, or the TD quote for a TDX TDREPORT. On Azure these come from the instance metadata service (the VCEK
 * from the host's certificate cache, the TD quote from the quoting service fed with the TDREPORT), which
 * {@link AzureImds} calls; implement this interface to supply them some other way (a cached VCEK, test data).
 */
@FunctionalInterface
public interface HardwareProof {
    /** The VCEK DER (SNP) or TD quote (TDX) for this HCL report. */
    byte[] forReport(HclReport hclReport);

    /** A proof that is always the same bytes (a VCEK cached for this VM, or test data). */
    static HardwareProof of(byte[] bytes) {
        byte[] copy = Objects.requireNonNull(bytes, "bytes").clone();
        return hcl -> copy.clone();
    }
}
