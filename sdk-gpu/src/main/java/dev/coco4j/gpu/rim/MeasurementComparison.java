package dev.coco4j.gpu.rim;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The outcome of comparing a report's measurements with the golden values of its driver and VBIOS RIMs.
 *
 * @param compared the RIM indices that had an active golden value and were compared
 * @param mismatches the indices that matched no alternative
 * @param skipped RIM indices skipped on purpose (index 35 while NVDEC0 is disabled)
 * @param uncovered RIM indices whose runtime value is non-zero but that no active golden value covers
 */
public record MeasurementComparison(List<Integer> compared, List<MeasurementMismatch> mismatches,
                                    List<Integer> skipped, List<Integer> uncovered) {
    /** Copies the lists. */
    public MeasurementComparison {
        compared = List.copyOf(compared);
        mismatches = List.copyOf(mismatches);
        skipped = List.copyOf(skipped);
        uncovered = List.copyOf(uncovered);
    }

    /**
     * True if nothing mismatched.
     *
     * @return {@code true} if {@link #mismatches()} is empty (uncovered measurements are not considered)
     */
    public boolean matches() {
        return mismatches.isEmpty();
    }

    /**
     * The mismatching RIM indices.
     *
     * @return an unmodifiable list of the 0-based RIM indices of {@link #mismatches()}, in ascending order; empty if
     *     all matched
     */
    public List<Integer> mismatchingIndices() {
        return mismatches.stream().map(MeasurementMismatch::rimIndex).toList();
    }

    /**
     * Refuses with {@link Reason#MEASUREMENT_MISMATCH} listing every mismatching RIM index (and, unless allowed,
     * every uncovered non-zero runtime measurement).
     *
     * @param allowUncovered {@code true} to tolerate non-zero runtime measurements that no golden value covers
     * @throws AttestationException {@link Reason#MEASUREMENT_MISMATCH} if any index mismatched, or if uncovered
     *     measurements exist and {@code allowUncovered} is {@code false}
     */
    public void requireMatch(boolean allowUncovered) {
        if (!mismatches.isEmpty()) {
            throw new AttestationException(Reason.MEASUREMENT_MISMATCH, "measurements differ from the RIMs at RIM "
                    + "indices " + mismatches.stream().map(m -> m.rimIndex() + " (" + m.source().name().toLowerCase(
                            java.util.Locale.ROOT) + ")").collect(Collectors.joining(", ")));
        }
        if (!allowUncovered && !uncovered.isEmpty()) {
            throw new AttestationException(Reason.MEASUREMENT_MISMATCH, "non-zero measurements at RIM indices "
                    + uncovered + " have no golden value in either RIM");
        }
    }
}
