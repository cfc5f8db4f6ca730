package dev.coco4j.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Shared plumbing of the campaigns: the scale ({@code coco4j.reliability.scale}: {@code ci}, the default, or
 * {@code full}), the real vectors, per-call allocation measurement, and the summary lines that go to stdout and to
 * {@code target/reliability-summary.md}.
 */
final class Campaigns {
    private static final Map<String, String> SUMMARY = new LinkedHashMap<>();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Campaigns() {
    }

    /** True for the full campaigns ({@code -Preliability}), false for the reduced CI form. */
    static boolean full() {
        return "full".equals(System.getProperty("coco4j.reliability.scale", "ci"));
    }

    /** {@code ci} or {@code full}. */
    static String scale() {
        return full() ? "full" : "ci";
    }

    /** The bytes of test resource {@code vectors/<path>}. */
    static byte[] vector(String path) {
        try (InputStream in = Campaigns.class.getResourceAsStream("/vectors/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test vector " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bytes allocated so far by the current thread. */
    static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    /**
     * Records a campaign's summary line: printed now and (re)written with all lines so far to the summary file.
     *
     * @param campaign the campaign's name (a table row key)
     * @param line what it did and found: counts
     */
    static synchronized void record(String campaign, String line) {
        SUMMARY.put(campaign, line);
        System.out.println("[reliability:" + scale() + "] " + campaign + ": " + line);
        String file = System.getProperty("coco4j.reliability.summary", "target/reliability-summary.md");
        StringBuilder b = new StringBuilder("# coco4j reliability summary (scale: " + scale() + ")\n\n"
                + "| campaign | result |\n|---|---|\n");
        SUMMARY.forEach((k, v) -> b.append("| ").append(k).append(" | ").append(v.replace("|", "\\|")).append(" |\n"));
        try {
            Path p = Path.of(file);
            if (p.getParent() != null) {
                Files.createDirectories(p.getParent());
            }
            Files.writeString(p, b, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A counter of outcomes by key (e.g. refusal reasons), printed sorted. */
    static final class Tally {
        private final Map<String, Long> counts = new TreeMap<>();

        void add(String key) {
            counts.merge(key, 1L, Long::sum);
        }

        long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }

        long get(String key) {
            return counts.getOrDefault(key, 0L);
        }

        @Override
        public String toString() {
            StringBuilder b = new StringBuilder();
            counts.forEach((k, v) -> b.append(b.isEmpty() ? "" : ", ").append(k).append(' ').append(v));
            return b.toString();
        }
    }
}
