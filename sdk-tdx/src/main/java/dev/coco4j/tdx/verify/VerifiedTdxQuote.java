package dev.coco4j.tdx.verify;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.TeeType;
import dev.coco4j.tdx.abi.TdReportBody;
import dev.coco4j.tdx.abi.TdxQuote;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A TDX quote that {@link TdxQuoteVerifier} verified completely: signatures, chains, CRLs, collateral signatures and
 * windows, QE identity, TCB level. Only the verifier creates these. Policy is the {@code validate} package's job.
 *
 * @param quote the quote
 * @param pck the PCK certificate and its SGX extension
 * @param tcbStatus the converged TCB status (never Revoked: that is refused)
 * @param advisoryIds advisories of the matched TDX TCB level and module level
 * @param tcbDate the matched TDX TCB level's date
 * @param platformStatus the matched platform TCB level's own status
 * @param moduleStatus the TDX module identity level's status, empty for a major-0 module
 * @param qeStatus the QE identity level's status
 * @param tcbEvaluationDataNumber of the TCB Info
 * @param collateralExpiresAt the earliest nextUpdate / notAfter over all collateral and chains
 * @param warnings non-fatal findings
 * @param verifiedAt the verification instant
 */
public record VerifiedTdxQuote(TdxQuote quote, PckCertificate pck, TdxTcbStatus tcbStatus, List<String> advisoryIds,
                               Instant tcbDate, TdxTcbStatus platformStatus, Optional<TdxTcbStatus> moduleStatus,
                               TdxTcbStatus qeStatus, int tcbEvaluationDataNumber, Instant collateralExpiresAt,
                               List<String> warnings, Instant verifiedAt) {

    /** Copies the lists. */
    public VerifiedTdxQuote {
        advisoryIds = List.copyOf(advisoryIds);
        warnings = List.copyOf(warnings);
    }

    /**
     * The TD report body.
     *
     * @return the verified quote's TD report body (immutable), as {@code quote().body()}
     */
    public TdReportBody body() {
        return quote.body();
    }

    /**
     * Verified fields as claims (lower_snake_case, hex for bytes), as the CLI's {@code --json} prints them.
     *
     * @return a new cross-TEE result: the claims above (measurements, PCK and TCB fields; TDX 1.5 fields only for a
     *     1.5 body), the core TCB status, the warnings and the verification instant
     */
    public AttestationResult toAttestationResult() {
        HexFormat h = HexFormat.of();
        TdReportBody b = quote.body();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("version", quote.version());
        c.put("mr_td", h.formatHex(b.mrTd()));
        for (int i = 0; i < 4; i++) {
            c.put("rtmr" + i, h.formatHex(b.rtmr(i)));
        }
        c.put("mr_config_id", h.formatHex(b.mrConfigId()));
        c.put("mr_owner", h.formatHex(b.mrOwner()));
        c.put("mr_owner_config", h.formatHex(b.mrOwnerConfig()));
        c.put("mr_seam", h.formatHex(b.mrSeam()));
        c.put("mr_signer_seam", h.formatHex(b.mrSignerSeam()));
        c.put("seam_attributes", h.formatHex(b.seamAttributes()));
        c.put("td_attributes", h.formatHex(b.tdAttributes()));
        c.put("debug", b.debug());
        c.put("xfam", h.formatHex(b.xfam()));
        c.put("report_data", h.formatHex(b.reportData()));
        c.put("tee_tcb_svn", h.formatHex(b.teeTcbSvn()));
        if (b.isTdx15()) {
            c.put("tee_tcb_svn2", h.formatHex(b.teeTcbSvn2()));
            c.put("mr_service_td", h.formatHex(b.mrServiceTd()));
        }
        c.put("fmspc", h.formatHex(pck.fmspc()));
        c.put("pce_id", h.formatHex(pck.pceId()));
        c.put("pce_svn", pck.pceSvn());
        c.put("pck_ca", pck.caType().name().toLowerCase(Locale.ROOT));
        c.put("qe_svn", quote.signatureData().qeReport().isvSvn());
        c.put("tcb_status", tcbStatus.jsonName());
        c.put("advisory_ids", advisoryIds);
        c.put("tcb_date", tcbDate.toString());
        c.put("tcb_evaluation_data_number", tcbEvaluationDataNumber);
        c.put("collateral_expires_at", collateralExpiresAt.toString());
        return new AttestationResult(TeeType.TDX, c, tcbStatus.toCore(), warnings, verifiedAt);
    }
}
