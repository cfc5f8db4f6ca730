package dev.coco4j.gpu.rim;

import java.util.List;

/**
 * One golden index whose runtime value matched none of the RIM's alternatives.
 *
 * @param rimIndex the RIM index (0-based)
 * @param source which RIM the golden value came from
 * @param expected the accepted values, lower-case hex
 * @param actual the runtime value as lower-case hex, or null when the report has no block for it
 */
public record MeasurementMismatch(int rimIndex, RimKind source, List<String> expected, String actual) {
    /** Copies the list. */
    public MeasurementMismatch {
        expected = List.copyOf(expected);
    }

    /**
     * The SPDM block index (RIM index + 1).
     *
     * @return the 1-based SPDM measurement block index, {@code rimIndex + 1}
     */
    public int spdmIndex() {
        return rimIndex + 1;
    }
}
