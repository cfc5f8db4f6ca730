package dev.coco4j.kbs.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.kbs.Vectors;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.protocol.Challenge;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import dev.coco4j.sev.abi.SnpCertTable;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SnpEvidenceSerializerTest {

    private static RuntimeDataBinding binding() {
        JsonNode v = Vectors.json("derived/runtime-data-binding.json");
        return RuntimeDataBinding.of(Challenge.fromJson(v.get("challenge")), v.get("tee_pubkey"), "");
    }

    /** Rebuilds the 1184 report bytes from Trustee's fixture JSON (the inverse mapping, written independently). */
    private static byte[] reportBytes(JsonNode j) {
        ByteBuffer b = ByteBuffer.allocate(SnpEvidenceSerializer.REPORT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0x00, j.get("version").intValue());
        b.putInt(0x04, j.get("guest_svn").intValue());
        b.putLong(0x08, j.get("policy").longValue());
        put(b, 0x10, j.get("family_id"));
        put(b, 0x20, j.get("image_id"));
        b.putInt(0x30, j.get("vmpl").intValue());
        b.putInt(0x34, j.get("sig_algo").intValue());
        tcb(b, 0x38, j.get("current_tcb"));
        b.putLong(0x40, j.get("plat_info").longValue());
        b.putInt(0x48, j.get("key_info").intValue());
        put(b, 0x50, j.get("report_data"));
        put(b, 0x90, j.get("measurement"));
        put(b, 0xC0, j.get("host_data"));
        put(b, 0xE0, j.get("id_key_digest"));
        put(b, 0x110, j.get("author_key_digest"));
        put(b, 0x140, j.get("report_id"));
        put(b, 0x160, j.get("report_id_ma"));
        tcb(b, 0x180, j.get("reported_tcb"));
        b.put(0x188, (byte) j.get("cpuid_fam_id").intValue());
        b.put(0x189, (byte) j.get("cpuid_mod_id").intValue());
        b.put(0x18A, (byte) j.get("cpuid_step").intValue());
        put(b, 0x1A0, j.get("chip_id"));
        tcb(b, 0x1E0, j.get("committed_tcb"));
        fw(b, 0x1E8, j.get("current"));
        fw(b, 0x1EC, j.get("committed"));
        tcb(b, 0x1F0, j.get("launch_tcb"));
        put(b, 0x2A0, j.at("/signature/r"));
        put(b, 0x2A0 + 72, j.at("/signature/s"));
        return b.array();
    }

    private static void put(ByteBuffer b, int off, JsonNode arr) {
        for (int i = 0; i < arr.size(); i++) {
            b.put(off + i, (byte) arr.get(i).intValue());
        }
    }

    private static void tcb(ByteBuffer b, int off, JsonNode t) {
        b.put(off, (byte) t.get("bootloader").intValue());
        b.put(off + 1, (byte) t.get("tee").intValue());
        b.put(off + 6, (byte) t.get("snp").intValue());
        b.put(off + 7, (byte) t.get("microcode").intValue());
    }

    private static void fw(ByteBuffer b, int off, JsonNode f) {
        b.put(off, (byte) f.get("build").intValue());
        b.put(off + 1, (byte) f.get("minor").intValue());
        b.put(off + 2, (byte) f.get("major").intValue());
    }

    @Test
    void reproducesTrusteeFixtureByteForByte() {
        String text = new String(Vectors.bytes("trustee/evidence/snp-evidence.json"), StandardCharsets.UTF_8).strip();
        JsonNode fixture = Json.parse(text, "fixture");
        byte[] report = reportBytes(fixture.get("attestation_report"));
        // The fixture's cert chain holds one VCEK; wrap it in a GHCB table with sdk-sev's writer.
        byte[] vcek = new byte[fixture.at("/cert_chain/0/data").size()];
        for (int i = 0; i < vcek.length; i++) {
            vcek[i] = (byte) fixture.at("/cert_chain/0/data").get(i).intValue();
        }
        byte[] table = new SnpCertTable(java.util.List.of(new SnpCertTable.Entry(SnpCertTable.VCEK, vcek))).toBytes();
        JsonNode out = new SnpEvidenceSerializer().primaryEvidence(new Evidence(TeeType.SNP, report, table),
                binding());
        assertThat(Json.write(out)).isEqualTo(text);
    }

    @Test
    void simulatedPlatformRoundTrip() {
        SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().build();
        RuntimeDataBinding bind = binding();
        Evidence ev = sim.evidence(bind.reportData());
        JsonNode out = new SnpEvidenceSerializer().primaryEvidence(ev, bind);
        SnpReport parsed = SnpReport.parse(ev.data());
        JsonNode rep = out.get("attestation_report");
        assertThat(rep.get("version").intValue()).isEqualTo(parsed.version());
        assertThat(rep.get("report_data").size()).isEqualTo(64);
        byte[] rd = new byte[64];
        for (int i = 0; i < 64; i++) {
            rd[i] = (byte) rep.get("report_data").get(i).intValue();
        }
        assertThat(ReportData.of(rd)).isEqualTo(bind.reportData());
        assertThat(rep.get("chip_id").size()).isEqualTo(64);
        assertThat(rep.get("policy").longValue()).isEqualTo(parsed.policy().raw());
        assertThat(out.get("cert_chain").isArray()).isTrue();
        assertThat(out.get("cert_chain").size()).isEqualTo(sim.certTable().entries().size());
        assertThat(Json.write(out.get("cert_chain"))).contains("\"cert_type\":\"VCEK\"");
    }

    @Test
    void noTableMeansNullChainAndBadSizeIsRefused() {
        byte[] report = reportBytes(Vectors.json("trustee/evidence/snp-evidence.json").get("attestation_report"));
        JsonNode out = new SnpEvidenceSerializer().primaryEvidence(Evidence.of(TeeType.SNP, report), binding());
        assertThat(out.get("cert_chain").isNull()).isTrue();
        assertThatThrownBy(() -> new SnpEvidenceSerializer().primaryEvidence(
                Evidence.of(TeeType.SNP, new byte[100]), binding())).isInstanceOf(AttestationException.class);
        byte[] badTable = new byte[30];
        badTable[0] = 1;
        assertThatThrownBy(() -> new SnpEvidenceSerializer().primaryEvidence(
                new Evidence(TeeType.SNP, report, badTable), binding())).isInstanceOf(AttestationException.class);
    }

    @Test
    void sampleEvidenceMatchesVector() {
        JsonNode v = Vectors.json("derived/runtime-data-binding.json");
        RuntimeDataBinding bind = binding();
        Evidence ev = new InsecureSampleAttester().attest(bind.reportData());
        assertThat(new SampleEvidenceSerializer().primaryEvidence(ev, bind)).isEqualTo(v.get("sample_evidence"));
        assertThat(EvidenceSerializers.require(TeeType.SAMPLE)).isInstanceOf(SampleEvidenceSerializer.class);
        assertThat(EvidenceSerializers.forTee(TeeType.NVIDIA_GPU)).isEmpty();
        assertThat(EvidenceSerializers.require(TeeType.TDX)).isInstanceOf(TdxEvidenceSerializer.class);
    }
}
