package dev.coco4j.tdx.abi;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.util.Arrays;

/**
 * A TD report body as carried in a quote: TDX 1.0 (584 bytes) or TDX 1.5 (648 bytes, quote v5 body type 3).
 * Integers are little-endian; measurements are raw bytes in file order. Immutable: accessors return copies.
 *
 * <pre>
 * off  len  field
 *   0   16  TEE_TCB_SVN   [0] module minor SVN, [1] module major version, [2] late microcode update SVN
 *  16   48  MRSEAM
 *  64   48  MRSIGNERSEAM  (zero for Intel-signed modules)
 * 112    8  SEAMATTRIBUTES
 * 120    8  TDATTRIBUTES  bit 0 DEBUG, 28 SEPT_VE_DISABLE, 29 MIGRATABLE, 30 PKS, 31 KL, 62 TPA, 63 PERFMON
 * 128    8  XFAM
 * 136   48  MRTD
 * 184   48  MRCONFIGID
 * 232   48  MROWNER
 * 280   48  MROWNERCONFIG
 * 328  192  RTMR0..RTMR3 (48 each)
 * 520   64  REPORTDATA
 * --- TDX 1.5 only ---
 * 584   16  TEE_TCB_SVN2
 * 600   48  MRSERVICETD
 * </pre>
 *
 * @param raw the 584 or 648 body bytes
 */
public record TdReportBody(byte[] raw) {
    /** Size of a TDX 1.0 body. */
    public static final int SIZE_1_0 = 584;
    /** Size of a TDX 1.5 body. */
    public static final int SIZE_1_5 = 648;
    /** TDATTRIBUTES bit 0: the TD is debuggable. */
    public static final long ATTR_DEBUG = 1L;
    /** TDATTRIBUTES bit 28: EPT violation #VE disabled. */
    public static final long ATTR_SEPT_VE_DISABLE = 1L << 28;
    /** TDATTRIBUTES bit 29: migratable. */
    public static final long ATTR_MIGRATABLE = 1L << 29;
    /** TDATTRIBUTES bit 30: protection keys. */
    public static final long ATTR_PKS = 1L << 30;
    /** TDATTRIBUTES bit 31: key locker. */
    public static final long ATTR_KL = 1L << 31;
    /** TDATTRIBUTES bit 63: performance monitoring. */
    public static final long ATTR_PERFMON = 1L << 63;

    /** Copies and checks the length. */
    public TdReportBody {
        if (raw == null || (raw.length != SIZE_1_0 && raw.length != SIZE_1_5)) {
            throw Bytes.malformed("a TD report body is 584 or 648 bytes, got "
                    + (raw == null ? "null" : raw.length));
        }
        raw = raw.clone();
    }

    /**
     * A copy of the body bytes.
     *
     * @return a new copy of the body bytes, 584 (TDX 1.0) or 648 (TDX 1.5) long
     */
    @Override
    public byte[] raw() {
        return raw.clone();
    }

    private byte[] f(int off, int len) {
        return Arrays.copyOfRange(raw, off, off + len);
    }

    /**
     * True for a TDX 1.5 body (648 bytes).
     *
     * @return {@code true} for a 648-byte TDX 1.5 body, {@code false} for a 584-byte TDX 1.0 body
     */
    public boolean isTdx15() {
        return raw.length == SIZE_1_5;
    }

    /**
     * TEE_TCB_SVN (16 bytes).
     *
     * @return a new 16-byte copy of TEE_TCB_SVN (offset 0); see {@link #teeTcbSvn(int)} for single bytes
     */
    public byte[] teeTcbSvn() {
        return f(0, 16);
    }

    /**
     * MRSEAM (48).
     *
     * @return a new 48-byte copy of MRSEAM (offset 16), the TDX module measurement
     */
    public byte[] mrSeam() {
        return f(16, 48);
    }

    /**
     * MRSIGNERSEAM (48).
     *
     * @return a new 48-byte copy of MRSIGNERSEAM (offset 64); all zero for an Intel-signed module
     */
    public byte[] mrSignerSeam() {
        return f(64, 48);
    }

    /**
     * SEAMATTRIBUTES (8 raw bytes).
     *
     * @return a new 8-byte copy of SEAMATTRIBUTES (offset 112)
     */
    public byte[] seamAttributes() {
        return f(112, 8);
    }

