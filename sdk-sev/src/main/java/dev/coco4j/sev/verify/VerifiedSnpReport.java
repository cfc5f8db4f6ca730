package dev.coco4j.sev.verify;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.TcbStatus;
import dev.coco4j.core.TeeType;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.abi.TcbVersion;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An SEV-SNP report whose signature, endorsement-key chain to a trusted ARK, signer kind, chip binding and TCB binding
 * have all been checked by {@link SnpReportVerifier}. Only the verifier creates these. Policy (debug, measurement,
 * minimum TCB, ...) is the {@code validate} package's job.
 *
 * @param report the report
 * @param product the product its TCB was decoded for
 * @param endorsementKey the VCEK or VLEK that signed it
 * @param warnings non-fatal findings (e.g. "revocation not checked")
 * @param verifiedAt the instant certificate validity was checked at
 */
public record VerifiedSnpReport(SnpReport report, SnpProduct product, EndorsementKeyCertificate endorsementKey,
                                List<String> warnings, Instant verifiedAt) {

    /** Copies the warnings. */
    public VerifiedSnpReport {
        warnings = List.copyOf(warnings);
    }

    /**
     * REPORTED_TCB decoded for the product.
     *
     * @return the report's REPORTED_TCB decoded under {@link #product()}'s layout
     */
    public TcbVersion reportedTcb() {
        return report.reportedTcb(product);
    }

    /**
     * The verified fields as claims (lower_snake_case, hex for bytes), as the CLI's {@code --json} prints them.
     *
     * @return a new result for {@link TeeType#SNP} with the claims in a fixed order, TCB status {@link
     *     TcbStatus#NOT_APPLICABLE}, this report's warnings and {@link #verifiedAt()}; {@code launch_mit_vector},
     *     {@code current_mit_vector} only for v5 reports and {@code csp_id} only when the key carries a cspID (VLEK)
     */
    public AttestationResult toAttestationResult() {
        HexFormat h = HexFormat.of();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("version", report.version());
        c.put("product", product.kdsName());
        c.put("signer", endorsementKey.kind().name().toLowerCase(java.util.Locale.ROOT));
        c.put("guest_svn", report.guestSvn());
        c.put("policy", String.format("0x%x", report.policy().raw()));
        c.put("debug", report.policy().debug());
        c.put("vmpl", report.vmpl());
        c.put("measurement", h.formatHex(report.measurement()));
        c.put("report_data", h.formatHex(report.reportData()));
        c.put("host_data", h.formatHex(report.hostData()));
        c.put("family_id", h.formatHex(report.familyId()));
        c.put("image_id", h.formatHex(report.imageId()));
        c.put("id_key_digest", h.formatHex(report.idKeyDigest()));
        c.put("author_key_digest", h.formatHex(report.authorKeyDigest()));
        c.put("report_id", h.formatHex(report.reportId()));
        c.put("chip_id", h.formatHex(report.chipId()));
        c.put("platform_info", String.format("0x%x", report.platformInfo().raw()));
        c.put("tcb", reportedTcb().toHex());
        c.put("reported_tcb", reportedTcb().toMap());
        c.put("current_tcb", report.currentTcb(product).toMap());
        c.put("committed_tcb", report.committedTcb(product).toMap());
        c.put("launch_tcb", report.launchTcb(product).toMap());
        c.put("current_firmware", report.currentFirmware().toString());
        c.put("committed_firmware", report.committedFirmware().toString());
        if (report.version() >= 5) {
            c.put("launch_mit_vector", String.format("0x%x", report.launchMitigationVector()));
            c.put("current_mit_vector", String.format("0x%x", report.currentMitigationVector()));
        }
        if (!endorsementKey.cspId().isEmpty()) {
            c.put("csp_id", endorsementKey.cspId());
        }
        return new AttestationResult(TeeType.SNP, c, TcbStatus.NOT_APPLICABLE, warnings, verifiedAt);
    }
}
