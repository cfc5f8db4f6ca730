package dev.coco4j.sev.validate;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException.Failure;
import dev.coco4j.core.Reason;
import dev.coco4j.sev.abi.FirmwareVersion;
import dev.coco4j.sev.abi.GuestPolicy;
import dev.coco4j.sev.abi.PlatformInfo;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.abi.TcbVersion;
import dev.coco4j.sev.verify.VerifiedSnpReport;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Applies an {@link SnpPolicy} to a report that {@link dev.coco4j.sev.verify.SnpReportVerifier} has already verified.
 * Checks every requirement and reports all failures at once in one {@link AttestationException}; its primary reason is
 * the first failure's. Reasons: {@link Reason#REPORT_DATA_MISMATCH}, {@link Reason#MEASUREMENT_MISMATCH} and
 * {@link Reason#POLICY_VIOLATION} for everything else. Stateless and thread-safe.
 */
public final class SnpPolicyValidator {
    private SnpPolicyValidator() {
    }

    /**
     * Validates.
     *
     * @param verified a report that passed {@link dev.coco4j.sev.verify.SnpReportVerifier}, not {@code null}
     * @param p the requirements to apply, not {@code null}
     * @return the same verified report, for chaining
     * @throws AttestationException listing every violated requirement, with the reasons named above
     */
    public static VerifiedSnpReport validate(VerifiedSnpReport verified, SnpPolicy p) {
        List<Failure> f = new ArrayList<>();
        SnpReport r = verified.report();
        SnpProduct product = verified.product();
        GuestPolicy gp = r.policy();

        if (gp.debug() && !p.allowDebug) {
            f.add(new Failure(Reason.POLICY_VIOLATION, "the guest policy allows debugging (DEBUG bit set)"));
        }
        equal(f, Reason.REPORT_DATA_MISMATCH, "REPORT_DATA", p.reportData, r.reportData());
        equal(f, Reason.MEASUREMENT_MISMATCH, "MEASUREMENT", p.measurement, r.measurement());
        equal(f, Reason.POLICY_VIOLATION, "HOST_DATA", p.hostData, r.hostData());
        equal(f, Reason.POLICY_VIOLATION, "FAMILY_ID", p.familyId, r.familyId());
        equal(f, Reason.POLICY_VIOLATION, "IMAGE_ID", p.imageId, r.imageId());
        equal(f, Reason.POLICY_VIOLATION, "REPORT_ID", p.reportId, r.reportId());
        equal(f, Reason.POLICY_VIOLATION, "REPORT_ID_MA", p.reportIdMa, r.reportIdMa());
        equal(f, Reason.POLICY_VIOLATION, "CHIP_ID", p.chipId, r.chipId());

        if (p.vmpl != null && r.vmpl() != p.vmpl) {
            violation(f, "VMPL is " + r.vmpl() + ", required " + p.vmpl);
        }
        if (p.minimumGuestSvn != null && r.guestSvn() < p.minimumGuestSvn) {
            violation(f, "GUEST_SVN " + r.guestSvn() + " is below " + p.minimumGuestSvn);
        }
        if (p.minimumTcb != null) {
            TcbVersion reported = r.reportedTcb(product);
            TcbVersion min = TcbVersion.decode(p.minimumTcb.raw(), product);
            if (!reported.isAtLeast(min)) {
                violation(f, "REPORTED_TCB (" + reported + ") is below the minimum (" + min + ")");
            }
        }
        if (p.minimumLaunchTcb != null) {
            TcbVersion launch = r.launchTcb(product);
            TcbVersion min = TcbVersion.decode(p.minimumLaunchTcb.raw(), product);
            if (!launch.isAtLeast(min)) {
                violation(f, "LAUNCH_TCB (" + launch + ") is below the minimum (" + min + ")");
            }
        }
        firmware(f, r, product, p);

        if (!p.allowSmt && gp.smt()) {
            violation(f, "the guest policy allows SMT");
        }
        if (!p.allowMigrationAgent && gp.migrateMa()) {
            violation(f, "the guest policy allows a migration agent");
        }
        if (!p.allowCxl && gp.has(GuestPolicy.CXL_ALLOW)) {
            violation(f, "the guest policy allows CXL");
        }
        requireBit(f, p.requireSingleSocket, gp, GuestPolicy.SINGLE_SOCKET, "SINGLE_SOCKET");
        requireBit(f, p.requireMemAes256Xts, gp, GuestPolicy.MEM_AES_256_XTS, "MEM_AES_256_XTS");
        requireBit(f, p.requireRaplDisabled, gp, GuestPolicy.RAPL_DIS, "RAPL_DIS");
        requireBit(f, p.requireCiphertextHiding, gp, GuestPolicy.CIPHERTEXT_HIDING, "CIPHERTEXT_HIDING");
        requireBit(f, p.requirePageSwapDisabled, gp, GuestPolicy.PAGE_SWAP_DISABLE, "PAGE_SWAP_DISABLE");
        if (p.minimumAbiMajor != null) {
            int have = gp.abiMajor() << 8 | gp.abiMinor();
            int want = p.minimumAbiMajor << 8 | p.minimumAbiMinor;
            if (have < want) {
                violation(f, "the guest policy's ABI " + gp.abiMajor() + "." + gp.abiMinor() + " is below "
                        + p.minimumAbiMajor + "." + p.minimumAbiMinor);
            }
        }

        PlatformInfo pi = r.platformInfo();
        if (!p.platformAllowSmt && pi.has(PlatformInfo.SMT_EN)) {
            violation(f, "the platform has SMT enabled");
        }
        if (!p.platformAllowTsme && pi.has(PlatformInfo.TSME_EN)) {
            violation(f, "the platform has TSME enabled");
        }
        if (p.platformRequireEcc && !pi.has(PlatformInfo.ECC_EN)) {
            violation(f, "the platform does not report ECC memory");
        }
        if (p.platformRequireRaplDisabled && !pi.has(PlatformInfo.RAPL_DIS)) {
            violation(f, "the platform does not have RAPL disabled");
        }
        if (p.platformRequireCiphertextHiding && !pi.has(PlatformInfo.CIPHERTEXT_HIDING_DRAM_EN)) {
            violation(f, "the platform does not have DRAM ciphertext hiding enabled");
        }
        if (p.platformRequireAliasCheckComplete && !pi.has(PlatformInfo.ALIAS_CHECK_COMPLETE)) {
            violation(f, "the platform has not completed the alias check");
        }
        if (!p.platformAllowTio && pi.has(PlatformInfo.SEV_TIO_EN)) {
            violation(f, "the platform has SEV-TIO enabled");
        }

        boolean idBlock = !allZero(r.idKeyDigest());
        if (p.requireIdBlock && !idBlock) {
            violation(f, "the guest was launched without an ID block");
        }
        if (p.requireAuthorKey && !r.signerInfo().authorKeyEnabled()) {
            violation(f, "the guest has no author key");
        }
        if (!p.trustedIdKeyDigests.isEmpty() && !contains(p.trustedIdKeyDigests, r.idKeyDigest())) {
            violation(f, "ID_KEY_DIGEST " + HexFormat.of().formatHex(r.idKeyDigest()) + " is not trusted");
        }
        if (!p.trustedAuthorKeyDigests.isEmpty() && !contains(p.trustedAuthorKeyDigests, r.authorKeyDigest())) {
            violation(f, "AUTHOR_KEY_DIGEST is not trusted");
        }
        mitigation(f, "LAUNCH_MIT_VECTOR", p.minimumLaunchMitigationVector, r, r.launchMitigationVector());
        mitigation(f, "CURRENT_MIT_VECTOR", p.minimumCurrentMitigationVector, r, r.currentMitigationVector());

        if (!f.isEmpty()) {
            throw new AttestationException(f);
        }
        return verified;
    }

    private static void firmware(List<Failure> f, SnpReport r, SnpProduct product, SnpPolicy p) {
        FirmwareVersion cur = r.currentFirmware();
        FirmwareVersion com = r.committedFirmware();
        if (p.minimumBuild != null && (cur.build() < p.minimumBuild || com.build() < p.minimumBuild)) {
            violation(f, "firmware build " + cur.build() + " (committed " + com.build() + ") is below "
                    + p.minimumBuild);
        }
        if (p.minimumVersion != null && (cur.apiVersion() < p.minimumVersion || com.apiVersion() < p.minimumVersion)) {
            violation(f, "firmware version " + cur + " (committed " + com + ") is below "
                    + (p.minimumVersion >> 8) + "." + (p.minimumVersion & 0xff));
        }
        TcbVersion curTcb = r.currentTcb(product);
        TcbVersion comTcb = r.committedTcb(product);
        if (!p.permitProvisionalFirmware) {
            if (curTcb.raw() != comTcb.raw() || !cur.equals(com)) {
                violation(f, "provisional firmware: committed TCB/version differ from current");
            }
        } else if (r.version() >= 3 && !curTcb.isAtLeast(comTcb)) {
            violation(f, "COMMITTED_TCB (" + comTcb + ") exceeds CURRENT_TCB (" + curTcb + ")");
        }
    }

    private static void mitigation(List<Failure> f, String name, Long min, SnpReport r, long have) {
        if (min == null) {
            return;
        }
        if (r.version() < 5) {
            violation(f, name + " is required but a version " + r.version() + " report has none");
        } else if ((have & min) != min) {
            violation(f, String.format("%s 0x%x lacks required bits 0x%x", name, have, min & ~have));
        }
    }

    private static void requireBit(List<Failure> f, boolean required, GuestPolicy gp, long bit, String name) {
        if (required && !gp.has(bit)) {
            violation(f, "the guest policy does not set " + name);
        }
    }

    private static void equal(List<Failure> f, Reason reason, String name, byte[] expected, byte[] actual) {
        if (expected != null && !MessageDigest.isEqual(expected, actual)) {
            f.add(new Failure(reason, name + " is " + HexFormat.of().formatHex(actual) + ", expected "
                    + HexFormat.of().formatHex(expected)));
        }
    }

    private static boolean contains(List<byte[]> list, byte[] v) {
        for (byte[] x : list) {
            if (MessageDigest.isEqual(x, v)) {
                return true;
            }
        }
        return false;
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static void violation(List<Failure> f, String detail) {
        f.add(new Failure(Reason.POLICY_VIOLATION, detail));
    }
}
