package dev.coco4j.azure.tpm;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.util.Arrays;

/** A bounds-checked big-endian reader over TPM marshalled bytes; every fault is {@code MALFORMED_EVIDENCE}. */
final class TpmReader {
    private final byte[] b;
    private int pos;
    private final String what;

    TpmReader(byte[] bytes, String what) {
        this.b = bytes;
        this.what = what;
    }

    private void need(int n) {
        if (n < 0 || b.length - pos < n) {
            throw malformed(what + " is truncated at offset " + pos);
        }
    }

    int u8() {
        need(1);
        return b[pos++] & 0xFF;
    }

    int u16() {
        need(2);
        int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
        pos += 2;
        return v;
    }

    long u32() {
        need(4);
        long v = 0;
        for (int i = 0; i < 4; i++) {
            v = (v << 8) | (b[pos + i] & 0xFF);
        }
        pos += 4;
        return v;
    }

    long u64() {
        return (u32() << 32) | u32();
    }

    byte[] bytes(int n) {
        need(n);
        byte[] out = Arrays.copyOfRange(b, pos, pos + n);
        pos += n;
        return out;
    }

    /** A TPM2B: u16 size then that many bytes, at most {@code max}. */
    byte[] tpm2b(int max) {
        int n = u16();
        if (n > max) {
            throw malformed(what + " has a " + n + "-byte field where at most " + max + " are allowed");
        }
        return bytes(n);
    }

    int remaining() {
        return b.length - pos;
    }

    int position() {
        return pos;
    }

    void end() {
        if (pos != b.length) {
            throw malformed(what + " has " + (b.length - pos) + " trailing bytes");
        }
    }

    static AttestationException malformed(String detail) {
        return new AttestationException(Reason.MALFORMED_EVIDENCE, detail);
    }
}
