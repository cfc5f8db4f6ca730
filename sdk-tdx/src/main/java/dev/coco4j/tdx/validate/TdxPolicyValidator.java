package dev.coco4j.tdx.validate;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException.Failure;
import dev.coco4j.core.Reason;
import dev.coco4j.tdx.abi.TdReportBody;
import dev.coco4j.tdx.verify.TdxTcbStatus;
import dev.coco4j.tdx.verify.VerifiedTdxQuote;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Applies a {@link TdxPolicy} to a quote {@link dev.coco4j.tdx.verify.TdxQuoteVerifier} has verified. Checks every
 * requirement and reports all failures at once; the primary reason is the first failure's. Reasons:
 * {@link Reason#REPORT_DATA_MISMATCH}, {@link Reason#MEASUREMENT_MISMATCH} (MRTD, RTMRs, MRCONFIGID, MROWNER,
 * MROWNERCONFIG, MRSEAM, MRSIGNERSEAM), {@link Reason#TCB_STATUS_REJECTED}, and {@link Reason#POLICY_VIOLATION} for
 * the rest. Stateless and thread-safe.
 */
public final class TdxPolicyValidator {
    private TdxPolicyValidator() {
    }

    /**
     * Validates.
     *
     * @param v a quote that {@link dev.coco4j.tdx.verify.TdxQuoteVerifier} has verified, not null
     * @param p the policy to apply, not null
     * @return the verified quote with warnings added (SWHardeningNeeded and any other accepted non-UpToDate status,
     *     with advisory IDs)
     * @throws AttestationException listing every violated requirement
     */
    public static VerifiedTdxQuote validate(VerifiedTdxQuote v, TdxPolicy p) {
        List<Failure> f = new ArrayList<>();
        TdReportBody b = v.body();
        if (b.debug() && !p.allowDebug) {
            f.add(new Failure(Reason.POLICY_VIOLATION, "the TD has the DEBUG attribute"));
        }
        if (p.reportData != null && !MessageDigest.isEqual(p.reportData, b.reportData())) {
            f.add(new Failure(Reason.REPORT_DATA_MISMATCH, "REPORTDATA " + hex(b.reportData())
                    + " is not the expected value"));
        }
        oneOf(f, "MRTD", p.mrTd, b.mrTd());
        for (int i = 0; i < 4; i++) {
            oneOf(f, "RTMR" + i, p.rtmr.get(i), b.rtmr(i));
        }
        oneOf(f, "MRCONFIGID", p.mrConfigId, b.mrConfigId());
        oneOf(f, "MROWNER", p.mrOwner, b.mrOwner());
        oneOf(f, "MROWNERCONFIG", p.mrOwnerConfig, b.mrOwnerConfig());
        oneOf(f, "MRSEAM", p.mrSeam, b.mrSeam());
        oneOf(f, "MRSIGNERSEAM", p.mrSignerSeam, b.mrSignerSeam());
        if (p.tdAttributes != null && (b.tdAttributesValue() & p.tdAttributesMask) != p.tdAttributes) {
            f.add(new Failure(Reason.POLICY_VIOLATION, String.format("TDATTRIBUTES 0x%016x & mask 0x%016x is not "
                    + "0x%016x", b.tdAttributesValue(), p.tdAttributesMask, p.tdAttributes)));
        }
        if (p.xfam != null && (b.xfamValue() & p.xfamMask) != p.xfam) {
            f.add(new Failure(Reason.POLICY_VIOLATION, String.format("XFAM 0x%016x & mask 0x%016x is not 0x%016x",
                    b.xfamValue(), p.xfamMask, p.xfam)));
        }
        if (p.minimumTeeTcbSvn != null) {
            for (int i = 0; i < 16; i++) {
                if (b.teeTcbSvn(i) < (p.minimumTeeTcbSvn[i] & 0xff)) {
                    f.add(new Failure(Reason.POLICY_VIOLATION, "TEE_TCB_SVN " + hex(b.teeTcbSvn())
                            + " is below the minimum " + hex(p.minimumTeeTcbSvn) + " at byte " + i));
                    break;
                }
            }
        }
        if (p.minimumTcbDate != null && v.tcbDate().isBefore(p.minimumTcbDate)) {
            f.add(new Failure(Reason.POLICY_VIOLATION, "the TCB date " + v.tcbDate() + " is before the minimum "
                    + p.minimumTcbDate));
        }
        TdxTcbStatus s = v.tcbStatus();
        if (s == TdxTcbStatus.REVOKED || !p.acceptedStatuses.contains(s)) {
            f.add(new Failure(Reason.TCB_STATUS_REJECTED, "TCB status " + s.jsonName() + " is not accepted"
                    + advisories(v)));
        }
        if (!f.isEmpty()) {
            throw new AttestationException(f);
        }
        if (s == TdxTcbStatus.UP_TO_DATE) {
            return v;
        }
        List<String> w = new ArrayList<>(v.warnings());
        w.add("TCB status " + s.jsonName() + advisories(v));
        return new VerifiedTdxQuote(v.quote(), v.pck(), v.tcbStatus(), v.advisoryIds(), v.tcbDate(),
                v.platformStatus(), v.moduleStatus(), v.qeStatus(), v.tcbEvaluationDataNumber(),
                v.collateralExpiresAt(), w, v.verifiedAt());
    }

    private static String advisories(VerifiedTdxQuote v) {
        return v.advisoryIds().isEmpty() ? "" : " (advisories " + String.join(", ", v.advisoryIds()) + ")";
    }

    private static void oneOf(List<Failure> f, String name, List<byte[]> options, byte[] actual) {
        if (!options.isEmpty() && !TdxPolicy.anyEqual(options, actual)) {
            f.add(new Failure(Reason.MEASUREMENT_MISMATCH, name + " " + hex(actual) + " is not an accepted value"));
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