    /**
     * TDATTRIBUTES (8 raw bytes, little-endian).
     *
     * @return a new 8-byte copy of TDATTRIBUTES (offset 120); {@link #tdAttributesValue()} gives it as a number
     */
    public byte[] tdAttributes() {
        return f(120, 8);
    }

    /**
     * TDATTRIBUTES as a little-endian integer.
     *
     * @return TDATTRIBUTES as a 64-bit mask; test it with the {@code ATTR_*} constants (bit 63 makes it negative)
     */
    public long tdAttributesValue() {
        return Bytes.u64(raw, 120);
    }

    /**
     * True if the DEBUG attribute is set.
     *
     * @return {@code true} if bit 0 ({@link #ATTR_DEBUG}) is set, meaning the host can read the TD's memory
     */
    public boolean debug() {
        return (tdAttributesValue() & ATTR_DEBUG) != 0;
    }

    /**
     * XFAM (8 raw bytes).
     *
     * @return a new 8-byte copy of XFAM (offset 128); {@link #xfamValue()} gives it as a number
     */
    public byte[] xfam() {
        return f(128, 8);
    }

    /**
     * XFAM as a little-endian integer.
     *
     * @return XFAM as a 64-bit mask of the extended features the TD may use
     */
    public long xfamValue() {
        return Bytes.u64(raw, 128);
    }

    /**
     * MRTD (48).
     *
     * @return a new 48-byte copy of MRTD (offset 136), the measurement of the initial TD contents
     */
    public byte[] mrTd() {
        return f(136, 48);
    }

    /**
     * MRCONFIGID (48).
     *
     * @return a new 48-byte copy of MRCONFIGID (offset 184)
     */
    public byte[] mrConfigId() {
        return f(184, 48);
    }

    /**
     * MROWNER (48).
     *
     * @return a new 48-byte copy of MROWNER (offset 232)
     */
    public byte[] mrOwner() {
        return f(232, 48);
    }

    /**
     * MROWNERCONFIG (48).
     *
     * @return a new 48-byte copy of MROWNERCONFIG (offset 280)
     */
    public byte[] mrOwnerConfig() {
        return f(280, 48);
    }

    /**
     * RTMR{@code index} (48).
     *
     * @param index which runtime measurement register, 0 to 3
     * @return a new 48-byte copy of RTMR{@code index} (offset 328 + 48 × index)
     * @throws IllegalArgumentException unless 0 ≤ index ≤ 3
     */
    public byte[] rtmr(int index) {
        if (index < 0 || index > 3) {
            throw new IllegalArgumentException("RTMR index " + index);
        }
        return f(328 + 48 * index, 48);
    }

    /**
     * REPORTDATA (64).
     *
     * @return a new 64-byte copy of REPORTDATA (offset 520), the data the TD bound into the quote
     */
    public byte[] reportData() {
        return f(520, 64);
    }

    /**
     * TEE_TCB_SVN2 (16), TDX 1.5 bodies only; empty otherwise.
     *
     * @return a new 16-byte copy of TEE_TCB_SVN2 (offset 584) for a TDX 1.5 body; an empty array for TDX 1.0
     */
    public byte[] teeTcbSvn2() {
        return isTdx15() ? f(584, 16) : new byte[0];
    }

    /**
     * MRSERVICETD (48), TDX 1.5 bodies only; empty otherwise.
     *
     * @return a new 48-byte copy of MRSERVICETD (offset 600) for a TDX 1.5 body; an empty array for TDX 1.0
     */
    public byte[] mrServiceTd() {
        return isTdx15() ? f(600, 48) : new byte[0];
    }

    /**
     * TEE_TCB_SVN[i] as an unsigned value.
     *
     * @param i the byte index into TEE_TCB_SVN, 0 to 15
     * @return byte {@code i} of TEE_TCB_SVN as an unsigned value, 0 to 255
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code i} is outside 0 to 15
     */
    public int teeTcbSvn(int i) {
        if (i < 0 || i >= 16) {
            throw new ConfigurationException(Reason.CONFIGURATION, "TEE_TCB_SVN has 16 bytes, index " + i);
        }
        return raw[i] & 0xff;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TdReportBody b && Arrays.equals(raw, b.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "TdReportBody[" + raw.length + " bytes]";
    }
}
