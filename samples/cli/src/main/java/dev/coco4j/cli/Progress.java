package dev.coco4j.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Progress of a long operation on stderr, shown only when stderr is a terminal: one line rewritten in place
 * ({@code \r}), at most every 200 ms, and cleared or finished with a newline at the end. In a pipe, a file or CI it
 * prints nothing at all, so scripts see exactly what CLI.md promises (and stderr's first line stays the reason on a
 * failure). Not thread-safe; one per operation.
 */
final class Progress implements AutoCloseable {
    /** Whether a terminal is attached; tests replace it. */
    static volatile BooleanSupplier terminal = () -> System.console() != null && System.console().isTerminal();

    private static final long INTERVAL_NANOS = 200_000_000L;
    private final PrintWriter err;
    private final String label;
    private final long total;
    private long done;
    private long lastPrint;
    private boolean printed;
    private boolean finished;

    private Progress(PrintWriter err, String label, long total) {
        this.err = err;
        this.label = label;
        this.total = total;
    }

    /** A progress line for {@code total} bytes (negative: unknown), or a silent one when no terminal is attached. */
    static Progress start(PrintWriter err, String label, long total) {
        return terminal.getAsBoolean() ? new Progress(err, label, total) : new Progress(null, label, total);
    }

    /** Counts the bytes read from {@code in}. */
    InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    advance(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                if (n > 0) {
                    advance(n);
                }
                return n;
            }
        };
    }

    /** Shows a step name instead of a byte count ("reading", "encrypting", ...). */
    void stage(String name) {
        if (err != null) {
            print(label + ": " + name);
        }
    }

    void advance(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        if (err != null && now - lastPrint >= INTERVAL_NANOS) {
            lastPrint = now;
            print(line());
        }
    }

    /** Marks the operation complete: the final line, then a newline. */
    void finish() {
        finished = true;
        if (err != null) {
            print((done > 0 ? line() : label) + " done");
            err.println();
            err.flush();
        }
    }

    /** Clears the line if the operation did not finish (so an error message starts on a clean line). */
    @Override
    public void close() {
        if (err != null && printed && !finished) {
            err.print("\r\u001b[K");
            err.flush();
        }
    }

    private String line() {
        if (total > 0) {
            return String.format(Locale.ROOT, "%s: %d%% (%s of %s)", label, Math.min(100, done * 100 / total),
                    size(done), size(total));
        }
        return label + ": " + size(done);
    }

    private void print(String s) {
        printed = true;
        err.print("\r" + s + "\u001b[K");
        err.flush();
    }

    private static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
    }
}
