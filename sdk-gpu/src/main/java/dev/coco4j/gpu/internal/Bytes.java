package dev.coco4j.gpu.internal;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.util.Arrays;

/** A bounded little-endian reader over untrusted bytes: every read is checked against what is left. */
public final class Bytes {
    private final byte[] data;
    private final int end;
    private final String what;
    private int pos;

    /** Reads {@code data[offset, end)}; {@code what} names the structure in error messages. */
    public Bytes(byte[] data, int offset, int end, String what) {
        if (offset < 0 || end > data.length || offset > end) {
            throw new IllegalArgumentException("bad range");
        }
        this.data = data;
        this.pos = offset;
        this.end = end;
        this.what = what;
    }

    /** The current offset in the underlying array. */
    public int position() {
        return pos;
    }

    /** Bytes left. */
    public int remaining() {
        return end - pos;
    }

    /** Refuses with MALFORMED_EVIDENCE unless {@code n} bytes are left. */
    public void need(int n, String field) {
        if (n < 0 || n > remaining()) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, what + ": " + field + " needs " + n
                    + " bytes at offset " + pos + " but only " + remaining() + " are left");
        }
    }

    /** An unsigned byte. */
    public int u8(String field) {
        need(1, field);
        return data[pos++] & 0xFF;
    }

    /** An unsigned little-endian 16-bit value. */
    public int u16(String field) {
        need(2, field);
        int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8;
        pos += 2;
        return v;
    }

    /** An unsigned little-endian 24-bit value. */
    public int u24(String field) {
        need(3, field);
        int v = (data[pos] & 0xFF) | (data[pos + 1] & 0xFF) << 8 | (data[pos + 2] & 0xFF) << 16;
        pos += 3;
        return v;
    }

    /** A copy of the next {@code n} bytes. */
    public byte[] take(int n, String field) {
        need(n, field);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    /** Little-endian unsigned 32-bit value of a 4-byte array at {@code off}. */
    public static long u32(byte[] b, int off) {
        return (b[off] & 0xFFL) | (b[off + 1] & 0xFFL) << 8 | (b[off + 2] & 0xFFL) << 16 | (b[off + 3] & 0xFFL) << 24;
    }
}
