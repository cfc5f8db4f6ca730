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
    /**
     * The VCEK DER (SNP) or TD quote (TDX) for this HCL report.
     *
     * @param hclReport the HCL report just read from the vTPM; its report type says which proof is wanted
     * @return the proof bytes, owned by the caller (the attester puts them into the evidence unchanged); never
     *         {@code null}
     * @throws dev.coco4j.core.CocoException a typed error when the proof cannot be obtained, e.g. a
     *         {@code CollateralException} from {@link AzureImds}
     */
    byte[] forReport(HclReport hclReport);

    /**
     * A proof that is always the same bytes (a VCEK cached for this VM, or test data).
     *
     * @param bytes the proof bytes, not {@code null}; copied, and each call of the result returns a fresh copy
     * @return a proof that ignores the HCL report
     * @throws NullPointerException if {@code bytes} is {@code null}
     */
    static HardwareProof of(byte[] bytes) {
        byte[] copy = Objects.requireNonNull(bytes, "bytes").clone();
        return hcl -> copy.clone();
    }
}
