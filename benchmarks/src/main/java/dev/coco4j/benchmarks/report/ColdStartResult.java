package dev.coco4j.benchmarks.report;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One cold-start figure measured in several fresh JVMs.
 *
 * @param metric what was timed, e.g. {@code first SNP verification (JVM start → verified)}
 * @param millis one value per fresh JVM, in milliseconds
 */
public record ColdStartResult(String metric, List<Double> millis) {
    /** Copies the values; at least one is needed. */
    public ColdStartResult {
        Objects.requireNonNull(metric, "metric");
        millis = List.copyOf(millis);
        if (millis.isEmpty()) {
            throw new IllegalArgumentException("no cold-start runs for " + metric);
        }
    }

    /**
     * The median (the mean of the middle two for an even count).
     *
     * @return the median in milliseconds
     */
    public double median() {
        double[] v = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /**
     * The smallest value.
     *
     * @return the fastest run, in milliseconds
     */
    public double min() {
        return millis.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    }

    /**
     * The largest value.
     *
     * @return the slowest run, in milliseconds
     */
    public double max() {
        return millis.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
    }

    @Override
    public String toString() {
        return metric + " " + Arrays.toString(millis.toArray());
    }
}
