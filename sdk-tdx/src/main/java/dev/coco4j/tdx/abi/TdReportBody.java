package dev.coco4j.tdx.abi;

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

    /** A copy of the body bytes. */
    @Override
    public byte[] raw() {
        return raw.clone();
    }

    private byte[] f(int off, int len) {
        return Arrays.copyOfRange(raw, off, off + len);
    }

    /** True for a TDX 1.5 body (648 bytes). */
    public boolean isTdx15() {
        return raw.length == SIZE_1_5;
    }

    /** TEE_TCB_SVN (16 bytes). */
    public byte[] teeTcbSvn() {
        return f(0, 16);
    }

    /** MRSEAM (48). */
    public byte[] mrSeam() {
        return f(16, 48);
    }

    /** MRSIGNERSEAM (48). */
    public byte[] mrSignerSeam() {
        return f(64, 48);
    }

    /** SEAMATTRIBUTES (8 raw bytes). */
    public byte[] seamAttributes() {
        return f(112, 8);
    }

    /** TDATTRIBUTES (8 raw bytes, little-endian). */
    public byte[] tdAttributes() {
        return f(120, 8);
    }

    /** TDATTRIBUTES as a little-endian integer. */
    public long tdAttributesValue() {
        return Bytes.u64(raw, 120);
    }

    /** True if the DEBUG attribute is set. */
    public boolean debug() {
        return (tdAttributesValue() & ATTR_DEBUG) != 0;
    }

    /** XFAM (8 raw bytes). */
    public byte[] xfam() {
        return f(128, 8);
    }

    /** XFAM as a little-endian integer. */
    public long xfamValue() {
        return Bytes.u64(raw, 128);
    }

    /** MRTD (48). */
    public byte[] mrTd() {
        return f(136, 48);
    }

    /** MRCONFIGID (48). */
    public byte[] mrConfigId() {
        return f(184, 48);
    }

    /** MROWNER (48). */
    public byte[] mrOwner() {
        return f(232, 48);
    }

    /** MROWNERCONFIG (48). */
    public byte[] mrOwnerConfig() {
        return f(280, 48);
    }

    /**
     * RTMR{@code index} (48).
     *
     * @throws IllegalArgumentException unless 0 ≤ index ≤ 3
     */
    public byte[] rtmr(int index) {
        if (index < 0 || index > 3) {
            throw new IllegalArgumentException("RTMR index " + index);
        }
        return f(328 + 48 * index, 48);
    }

    /** REPORTDATA (64). */
    public byte[] reportData() {
        return f(520, 64);
    }

    /** TEE_TCB_SVN2 (16), TDX 1.5 bodies only; empty otherwise. */
    public byte[] teeTcbSvn2() {
        return isTdx15() ? f(584, 16) : new byte[0];
    }

    /** MRSERVICETD (48), TDX 1.5 bodies only; empty otherwise. */
    public byte[] mrServiceTd() {
        return isTdx15() ? f(600, 48) : new byte[0];
    }

    /** TEE_TCB_SVN[i] as an unsigned value. */
    public int teeTcbSvn(int i) {
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
