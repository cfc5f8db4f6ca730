package dev.coco4j.sev.abi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Writes SEV-SNP report fields into a 1184-byte buffer: for the simulator, for tests, and for deriving a modified
 * report. {@link #build()} parses the result, so a built report obeys the same rules as a received one. Not
 * thread-safe; {@link SnpReport} itself is immutable.
 */
public final class SnpReportBuilder {
    private final byte[] buf;
    private final ByteBuffer le;

    SnpReportBuilder(byte[] source) {
        this.buf = source.clone();
        this.le = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
    }

    private SnpReportBuilder put(int off, byte[] value, int len) {
        if (value.length != len) {
            throw new IllegalArgumentException("field at 0x" + Integer.toHexString(off) + " is " + len + " bytes, got "
                    + value.length);
        }
        System.arraycopy(value, 0, buf, off, len);
        return this;
    }

    /** VERSION. */
    public SnpReportBuilder version(int v) {
        le.putInt(SnpReport.OFF_VERSION, v);
        return this;
    }

    /** GUEST_SVN. */
    public SnpReportBuilder guestSvn(int v) {
        le.putInt(SnpReport.OFF_GUEST_SVN, v);
        return this;
    }

    /** POLICY. */
    public SnpReportBuilder policy(long v) {
        le.putLong(SnpReport.OFF_POLICY, v);
        return this;
    }

    /** FAMILY_ID. */
    public SnpReportBuilder familyId(byte[] v) {
        return put(SnpReport.OFF_FAMILY_ID, v, 16);
    }

    /** IMAGE_ID. */
    public SnpReportBuilder imageId(byte[] v) {
        return put(SnpReport.OFF_IMAGE_ID, v, 16);
    }

    /** VMPL. */
    public SnpReportBuilder vmpl(int v) {
        le.putInt(SnpReport.OFF_VMPL, v);
        return this;
    }

    /** SIGNATURE_ALGO. */
    public SnpReportBuilder signatureAlgorithm(int v) {
        le.putInt(SnpReport.OFF_SIG_ALGO, v);
        return this;
    }

    /** CURRENT_TCB. */
    public SnpReportBuilder currentTcb(long v) {
        le.putLong(SnpReport.OFF_CURRENT_TCB, v);
        return this;
    }

    /** PLATFORM_INFO. */
    public SnpReportBuilder platformInfo(long v) {
        le.putLong(SnpReport.OFF_PLATFORM_INFO, v);
        return this;
    }

    /** Signer info word. */
    public SnpReportBuilder signerInfo(SignerInfo v) {
        le.putInt(SnpReport.OFF_SIGNER_INFO, v.raw());
        return this;
    }

    /** REPORT_DATA (64 bytes). */
    public SnpReportBuilder reportData(byte[] v) {
        return put(SnpReport.OFF_REPORT_DATA, v, 64);
    }

    /** MEASUREMENT (48 bytes). */
    public SnpReportBuilder measurement(byte[] v) {
        return put(SnpReport.OFF_MEASUREMENT, v, 48);
    }

    /** HOST_DATA (32 bytes). */
    public SnpReportBuilder hostData(byte[] v) {
        return put(SnpReport.OFF_HOST_DATA, v, 32);
    }

    /** ID_KEY_DIGEST (48 bytes). */
    public SnpReportBuilder idKeyDigest(byte[] v) {
        return put(SnpReport.OFF_ID_KEY_DIGEST, v, 48);
    }

    /** AUTHOR_KEY_DIGEST (48 bytes). */
    public SnpReportBuilder authorKeyDigest(byte[] v) {
        return put(SnpReport.OFF_AUTHOR_KEY_DIGEST, v, 48);
    }

    /** REPORT_ID (32 bytes). */
    public SnpReportBuilder reportId(byte[] v) {
        return put(SnpReport.OFF_REPORT_ID, v, 32);
    }

    /** REPORT_ID_MA (32 bytes). */
    public SnpReportBuilder reportIdMa(byte[] v) {
        return put(SnpReport.OFF_REPORT_ID_MA, v, 32);
    }

    /** REPORTED_TCB. */
    public SnpReportBuilder reportedTcb(long v) {
        le.putLong(SnpReport.OFF_REPORTED_TCB, v);
        return this;
    }

    /** CPUID family, model and stepping (meaningful in v3+). */
    public SnpReportBuilder cpuid(int family, int model, int stepping) {
        buf[SnpReport.OFF_CPUID_FAM] = (byte) family;
        buf[SnpReport.OFF_CPUID_MOD] = (byte) model;
        buf[SnpReport.OFF_CPUID_STEP] = (byte) stepping;
        return this;
    }

    /** CHIP_ID (64 bytes). */
    public SnpReportBuilder chipId(byte[] v) {
        return put(SnpReport.OFF_CHIP_ID, v, 64);
    }

    /** COMMITTED_TCB. */
    public SnpReportBuilder committedTcb(long v) {
        le.putLong(SnpReport.OFF_COMMITTED_TCB, v);
        return this;
    }

    /** CURRENT firmware version. */
    public SnpReportBuilder currentFirmware(FirmwareVersion v) {
        buf[SnpReport.OFF_CURRENT_BUILD] = (byte) v.build();
        buf[SnpReport.OFF_CURRENT_BUILD + 1] = (byte) v.minor();
        buf[SnpReport.OFF_CURRENT_BUILD + 2] = (byte) v.major();
        return this;
    }

    /** COMMITTED firmware version. */
    public SnpReportBuilder committedFirmware(FirmwareVersion v) {
        buf[SnpReport.OFF_COMMITTED_BUILD] = (byte) v.build();
        buf[SnpReport.OFF_COMMITTED_BUILD + 1] = (byte) v.minor();
        buf[SnpReport.OFF_COMMITTED_BUILD + 2] = (byte) v.major();
        return this;
    }

    /** LAUNCH_TCB. */
    public SnpReportBuilder launchTcb(long v) {
        le.putLong(SnpReport.OFF_LAUNCH_TCB, v);
        return this;
    }

    /** LAUNCH_MIT_VECTOR (v5+). */
    public SnpReportBuilder launchMitigationVector(long v) {
        le.putLong(SnpReport.OFF_LAUNCH_MIT, v);
        return this;
    }

    /** CURRENT_MIT_VECTOR (v5+). */
    public SnpReportBuilder currentMitigationVector(long v) {
        le.putLong(SnpReport.OFF_CURRENT_MIT, v);
        return this;
    }

    /** Sets the signature from 72-byte little-endian R and S and zeroes the rest of the signature area. */
    public SnpReportBuilder signature(byte[] rLittleEndian72, byte[] sLittleEndian72) {
        Arrays.fill(buf, SnpReport.SIGNATURE_OFFSET, SnpReport.SIZE, (byte) 0);
        put(SnpReport.OFF_SIG_R, rLittleEndian72, SnpReport.SIGNATURE_COMPONENT_LENGTH);
        return put(SnpReport.OFF_SIG_S, sLittleEndian72, SnpReport.SIGNATURE_COMPONENT_LENGTH);
    }

    /** The signed prefix as it stands now (a copy), for a simulator to sign. */
    public byte[] signedBytes() {
        return Arrays.copyOf(buf, SnpReport.SIGNED_LENGTH);
    }

    /** Parses the buffer as a report. */
    public SnpReport build() {
        return SnpReport.parse(buf);
    }
}
