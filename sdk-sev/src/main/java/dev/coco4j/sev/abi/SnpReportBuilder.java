package dev.coco4j.sev.abi;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
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
            throw new ConfigurationException(Reason.CONFIGURATION, "field at 0x" + Integer.toHexString(off) + " is "
                    + len + " bytes, got " + value.length);
        }
        System.arraycopy(value, 0, buf, off, len);
        return this;
    }

    /**
     * VERSION.
     *
     * @param v the VERSION value; {@link #build()} refuses values outside 2..5
     * @return this builder
     */
    public SnpReportBuilder version(int v) {
        le.putInt(SnpReport.OFF_VERSION, v);
        return this;
    }

    /**
     * GUEST_SVN.
     *
     * @param v the GUEST_SVN value, written as 32 bits
     * @return this builder
     */
    public SnpReportBuilder guestSvn(int v) {
        le.putInt(SnpReport.OFF_GUEST_SVN, v);
        return this;
    }

    /**
     * POLICY.
     *
     * @param v the raw 64-bit guest policy, see {@link GuestPolicy}
     * @return this builder
     */
    public SnpReportBuilder policy(long v) {
        le.putLong(SnpReport.OFF_POLICY, v);
        return this;
    }

    /**
     * FAMILY_ID.
     *
     * @param v exactly 16 bytes, not {@code null}; copied into the buffer
     * @return this builder
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code v} is not 16 bytes long
     */
    public SnpReportBuilder familyId(byte[] v) {
        return put(SnpReport.OFF_FAMILY_ID, v, 16);
    }

    /**
     * IMAGE_ID.
     *
     * @param v exactly 16 bytes, not {@code null}; copied into the buffer
     * @return this builder
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code v} is not 16 bytes long
     */
    public SnpReportBuilder imageId(byte[] v) {
        return put(SnpReport.OFF_IMAGE_ID, v, 16);
    }

    /**
     * VMPL.
     *
     * @param v the VMPL; {@link #build()} refuses values above 3
     * @return this builder
     */
    public SnpReportBuilder vmpl(int v) {
        le.putInt(SnpReport.OFF_VMPL, v);
        return this;
    }

    /**
     * SIGNATURE_ALGO.
     *
     * @param v the SIGNATURE_ALGO code; 1 is ECDSA P-384 with SHA-384, other values are written unchecked
     * @return this builder
     */
    public SnpReportBuilder signatureAlgorithm(int v) {
        le.putInt(SnpReport.OFF_SIG_ALGO, v);
        return this;
    }

    /**
     * CURRENT_TCB.
     *
     * @param v the raw CURRENT_TCB, e.g. {@link TcbVersion#raw()}
     * @return this builder
     */
    public SnpReportBuilder currentTcb(long v) {
        le.putLong(SnpReport.OFF_CURRENT_TCB, v);
        return this;
    }

    /**
     * PLATFORM_INFO.
     *
     * @param v the raw PLATFORM_INFO bits, see {@link PlatformInfo}
     * @return this builder
     */
    public SnpReportBuilder platformInfo(long v) {
        le.putLong(SnpReport.OFF_PLATFORM_INFO, v);
        return this;
    }

    /**
     * Signer info word.
     *
     * @param v the signer info to write, not {@code null}
     * @return this builder
     */
    public SnpReportBuilder signerInfo(SignerInfo v) {
        le.putInt(SnpReport.OFF_SIGNER_INFO, v.raw());
        return this;
    }

    /**
     * REPORT_DATA (64 bytes).
     *
     * @param v exactly 64 bytes, not {@code null}; copied into the buffer
     * @return this builder
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code v} is not 64 bytes long
     */
    public SnpReportBuilder reportData(byte[] v) {
        return put(SnpReport.OFF_REPORT_DATA, v, 64);
    }

    /**
     * MEASUREMENT (48 bytes).
     *
     * @param v exactly 48 bytes, not {@code null}; copied into the buffer
     * @return this builder
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code v} is not 48 bytes long
     */
    public SnpReportBuilder measurement(byte[] v) {
        return put(SnpReport.OFF_MEASUREMENT, v, 48);
    }

    /**
     * HOST_DATA (32 bytes).
     *
     * @param v exactly 32 bytes, not {@code null}; copied into the buffer
     * @return this builder
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code v} is not 32 bytes long
     */
    public SnpReportBuilder hostData(byte[] v) {
        return put(SnpReport.OFF_HOST_DATA, v, 32);
    }

    /**
     * ID_KEY_DIGEST (48 bytes).
     *
     * @param v exactly 48 bytes, not {@code null}; copied into the buffer
     * @return this builder
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code v} is not 48 bytes long
     */
    public SnpReportBuilder idKeyDigest(byte[] v) {
        return put(SnpReport.OFF_ID_KEY_DIGEST, v, 48);
    }

    /**
     * AUTHOR_KEY_DIGEST (48 bytes).
     *
     * @param v exactly 48 bytes, not {@code null}; copied into the buffer
     * @return this builder
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code v} is not 48 bytes long
     */
    public SnpReportBuilder authorKeyDigest(byte[] v) {
        return put(SnpReport.OFF_AUTHOR_KEY_DIGEST, v, 48);
    }

    /**
     * REPORT_ID (32 bytes).
     *
     * @param v exactly 32 bytes, not {@code null}; copied into the buffer
     * @return this builder
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code v} is not 32 bytes long
     */
    public SnpReportBuilder reportId(byte[] v) {
        return put(SnpReport.OFF_REPORT_ID, v, 32);
    }

    /**
     * REPORT_ID_MA (32 bytes).
     *
     * @param v exactly 32 bytes, not {@code null}; copied into the buffer (all 0xFF means no migration agent)
     * @return this builder
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code v} is not 32 bytes long
     */
    public SnpReportBuilder reportIdMa(byte[] v) {
        return put(SnpReport.OFF_REPORT_ID_MA, v, 32);
    }

    /**
     * REPORTED_TCB.
     *
     * @param v the raw REPORTED_TCB, e.g. {@link TcbVersion#raw()}
     * @return this builder
     */
    public SnpReportBuilder reportedTcb(long v) {
        le.putLong(SnpReport.OFF_REPORTED_TCB, v);
        return this;
    }

    /**
     * CPUID family, model and stepping (meaningful in v3+).
     *
     * @param family the CPUID family id; only the low 8 bits are written
     * @param model the CPUID model id; only the low 8 bits are written
     * @param stepping the CPUID stepping; only the low 8 bits are written
     * @return this builder
     */
    public SnpReportBuilder cpuid(int family, int model, int stepping) {
        buf[SnpReport.OFF_CPUID_FAM] = (byte) family;
        buf[SnpReport.OFF_CPUID_MOD] = (byte) model;
        buf[SnpReport.OFF_CPUID_STEP] = (byte) stepping;
        return this;
    }

    /**
     * CHIP_ID (64 bytes).
     *
     * @param v exactly 64 bytes, not {@code null}; copied into the buffer (all zero reads as a masked chip id)
     * @return this builder
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code v} is not 64 bytes long
     */
    public SnpReportBuilder chipId(byte[] v) {
        return put(SnpReport.OFF_CHIP_ID, v, 64);
    }

    /**
     * COMMITTED_TCB.
     *
     * @param v the raw COMMITTED_TCB, e.g. {@link TcbVersion#raw()}
     * @return this builder
     */
    public SnpReportBuilder committedTcb(long v) {
        le.putLong(SnpReport.OFF_COMMITTED_TCB, v);
        return this;
    }

    /**
     * CURRENT firmware version.
     *
     * @param v the firmware version, not {@code null}; each part is written as one byte
     * @return this builder
     */
    public SnpReportBuilder currentFirmware(FirmwareVersion v) {
        buf[SnpReport.OFF_CURRENT_BUILD] = (byte) v.build();
        buf[SnpReport.OFF_CURRENT_BUILD + 1] = (byte) v.minor();
        buf[SnpReport.OFF_CURRENT_BUILD + 2] = (byte) v.major();
        return this;
    }

    /**
     * COMMITTED firmware version.
     *
     * @param v the firmware version, not {@code null}; each part is written as one byte
     * @return this builder
     */
    public SnpReportBuilder committedFirmware(FirmwareVersion v) {
        buf[SnpReport.OFF_COMMITTED_BUILD] = (byte) v.build();
        buf[SnpReport.OFF_COMMITTED_BUILD + 1] = (byte) v.minor();
        buf[SnpReport.OFF_COMMITTED_BUILD + 2] = (byte) v.major();
        return this;
    }

    /**
     * LAUNCH_TCB.
     *
     * @param v the raw LAUNCH_TCB, e.g. {@link TcbVersion#raw()}
     * @return this builder
     */
    public SnpReportBuilder launchTcb(long v) {
        le.putLong(SnpReport.OFF_LAUNCH_TCB, v);
        return this;
    }

    /**
     * LAUNCH_MIT_VECTOR (v5+).
     *
     * @param v the LAUNCH_MIT_VECTOR bits; only read back from version 5 reports
     * @return this builder
     */
    public SnpReportBuilder launchMitigationVector(long v) {
        le.putLong(SnpReport.OFF_LAUNCH_MIT, v);
        return this;
    }

    /**
     * CURRENT_MIT_VECTOR (v5+).
     *
     * @param v the CURRENT_MIT_VECTOR bits; only read back from version 5 reports
     * @return this builder
     */
    public SnpReportBuilder currentMitigationVector(long v) {
        le.putLong(SnpReport.OFF_CURRENT_MIT, v);
        return this;
    }

    /**
     * Sets the signature from 72-byte little-endian R and S and zeroes the rest of the signature area.
     *
     * @param rLittleEndian72 R, exactly 72 bytes little-endian and zero-padded, not {@code null}; copied
     * @param sLittleEndian72 S, exactly 72 bytes little-endian and zero-padded, not {@code null}; copied
     * @return this builder
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if either component is not 72 bytes long
     */
    public SnpReportBuilder signature(byte[] rLittleEndian72, byte[] sLittleEndian72) {
        Arrays.fill(buf, SnpReport.SIGNATURE_OFFSET, SnpReport.SIZE, (byte) 0);
        put(SnpReport.OFF_SIG_R, rLittleEndian72, SnpReport.SIGNATURE_COMPONENT_LENGTH);
        return put(SnpReport.OFF_SIG_S, sLittleEndian72, SnpReport.SIGNATURE_COMPONENT_LENGTH);
    }

    /**
     * The signed prefix as it stands now (a copy), for a simulator to sign.
     *
     * @return a fresh copy of the first 0x2A0 bytes of the buffer
     */
    public byte[] signedBytes() {
        return Arrays.copyOf(buf, SnpReport.SIGNED_LENGTH);
    }

    /**
     * Parses the buffer as a report.
     *
     * @return a new report over a copy of the buffer; later builder calls do not change it
     * @throws dev.coco4j.core.AttestationException as {@link SnpReport#parse(byte[])} does, e.g. {@link
     *     dev.coco4j.core.Reason#UNSUPPORTED_VERSION} for a version outside 2..5
     */
    public SnpReport build() {
        return SnpReport.parse(buf);
    }
}
