package dev.coco4j.gpu.nras;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.gpu.abi.GpuAttestationReport;
import java.util.Objects;

/**
 * One GPU's entry of an NRAS request's {@code evidence_list}: the raw attestation report (request followed by
 * response, as NVML returns it) and the device certificate chain as PEM text, leaf first.
 *
 * @param report the raw report bytes
 * @param certificateChainPem the PEM chain bytes
 */
public record NrasEvidence(byte[] report, byte[] certificateChainPem) {
    /**
     * Copies the arrays.
     *
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if either is empty or the report is longer than
     *     NVML's buffer
     */
    public NrasEvidence {
        report = Objects.requireNonNull(report, "report").clone();
        certificateChainPem = Objects.requireNonNull(certificateChainPem, "certificateChainPem").clone();
        if (report.length == 0 || report.length > GpuAttestationReport.MAX_LENGTH) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "GPU report of " + report.length
                    + " bytes, expected 1.." + GpuAttestationReport.MAX_LENGTH);
        }
        if (certificateChainPem.length == 0) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "empty GPU certificate chain");
        }
    }

    /**
     * A copy of the raw report bytes.
     *
     * @return a fresh copy of the raw report bytes
     */
    @Override
    public byte[] report() {
        return report.clone();
    }

    /**
     * A copy of the PEM chain bytes.
     *
     * @return a fresh copy of the PEM chain bytes
     */
    @Override
    public byte[] certificateChainPem() {
        return certificateChainPem.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NrasEvidence e && java.util.Arrays.equals(e.report, report)
                && java.util.Arrays.equals(e.certificateChainPem, certificateChainPem);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Arrays.hashCode(report) + java.util.Arrays.hashCode(certificateChainPem);
    }

    @Override
    public String toString() {
        return "NrasEvidence[report=" + report.length + " bytes, certificateChainPem=" + certificateChainPem.length
                + " bytes]";
    }
}
