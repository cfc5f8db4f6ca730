package dev.coco4j.benchmarks.report;

import java.util.Objects;
import java.util.Optional;

/**
 * An SDK result next to its baseline measured in the same run, with the same JMH parameters.
 *
 * @param pairing which methods these are and the documented target
 * @param sdk the SDK method's result
 * @param baseline the baseline method's result
 */
public record PairedResult(Pairing pairing, BenchmarkResult sdk, BenchmarkResult baseline) {
    /** Checks that both results are present. */
    public PairedResult {
        Objects.requireNonNull(pairing, "pairing");
        Objects.requireNonNull(sdk, "sdk");
        Objects.requireNonNull(baseline, "baseline");
    }

    /**
     * sdk score / baseline score (throughput: higher is better, 1.0 means as fast as the raw primitive).
     *
     * @return the ratio of the two primary scores; infinite or NaN if the baseline score is 0
     */
    public double ratio() {
        return sdk.score() / baseline.score();
    }

    /**
     * Whether the ratio meets the documented target; empty when there is no target.
     *
     * @return true if {@link #ratio()} is at least the pairing's target, false if below (or NaN); empty when the
     *     pairing documents no target
     */
    public Optional<Boolean> meetsTarget() {
        var t = pairing.targetRatio();
        return t.isPresent() ? Optional.of(ratio() >= t.getAsDouble()) : Optional.empty();
    }
}
