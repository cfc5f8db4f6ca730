package dev.coco4j.tdx.abi;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.util.Arrays;

/** Little-endian reads with bounds checks that fail as MALFORMED_EVIDENCE. */
final class Bytes {
    private Bytes() {
    }

    static void need(byte[] b, int offset, int length, String what) {
        if (offset < 0 || length < 0 || (long) offset + length > b.length) {
            throw malformed(what + " needs " + length + " bytes at offset " + offset + ", but only "
                    + Math.max(0, b.length - offset) + " remain");
        }
    }

    static int u16(byte[] b, int off, String what) {
        need(b, off, 2, what);
        return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8;
    }

    static long u32(byte[] b, int off, String what) {
        need(b, off, 4, what);
        return (b[off] & 0xffL) | (b[off + 1] & 0xffL) << 8 | (b[off + 2] & 0xffL) << 16 | (b[off + 3] & 0xffL) << 24;
    }

    static long u64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (b[off + i] & 0xffL);
        }
        return v;
    }

    static byte[] slice(byte[] b, int off, int len, String what) {
        need(b, off, len, what);
        return Arrays.copyOfRange(b, off, off + len);
    }

    static AttestationException malformed(String detail) {
        return new AttestationException(Reason.MALFORMED_EVIDENCE, detail);
    }

    static byte[] exact(byte[] b, int len, String what) {
        if (b == null || b.length != len) {
            throw malformed(what + " must be " + len + " bytes, got " + (b == null ? "null" : b.length));
        }
        return b.clone();
    }
}
