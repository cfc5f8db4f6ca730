package dev.coco4j.tdx.abi;

import java.util.Arrays;

/**
 * An SGX enclave report body (384 bytes), as the quoting enclave's report inside a quote. Integers little-endian.
 * Immutable.
 *
 * <pre>
 * off len field
 *   0  16 CPUSVN
 *  16   4 MISCSELECT
 *  20  28 reserved
 *  48  16 ATTRIBUTES
 *  64  32 MRENCLAVE
 *  96  32 reserved
 * 128  32 MRSIGNER
 * 160  96 reserved
 * 256   2 ISVPRODID
 * 258   2 ISVSVN
 * 260  60 reserved
 * 320  64 REPORTDATA
 * </pre>
 *
 * @param raw the 384 bytes
 */
public record SgxReportBody(byte[] raw) {
    /** Size in bytes. */
    public static final int SIZE = 384;

    /** Copies and checks the length. */
    public SgxReportBody {
        raw = Bytes.exact(raw, SIZE, "an SGX report body");
    }

    /** {@return a copy of the 384 bytes} */
    @Override
    public byte[] raw() {
        return raw.clone();
    }

    /**
     * CPUSVN (16).
     *
     * @return a new 16-byte copy of CPUSVN (offset 0)
     */
    public byte[] cpuSvn() {
        return Arrays.copyOfRange(raw, 0, 16);
    }

    /**
     * MISCSELECT.
     *
     * @return MISCSELECT (offset 16) as an unsigned 32-bit value, 0 to 2^32-1
     */
    public long miscSelect() {
        return Bytes.u32(raw, 16, "MISCSELECT");
    }

    /**
     * ATTRIBUTES (16).
     *
     * @return a new 16-byte copy of the enclave ATTRIBUTES (offset 48)
     */
    public byte[] attributes() {
        return Arrays.copyOfRange(raw, 48, 64);
    }

    /**
     * MRENCLAVE (32).
     *
     * @return a new 32-byte copy of MRENCLAVE (offset 64)
     */
    public byte[] mrEnclave() {
        return Arrays.copyOfRange(raw, 64, 96);
    }

    /**
     * MRSIGNER (32).
     *
     * @return a new 32-byte copy of MRSIGNER (offset 128)
     */
    public byte[] mrSigner() {
        return Arrays.copyOfRange(raw, 128, 160);
    }

    /**
     * ISVPRODID.
     *
     * @return ISVPRODID (offset 256) as an unsigned 16-bit value, 0 to 65535
     */
    public int isvProdId() {
        return Bytes.u16(raw, 256, "ISVPRODID");
    }

    /**
     * ISVSVN.
     *
     * @return ISVSVN (offset 258) as an unsigned 16-bit value, 0 to 65535
     */
    public int isvSvn() {
        return Bytes.u16(raw, 258, "ISVSVN");
    }

    /**
     * REPORTDATA (64).
     *
     * @return a new 64-byte copy of REPORTDATA (offset 320); for a quoting enclave it binds the attestation key
     */
    public byte[] reportData() {
        return Arrays.copyOfRange(raw, 320, 384);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SgxReportBody b && Arrays.equals(raw, b.raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "SgxReportBody[isvprodid=" + isvProdId() + ", isvsvn=" + isvSvn() + "]";
    }
}
