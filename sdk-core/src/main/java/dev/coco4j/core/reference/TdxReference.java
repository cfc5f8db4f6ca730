package dev.coco4j.core.reference;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Expected Intel TDX values of one workload, as lower-case hex (48 bytes each).
 *
 * @param mrTd the MRTD (always present)
 * @param rtmrs the RTMRs that are pinned, by index 0..3 (others are not checked)
 * @param mrConfigId the MRCONFIGID, if pinned explicitly; see {@link WorkloadReference#tdxMrConfigId()} for the value
 *     bound from init-data
 */
public record TdxReference(String mrTd, Map<Integer, String> rtmrs, Optional<String> mrConfigId) {
    /** Length of every TDX measurement register, in bytes. */
    public static final int REGISTER_BYTES = 48;

    /**
     * Checks and normalises the values.
     *
     * @throws ConfigurationException if a value is not 48 bytes of hex or an RTMR index is outside 0..3
     */
    public TdxReference {
        mrTd = HexField.of("tdx.mr_td", Objects.requireNonNull(mrTd, "mrTd"), REGISTER_BYTES);
        TreeMap<Integer, String> r = new TreeMap<>();
        for (var e : Objects.requireNonNull(rtmrs, "rtmrs").entrySet()) {
            int i = Objects.requireNonNull(e.getKey(), "rtmr index");
            if (i < 0 || i > 3) {
                throw new ConfigurationException(Reason.CONFIGURATION, "tdx.rtmrs: index " + i + " is not 0..3");
            }
            r.put(i, HexField.of("tdx.rtmrs[" + i + "]", e.getValue(), REGISTER_BYTES));
        }
        rtmrs = java.util.Collections.unmodifiableMap(r);
        mrConfigId = Objects.requireNonNull(mrConfigId, "mrConfigId").map(h -> HexField.of("tdx.mr_config_id", h,
                REGISTER_BYTES));
    }
}
