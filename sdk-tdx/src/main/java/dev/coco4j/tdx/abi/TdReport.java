package dev.coco4j.tdx.abi;

import java.util.Arrays;

/**
 * A TDREPORT_STRUCT (1024 bytes), as {@code TDX_CMD_GET_REPORT0} returns it. It is MAC'd for the local platform, not
 * signed: never accept one as remote evidence; the quoting enclave turns it into a {@link TdxQuote}. Immutable.
 *
 * <pre>
 * off   len  field
 * REPORTMACSTRUCT (256)
 *    0    4  REPORTTYPE
 *    4   12  reserved
 *   16   16  CPUSVN
 *   32   48  TEE_TCB_INFO_HASH
 *   80   48  TEE_INFO_HASH
 *  128   64  REPORTDATA
 *  192   32  reserved
 *  224   32  MAC
 * TEE_TCB_INFO (239)
 *  256    8  VALID
 *  264   16  TEE_TCB_SVN
 *  280   48  MRSEAM
 *  328   48  MRSIGNERSEAM
 *  376    8  ATTRIBUTES (SEAM)
 *  384   16  TEE_TCB_SVN2 (TDX 1.5)
 *  400   95  reserved
 *  495   17  reserved
 * TDINFO (512)
 *  512    8  ATTRIBUTES (TD)
 *  520    8  XFAM
 *  528   48  MRTD
 *  576   48  MRCONFIGID
 *  624   48  MROWNER
 *  672   48  MROWNERCONFIG
 *  720  192  RTMR0..3
 *  912   48  SERVTD_HASH (TDX 1.5)
 *  960   64  reserved
 * </pre>
 *
 * @param raw the 1024 bytes
 */
public record TdReport(byte[] raw) {
    /** Size in bytes. */
    public static final int SIZE = 1024;

    /**
     * Copies and checks the length. The report type byte is exposed by {@link #reportType()}, not enforced: the
     * MAC, not the parser, is what makes a TDREPORT meaningful, and only on its own platform.
     *
     * @throws dev.coco4j.core.AttestationException MALFORMED_EVIDENCE unless it is 1024 bytes
     */
    public TdReport {
        raw = Bytes.exact(raw, SIZE, "a TDREPORT");
    }

    /**
     * Parses a TDREPORT.
     *
     * @param bytes the TDREPORT_STRUCT as the kernel returned it; must be exactly 1024 bytes, not null; it is copied
     * @return the report, holding its own copy of the bytes
     * @throws dev.coco4j.core.AttestationException {@code MALFORMED_EVIDENCE} if {@code bytes} is null or not 1024
     *     bytes
     */
    public static TdReport parse(byte[] bytes) {
        return new TdReport(bytes);
    }

    /** {@return a copy of the 1024 bytes} */
    @Override
    public byte[] raw() {
        return raw.clone();
    }

    private byte[] f(int off, int len) {
        return Arrays.copyOfRange(raw, off, off + len);
    }

    /**
     * REPORTTYPE (4): type, subtype, version, reserved.
     *
     * @return a new 4-byte copy of REPORTTYPE (offset 0); byte 0 is {@code 0x81} for TDX, but this is not checked
     */
    public byte[] reportType() {
        return f(0, 4);
    }

    /**
     * CPUSVN (16).
     *
     * @return a new 16-byte copy of CPUSVN (offset 16)
     */
    public byte[] cpuSvn() {
        return f(16, 16);
    }

    /**
     * TEE_TCB_INFO_HASH (48).
     *
     * @return a new 48-byte copy of TEE_TCB_INFO_HASH (offset 32), the SHA-384 of the TEE_TCB_INFO
     */
    public byte[] teeTcbInfoHash() {
        return f(32, 48);
    }

    /**
     * TEE_INFO_HASH (48).
     *
     * @return a new 48-byte copy of TEE_INFO_HASH (offset 80), the SHA-384 of the TDINFO
     */
    public byte[] teeInfoHash() {
        return f(80, 48);
    }

    /**
     * REPORTDATA (64).
     *
     * @return a new 64-byte copy of REPORTDATA (offset 128), the caller's data bound into the report
     */
    public byte[] reportData() {
        return f(128, 64);
    }

    /**
     * MAC (32).
     *
     * @return a new 32-byte copy of the MAC (offset 224); only the platform that produced the report can check it
     */
    public byte[] mac() {
        return f(224, 32);
    }

    /**
     * TEE_TCB_SVN (16).
     *
     * @return a new 16-byte copy of TEE_TCB_SVN (offset 264)
     */
    public byte[] teeTcbSvn() {
        return f(264, 16);
    }

    /**
     * MRSEAM (48).
     *
     * @return a new 48-byte copy of MRSEAM (offset 280), the TDX module measurement
     */
    public byte[] mrSeam() {
        return f(280, 48);
    }

    /**
     * MRSIGNERSEAM (48).
     *
     * @return a new 48-byte copy of MRSIGNERSEAM (offset 328); all zero for an Intel-signed module
     */
    public byte[] mrSignerSeam() {
        return f(328, 48);
    }

    /**
     * TD ATTRIBUTES (8).
     *
     * @return a new 8-byte copy of the TD ATTRIBUTES (offset 512), little-endian
     */
    public byte[] tdAttributes() {
        return f(512, 8);
    }

    /**
     * XFAM (8).
     *
     * @return a new 8-byte copy of XFAM (offset 520), little-endian
     */
    public byte[] xfam() {
        return f(520, 8);
    }

    /**
     * MRTD (48).
     *
     * @return a new 48-byte copy of MRTD (offset 528), the measurement of the initial TD contents
     */
    public byte[] mrTd() {
        return f(528, 48);
    }

    /**
     * MRCONFIGID (48).
     *
     * @return a new 48-byte copy of MRCONFIGID (offset 576)
     */
    public byte[] mrConfigId() {
        return f(576, 48);
    }

    /**
     * MROWNER (48).
     *
     * @return a new 48-byte copy of MROWNER (offset 624)
     */
    public byte[] mrOwner() {
        return f(624, 48);
    }

    /**
     * MROWNERCONFIG (48).
     *
     * @return a new 48-byte copy of MROWNERCONFIG (offset 672)
     */
    public byte[] mrOwnerConfig() {
        return f(672, 48);
    }

    /**
     * RTMR{@code index} (48).
     *
     * @param index which runtime measurement register, 0 to 3
     * @return a new 48-byte copy of RTMR{@code index} (offset 720 + 48 × index)
     * @throws IllegalArgumentException if {@code index} is not 0 to 3
     */
    public byte[] rtmr(int index) {
        if (index < 0 || index > 3) {
            throw new IllegalArgumentException("RTMR index " + index);
        }
        return f(720 + 48 * index, 48);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TdReport r && Arrays.equals(raw, r.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "TdReport[1024 bytes]";
    }
}
