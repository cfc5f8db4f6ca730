package dev.coco4j.azure.tpm;

import java.io.ByteArrayOutputStream;

/** A big-endian writer for TPM marshalling. */
final class TpmWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    TpmWriter u8(int v) {
        out.write(v);
        return this;
    }

    TpmWriter u16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    TpmWriter u32(long v) {
        for (int i = 3; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
        return this;
    }

    TpmWriter bytes(byte[] b) {
        out.writeBytes(b);
        return this;
    }

    TpmWriter tpm2b(byte[] b) {
        u16(b.length);
        return bytes(b);
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}
