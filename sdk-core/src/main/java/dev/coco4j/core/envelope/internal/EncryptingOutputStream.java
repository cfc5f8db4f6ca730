package dev.coco4j.core.envelope.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Writes the header, then one AES-GCM segment per {@code segmentSize} plaintext bytes. A full segment is held back
 * until at least one more byte arrives, so the segment written by {@link #close()} is always the one marked last.
 * Memory: two buffers of about one segment each.
 */
public final class EncryptingOutputStream extends OutputStream {
    private final OutputStream out;
    private final KeySession session;
    private final byte[] plain;
    private final byte[] sealed;
    private int filled;
    private long counter;
    private boolean headerWritten;
    private boolean closed;

    /** Encrypts into {@code out}; closing this stream closes {@code out}. */
    public EncryptingOutputStream(OutputStream out, KeySession session) {
        this.out = Objects.requireNonNull(out, "out");
        this.session = session;
        int seg = session.header().segmentSize();
        this.plain = new byte[seg];
        this.sealed = new byte[seg + KeySession.TAG];
    }

    private void ensureHeader() throws IOException {
        if (!headerWritten) {
            session.header().writeTo(out);
            headerWritten = true;
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (closed) {
            throw new IOException("stream closed");
        }
        ensureHeader();
        while (len > 0) {
            if (filled == plain.length) {
                emit(false);
            }
            if (filled == 0 && len > plain.length) {
                // More than a whole segment follows, so this one is not the last: seal it straight from the caller's
                // array (one copy less).
                int n = session.sealSegment(counter++, false, b, off, plain.length, sealed, 0);
                out.write(sealed, 0, n);
                off += plain.length;
                len -= plain.length;
                continue;
            }
            int n = Math.min(len, plain.length - filled);
            System.arraycopy(b, off, plain, filled, n);
            filled += n;
            off += n;
            len -= n;
        }
    }

    private void emit(boolean last) throws IOException {
        int n = session.sealSegment(counter++, last, plain, 0, filled, sealed, 0);
        out.write(sealed, 0, n);
        filled = 0;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    /** Writes the final segment and closes the underlying stream. */
    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try (out) {
            ensureHeader();
            emit(true);
            java.util.Arrays.fill(plain, (byte) 0);
        }
    }
}
