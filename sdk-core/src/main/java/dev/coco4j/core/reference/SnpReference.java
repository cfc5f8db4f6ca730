package dev.coco4j.core.reference;

import java.util.Objects;
import java.util.Optional;

/**
 * Expected SEV-SNP values of one workload, as lower-case hex.
 *
 * @param measurement the 48-byte launch MEASUREMENT (always present)
 * @param hostData the 32-byte HOST_DATA, if the workload pins it explicitly; see
 *     {@link WorkloadReference#snpHostData()} for the value bound from init-data
 */
public record SnpReference(String measurement, Optional<String> hostData) {
    /** Expected MEASUREMENT length in bytes. */
    public static final int MEASUREMENT_BYTES = 48;
    /** HOST_DATA length in bytes. */
    public static final int HOST_DATA_BYTES = 32;

    /**
     * Checks and normalises the values.
     *
     * @throws dev.coco4j.core.ConfigurationException if a value is not hex of the right length
     */
    public SnpReference {
        measurement = HexField.of("snp.measurement", Objects.requireNonNull(measurement, "measurement"),
                MEASUREMENT_BYTES);
        hostData = Objects.requireNonNull(hostData, "hostData").map(h -> HexField.of("snp.host_data", h,
                HOST_DATA_BYTES));
    }

    /**
     * An entry that pins only the MEASUREMENT.
     *
     * @param measurementHex the 48-byte MEASUREMENT as 96 hex digits, any case
     * @return an entry with no pinned HOST_DATA
     * @throws dev.coco4j.core.ConfigurationException with {@link dev.coco4j.core.Reason#CONFIGURATION} if the value is
     *     not 96 hex digits
     */
    public static SnpReference ofMeasurement(String measurementHex) {
        return new SnpReference(measurementHex, Optional.empty());
    }
}
