package dev.coco4j.gpu.verify;

import dev.coco4j.gpu.abi.GpuAttestationReport;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A GPU report whose signature, device chain (to the trusted root), nonce, FWID binding (when the report carries an
 * FWID) and architecture were checked by {@link GpuReportVerifier}. Only that verifier creates instances on a path
 * that checked everything; OCSP either was checked or {@link #warnings()} says it was not.
 *
 * @param report the parsed report
 * @param chain the device chain as received
 * @param architecture the architecture
 * @param fwidChecked true if the report had an FWID and it matched the leaf's; false if the report had none
 * @param ocspChecked true if every certificate NVIDIA's verifiers check was found good (or tolerated on hold)
 * @param warnings conditions that did not refuse the report
 * @param verifiedAt the verification instant
 */
public record VerifiedGpuReport(GpuAttestationReport report, DeviceCertificateChain chain,
                                GpuArchitecture architecture, boolean fwidChecked, boolean ocspChecked,
                                List<String> warnings, Instant verifiedAt) {
    /** Copies the list. */
    public VerifiedGpuReport {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(verifiedAt, "verifiedAt");
        warnings = List.copyOf(warnings);
    }
}
