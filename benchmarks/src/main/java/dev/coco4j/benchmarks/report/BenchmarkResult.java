package dev.coco4j.benchmarks.report;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One JMH result: the benchmark class and method, its parameters, and the primary metric.
 *
 * @param benchmarkClass the simple class name, e.g. {@code SnpVerifyBenchmark}
 * @param method the benchmark method, e.g. {@code sdkVerifySnpReport}
 * @param params the JMH parameters of this run (sorted by name; empty when none)
 * @param score the primary score
 * @param error the 99.9% confidence half-interval JMH reports, or NaN when it has too few iterations for one
 * @param unit the score unit, e.g. {@code ops/s}
 */
public record BenchmarkResult(String benchmarkClass, String method, Map<String, String> params, double score,
                              double error, String unit) {
    /** Copies the parameters into a sorted, unmodifiable map. */
    public BenchmarkResult {
        Objects.requireNonNull(benchmarkClass, "benchmarkClass");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(unit, "unit");
        params = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(params));
    }

    /**
     * The parameters as {@code name=value} pairs joined by commas, or {@code -} when there are none.
     *
     * @return e.g. {@code segmentSize=65536}, in name order; {@code "-"} for a benchmark without parameters
     */
    public String paramsText() {
        if (params.isEmpty()) {
            return "-";
        }
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> b.append(b.isEmpty() ? "" : ",").append(k).append('=').append(v));
        return b.toString();
    }
}
