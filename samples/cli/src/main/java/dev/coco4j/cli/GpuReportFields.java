package dev.coco4j.cli;

import dev.coco4j.gpu.abi.GpuAttestationReport;
import dev.coco4j.gpu.abi.MeasurementBlock;
import dev.coco4j.gpu.abi.OpaqueData;
import dev.coco4j.gpu.abi.OpaqueField;
import dev.coco4j.gpu.abi.SpdmMeasurementRequest;
import dev.coco4j.gpu.abi.SpdmMeasurementResponse;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Every field of a parsed GPU attestation report (SPDM GET_MEASUREMENTS request and response), in report order. */
final class GpuReportFields {
    private static final HexFormat HEX = HexFormat.of();

    private GpuReportFields() {
    }

    static Fields of(GpuAttestationReport report) {
        SpdmMeasurementRequest q = report.request();
        SpdmMeasurementResponse p = report.response();
        Fields f = new Fields();
        f.add("request_spdm_version", hexByte(q.spdmVersion()), q.spdmVersion());
        f.add("request_code", hexByte(q.requestCode()), q.requestCode());
        f.add("request_param1", hexByte(q.param1()), q.param1());
        f.add("request_param2", hexByte(q.param2()), q.param2());
        f.add("nonce", HEX.formatHex(q.nonce()));
        f.add("slot_id", q.slotId());
        f.add("response_spdm_version", hexByte(p.spdmVersion()), p.spdmVersion());
        f.add("response_code", hexByte(p.responseCode()), p.responseCode());
        f.add("response_param1", hexByte(p.param1()), p.param1());
        f.add("response_param2", hexByte(p.param2()), p.param2());
        f.add("number_of_blocks", p.numberOfBlocks());
        f.add("measurement_record_length", p.measurementRecordLength());
        Map<String, Object> blocks = new LinkedHashMap<>();
        for (MeasurementBlock b : p.blocks()) {
            String name = String.format(Locale.ROOT, "measurement_%02d", b.index());
            f.add(name, b.valueHex(), b.valueHex());
            blocks.put(Integer.toString(b.index()), b.valueHex());
        }
        f.add("responder_nonce", HEX.formatHex(p.responderNonce()));
        OpaqueData od = p.opaqueData();
        f.add("opaque_data_length", od.raw().length);
        od.driverVersion().ifPresent(v -> f.add("driver_version", v));
        od.vbiosVersion().ifPresent(v -> f.add("vbios_version", v));
        od.project().ifPresent(v -> f.add("project", v));
        od.projectSku().ifPresent(v -> f.add("project_sku", v));
        od.chipSku().ifPresent(v -> f.add("chip_sku", v));
        od.chipInfo().ifPresent(v -> f.add("chip_info", v));
        od.fwid().ifPresent(v -> f.add("fwid", HEX.formatHex(v)));
        od.nvdec0Status().ifPresent(v -> f.add("nvdec0_status", hexByte(v), v));
        od.protectedPcieStatus().ifPresent(v -> f.add("protected_pcie_status", hexByte(v), v));
        for (OpaqueField field : od.fields()) {
            String type = field.type().map(t -> t.name().toLowerCase(Locale.ROOT))
                    .orElse("type_" + field.typeId());
            f.add("opaque_" + type, HEX.formatHex(field.value()));
        }
        byte[] sig = report.signature();
        f.add("signature_r", HEX.formatHex(sig, 0, 48));
        f.add("signature_s", HEX.formatHex(sig, 48, 96));
        f.add("signed_length", report.signedLength());
        f.add("trailing_zero_bytes", report.trailingBytes());
        return f;
    }

    private static String hexByte(int v) {
        return String.format(Locale.ROOT, "0x%02x", v);
    }
}
