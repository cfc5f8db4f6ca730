package dev.coco4j.core.envelope.internal;

import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.envelope.AuditSink;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.Objects;

/**
 * Returns only plaintext of segments whose tag has verified. Reads one whole segment (plus one byte of look-ahead to
 * know whether it is the last), authenticates it, and only then hands out its bytes. A bad segment, a missing final
 * segment (truncation) or bytes after the final segment throw {@link CiphertextException}; after that every read
 * throws again.
 */
public final class DecryptingInputStream extends InputStream {
    private final InputStream in;
    private final KeySession session;
    private final AuditSink audit;
    private final Clock clock;
    private final byte[] sealed;
    private final byte[] plain;
    private int pos;
    private int limit;
    private long counter;
    private int carry = -1;
    private boolean finished;
    private CiphertextException failure;

    /** Decrypts the body that follows the session's header in {@code in}; closing this closes {@code in}. */
    public DecryptingInputStream(InputStream in, KeySession session, AuditSink audit, Clock clock) {
        this.in = Objects.requireNonNull(in, "in");
        this.session = session;
        this.audit = audit;
        this.clock = clock;
        int seg = session.header().segmentSize();
        this.sealed = new byte[seg + KeySession.TAG];
        this.plain = new byte[seg];
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        while (pos == limit) {
            if (failure != null) {
                throw failure;
            }
            if (finished) {
                return -1;
            }
            if (len >= plain.length) {
                // Whole segment fits: open it straight into the caller's buffer (one copy less). GCM writes plaintext
                // only after the tag verifies, so nothing unauthenticated reaches the caller either way.
                int n = nextSegment(b, off);
                if (n > 0 || finished) {
                    return n > 0 ? n : -1;
                }
                continue;
            }
            limit = nextSegment(plain, 0);
            pos = 0;
        }
        int n = Math.min(len, limit - pos);
        System.arraycopy(plain, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() {
        return limit - pos;
    }

    private int nextSegment(byte[] dst, int dstOff) throws IOException {
        int n = 0;
        if (carry >= 0) {
            sealed[n++] = (byte) carry;
            carry = -1;
        }
        n += in.readNBytes(sealed, n, sealed.length - n);
        boolean last;
        if (n < sealed.length) {
            last = true;
        } else {
            int next = in.read();
            last = next < 0;
            carry = next;
        }
        try {
            int opened = session.openSegment(counter++, last, sealed, 0, n, dst, dstOff);
            finished = last;
            return opened;
        } catch (CiphertextException e) {
            failure = e;
            limit = 0;
            pos = 0;
            Arrays.fill(plain, (byte) 0);
            if (dst != plain) {
                Arrays.fill(dst, dstOff, Math.min(dst.length, dstOff + plain.length), (byte) 0);
            }
            KeySession.failed(audit, clock, session.header().kekId(), session.header().messageIdHex());
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        Arrays.fill(plain, (byte) 0);
        in.close();
    }
}
