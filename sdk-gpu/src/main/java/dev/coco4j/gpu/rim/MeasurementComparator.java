package dev.coco4j.gpu.rim;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.gpu.abi.GpuAttestationReport;
import dev.coco4j.gpu.abi.MeasurementBlock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares a report's measurement blocks with the golden values of its driver and VBIOS RIMs, as NVIDIA's verifiers
 * do: the golden map is built from the driver RIM's active records and then the VBIOS RIM's (the same active index in
 * both is {@link Reason#RIM_INVALID}); RIM index i corresponds to SPDM block index i+1; an index matches when any
 * alternative equals the runtime value and the declared size equals the runtime length; a golden index without a
 * runtime block is a mismatch. RIM index 35 is skipped while the report says NVDEC0 is disabled ({@code 0xAA}
 * enabled, {@code 0x55} disabled), which is what NVIDIA's verifier intends. Inactive records are ignored. Stateless.
 */
public final class MeasurementComparator {
    /** The RIM index skipped while NVDEC0 is disabled. */
    public static final int NVDEC0_RIM_INDEX = 35;
    private static final int NVDEC0_DISABLED = 0x55;

    private MeasurementComparator() {
    }

    /**
     * Compares; never throws for mismatches (see {@link MeasurementComparison#requireMatch(boolean)}).
     *
     * @param report the parsed (and separately verified) attestation report; must not be {@code null}
     * @param driver the verified driver RIM of the report's driver version; must not be {@code null}
     * @param vbios the verified VBIOS RIM of the report's VBIOS version; must not be {@code null}
     * @return the comparison: compared, mismatching, skipped and uncovered RIM indices; check it with
     *     {@link MeasurementComparison#requireMatch(boolean)}
     * @throws AttestationException {@link Reason#RIM_INVALID} if an index is active in both RIMs;
     *     {@link Reason#MEASUREMENT_MISMATCH} if the RIMs hold more golden values than the report has blocks
     */
    public static MeasurementComparison compare(GpuAttestationReport report, ReferenceManifest driver,
                                                ReferenceManifest vbios) {
        Map<Integer, RimMeasurement> golden = new TreeMap<>();
        Map<Integer, RimKind> source = new TreeMap<>();
        for (RimMeasurement m : driver.activeMeasurements()) {
            golden.put(m.index(), m);
            source.put(m.index(), RimKind.DRIVER);
        }
        for (RimMeasurement m : vbios.activeMeasurements()) {
            if (golden.containsKey(m.index())) {
                throw new AttestationException(Reason.RIM_INVALID, "RIM index " + m.index()
                        + " is active in both the driver and the VBIOS RIM");
            }
            golden.put(m.index(), m);
            source.put(m.index(), RimKind.VBIOS);
        }
        if (golden.size() > report.response().numberOfBlocks()) {
            throw new AttestationException(Reason.MEASUREMENT_MISMATCH, "the RIMs hold " + golden.size()
                    + " golden values but the report only " + report.response().numberOfBlocks() + " blocks");
        }
        boolean nvdecDisabled = report.opaqueData().nvdec0Status().map(s -> s == NVDEC0_DISABLED).orElse(false);
        List<Integer> compared = new ArrayList<>();
        List<Integer> skipped = new ArrayList<>();
        List<MeasurementMismatch> mismatches = new ArrayList<>();
        for (Map.Entry<Integer, RimMeasurement> e : golden.entrySet()) {
            int idx = e.getKey();
            if (idx == NVDEC0_RIM_INDEX && nvdecDisabled) {
                skipped.add(idx);
                continue;
            }
            RimMeasurement g = e.getValue();
            MeasurementBlock b = report.response().block(idx + 1).orElse(null);
            compared.add(idx);
            String actual = b == null ? null : b.valueHex();
            boolean ok = b != null && b.value().length == g.size() && g.alternatives().contains(actual);
            if (!ok) {
                mismatches.add(new MeasurementMismatch(idx, source.get(idx), g.alternatives(), actual));
            }
        }
        List<Integer> uncovered = new ArrayList<>();
        for (MeasurementBlock b : report.response().blocks()) {
            int idx = b.index() - 1;
            if (!b.isZero() && !golden.containsKey(idx)) {
                uncovered.add(idx);
            }
        }
        return new MeasurementComparison(compared, mismatches, skipped, uncovered);
    }

    /** Lower-case hex helper for callers building expectations. */
    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
