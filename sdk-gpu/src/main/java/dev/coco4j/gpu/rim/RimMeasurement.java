package dev.coco4j.gpu.rim;

import java.util.List;

/**
 * One {@code <Resource type="Measurement">} of a RIM: the golden values for one measurement index.
 *
 * @param index the RIM index (0-based; SPDM block index = index + 1)
 * @param active whether the record takes part in the comparison ({@code active="True"})
 * @param size the expected measurement length in bytes
 * @param alternatives the accepted values ({@code Hash0 .. Hash<alternatives-1>}), lower-case hex
 * @param name the record's name
 */
public record RimMeasurement(int index, boolean active, int size, List<String> alternatives, String name) {
    /** Copies the list. */
    public RimMeasurement {
        alternatives = List.copyOf(alternatives);
    }
}
