package dev.coco4j.gpu.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.gpu.Vectors;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GpuAttestationReportTest {
    private static final HexFormat HEX = HexFormat.of();

    private static String hex(String oracle) {
        return oracle.substring(2);
    }

    @Test
    void requestMatchesNvatOracle() {
        GpuAttestationReport r = GpuAttestationReport.parse(Vectors.report("nvat-testdata/hopperAttestationReport.txt"));
        JsonNode o = Vectors.json("nvat-testdata/spdm_req_parsed_output.json");
        SpdmMeasurementRequest q = r.request();
        assertThat(q.spdmVersion()).isEqualTo(Integer.decode(o.get("SPDMVersion").asText()));
        assertThat(q.requestCode()).isEqualTo(Integer.decode(o.get("RequestResponseCode").asText()));
        assertThat(q.param1()).isEqualTo(Integer.decode(o.get("Param1").asText()));
        assertThat(q.param2()).isEqualTo(Integer.decode(o.get("Param2").asText()));
        assertThat(HEX.formatHex(q.nonce())).isEqualTo(hex(o.get("Nonce").asText()));
        assertThat(q.slotId()).isEqualTo(Integer.decode(o.get("SlotIDParam").asText()));
    }

    @Test
    void responseMatchesNvatOracle() {
        byte[] raw = Vectors.report("nvat-testdata/hopperAttestationReport.txt");
        GpuAttestationReport r = GpuAttestationReport.parse(raw);
        JsonNode o = Vectors.json("nvat-testdata/spdm_parsed_output.json");
        SpdmMeasurementResponse p = r.response();
        assertThat(p.spdmVersion()).isEqualTo(0x11);
        assertThat(p.responseCode()).isEqualTo(0x60);
        assertThat(p.numberOfBlocks()).isEqualTo(o.get("NumberOfBlocks").asInt());
        assertThat(p.measurementRecordLength()).isEqualTo(o.get("MeasurementRecordLength").asInt());
        assertThat(HEX.formatHex(p.responderNonce())).isEqualTo(hex(o.get("Nonce").asText()));
        assertThat(p.opaqueData().raw()).hasSize(o.get("OpaqueLength").asInt());
        assertThat(HEX.formatHex(p.signature())).isEqualTo(hex(o.get("Signature").asText()));
        JsonNode blocks = o.get("MeasurementRecord").get("MeasurementBlocks");
        Iterator<Map.Entry<String, JsonNode>> it = blocks.fields();
        int n = 0;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            MeasurementBlock b = p.block(Integer.parseInt(e.getKey())).orElseThrow();
            assertThat(b.valueType()).isEqualTo(e.getValue().get("DMTFSpecMeasurementValueType").asInt());
            assertThat(b.value()).hasSize(e.getValue().get("DMTFSpecMeasurementValueSize").asInt());
            assertThat(b.valueHex()).isEqualTo(hex(e.getValue().get("DMTFSpecMeasurementValue").asText()));
            n++;
        }
        assertThat(n).isEqualTo(64);
        JsonNode od = o.get("OpaqueData").get("OpaqueDataField");
        Iterator<Map.Entry<String, JsonNode>> fit = od.fields();
        while (fit.hasNext()) {
            Map.Entry<String, JsonNode> e = fit.next();
            OpaqueFieldType t = OpaqueFieldType.valueOf(e.getKey().substring("OPAQUE_FIELD_ID_".length()));
            if (t == OpaqueFieldType.MSRSCNT) {
                List<Long> counters = p.opaqueData().measurementCounters().orElseThrow();
                assertThat(counters).hasSize(e.getValue().size());
                for (int i = 0; i < counters.size(); i++) {
                    assertThat(counters.get(i)).isEqualTo(e.getValue().get(i).asLong());
                }
            } else {
                assertThat(HEX.formatHex(p.opaqueData().field(t).orElseThrow())).as(t.name())
                        .isEqualTo(hex(e.getValue().asText()));
            }
        }
        OpaqueData d = p.opaqueData();
        assertThat(d.driverVersion()).contains("580.159.03");
        assertThat(d.vbiosVersion()).contains("96.00.74.00.20");
        assertThat(d.project()).contains("1010");
        assertThat(d.projectSku()).contains("0205");
        assertThat(d.chipSku()).contains("862");
        assertThat(d.chipSkuMod()).contains("0");
        assertThat(d.nvdec0Status()).contains(0x55);
        assertThat(d.protectedPcieStatus()).contains(0x55);
        assertThat(d.boardId()).contains(0x4a1L);
        assertThat(d.typeIds()).containsExactlyInAnyOrder(3, 4, 6, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 34, 36);
        assertThat(r.signedLength()).isEqualTo(raw.length - 96);
        assertThat(r.trailingBytes()).isZero();
        assertThat(r.signedBytes()).isEqualTo(Arrays.copyOf(raw, raw.length - 96));
    }

    @Test
    void provenanceValuesOfOtherReports() {
        GpuAttestationReport a = GpuAttestationReport.parse(Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt"));
        assertThat(a.raw()).hasSize(4117);
        assertThat(a.opaqueData().driverVersion()).contains("550.90.07");
        assertThat(a.opaqueData().vbiosVersion()).contains("96.00.9F.00.01");
        assertThat(a.opaqueData().typeIds()).containsExactlyInAnyOrder(3, 4, 6, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21);

        GpuAttestationReport old = GpuAttestationReport.parse(
                Vectors.report("nvtrust-lgv-samples-2023/attestationReport.txt"));
        assertThat(old.raw()).hasSize(4049);
        assertThat(old.opaqueData().driverVersion()).contains("545.00");
        assertThat(old.opaqueData().vbiosVersion()).contains("96.00.5E.00.01");
        assertThat(old.opaqueData().fwid()).isEmpty();
        assertThat(HEX.formatHex(old.nonce()))
                .isEqualTo("4cff7f5380ead8fad8ec2c531c110aca4302a88f603792801a8ca29ee151af2e");

        GpuAttestationReport bw = GpuAttestationReport.parse(
                Vectors.report("nvat-testdata/sample_attestation_data__gpu__blackwellAttestationReport.txt"));
        assertThat(bw.opaqueData().driverVersion()).contains("575.32");
        assertThat(bw.opaqueData().vbiosVersion()).contains("97.00.88.00.0F");
        assertThat(bw.opaqueData().project()).contains("G525");
        assertThat(bw.opaqueData().typeIds()).containsExactlyInAnyOrder(3, 4, 6, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 33, 34);

        GpuAttestationReport json = GpuAttestationReport.parse(
                Vectors.jsonEvidence("nvat-testdata/common__serialized_test_evidence__hopper_evidence.json", 0));
        assertThat(json.raw()).hasSize(4274);
        assertThat(json.opaqueData().switchPdis()).isPresent();
        assertThat(json.opaqueData().featureFlag()).isPresent();
    }

    @Test
    void trailingZeroPaddingIsToleratedAndRecorded() {
        byte[] raw = Vectors.report("trustee-testdata/hopper_coco_report1.txt");
        GpuAttestationReport r = GpuAttestationReport.parse(raw);
        assertThat(r.trailingBytes()).isEqualTo(1);
        assertThat(r.signedLength()).isEqualTo(raw.length - 97);
        assertThat(r.opaqueData().driverVersion()).contains("580.95.05");
        assertThat(r.opaqueData().vbiosVersion()).contains("96.00.74.00.1A");
    }

    @Test
    void nonZeroTrailingBytesAreRefused() {
        byte[] raw = Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt");
        byte[] longer = Arrays.copyOf(raw, raw.length + 2);
        longer[longer.length - 1] = 1;
        assertThatThrownBy(() -> GpuAttestationReport.parse(longer))
                .isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE));
    }

    @Test
    void versionedOpaqueDataIsRefusedAsUnsupported() {
        byte[] raw = Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt");
        byte[] header = new byte[] {'N', 'V', 'D', 'A', 'O', 'D', 0, 0, 2, 0, 0, 0, 1, 2, 3, 4};
        byte[] rebuilt = withOpaque(raw, header);
        assertThatThrownBy(() -> GpuAttestationReport.parse(rebuilt))
                .isInstanceOfSatisfying(AttestationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
                    assertThat(e.getMessage()).contains("NVDAOD").contains("2.0.0");
                });
    }

    @Test
    void otherSpdmVersionsAreUnsupported() {
        byte[] raw = Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt");
        raw[0] = 0x12;
        assertThatThrownBy(() -> GpuAttestationReport.parse(raw))
                .isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION));
    }

    @Test
    void duplicateOpaqueTypesAndBadTlvLengthsAreMalformed() {
        byte[] raw = Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt");
        byte[] dup = {3, 0, 2, 0, 'a', 0, 3, 0, 2, 0, 'b', 0};
        assertThatThrownBy(() -> GpuAttestationReport.parse(withOpaque(raw, dup)))
                .isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE));
        byte[] overrun = {3, 0, 9, 0, 'a', 0};
        assertThatThrownBy(() -> GpuAttestationReport.parse(withOpaque(raw, overrun)))
                .isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE));
        assertThat(GpuAttestationReport.parse(withOpaque(raw, "\3\0\4\0abc\0".getBytes(StandardCharsets.US_ASCII)))
                .opaqueData().driverVersion()).contains("abc");
    }

    @Test
    void oversizedAndEmptyReportsAreMalformed() {
        assertThatThrownBy(() -> GpuAttestationReport.parse(new byte[GpuAttestationReport.MAX_LENGTH + 1]))
                .isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE));
        assertThatThrownBy(() -> GpuAttestationReport.parse(new byte[0]))
                .isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE));
    }

    /** Rebuilds a report with other opaque data (the signature no longer verifies). */
    public static byte[] withOpaque(byte[] report, byte[] opaque) {
        GpuAttestationReport r = GpuAttestationReport.parse(report);
        int l1 = r.response().measurementRecordLength();
        int opaqueStart = 37 + 42 + l1;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(report, 0, opaqueStart - 2);
        out.write(opaque.length & 0xFF);
        out.write(opaque.length >> 8);
        out.writeBytes(opaque);
        out.writeBytes(r.signature());
        return out.toByteArray();
    }
}
