package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShowSnpCommandTest {

    @Test
    void turinReportShowsEveryFieldWithTheFmcComponent() {
        Cli.Result r = Cli.run("show", "snp", Cli.vector("turin/mstav_turin_v5_report.bin"));
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("product", "Turin")
                .contains("reported_tcb        5100000004010101 (fmc=1 bl=1 tee=1 snp=4 ucode=81)")
                .contains("chip_id             59790fb1c39f35c1")
                .contains("current_firmware    1.55.65")
                .contains("launch_mit_vector   0x3f")
                .contains("platform_info       0x65")
                .contains("signature_r", "signature_s", "report_id_ma", "host_data", "id_key_digest");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void v2ReportShowsTcbRawWithANoteUnlessTheProductIsGiven() {
        String report = Cli.vector("milan/gsg_milan_v2_report.bin");
        Cli.Result raw = Cli.run("show", "snp", report);
        assertThat(raw.code()).isZero();
        assertThat(raw.out()).contains("reported_tcb        4405000000000002\n").contains("note: ");
        Cli.Result decoded = Cli.run("show", "snp", report, "--product", "milan");
        assertThat(decoded.code()).isZero();
        assertThat(decoded.out()).contains("4405000000000002 (bl=2 tee=0 snp=5 ucode=68)")
                .contains("debug").doesNotContain("note: ");
    }

    @Test
    void hexTextInputIsAccepted() {
        Cli.Result r = Cli.run("show", "snp", Cli.vector("milan/virtee_milan_v2_report.hex"), "--product", "milan");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("7308000000000003 (bl=3 tee=0 snp=8 ucode=115)");
    }

    @Test
    void jsonHasTheFieldsDecoded() {
        Cli.Result r = Cli.run("show", "snp", Cli.vector("genoa/oak_genoa_v5_report.bin"), "--json");
        assertThat(r.code()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("version").asInt()).isEqualTo(5);
        assertThat(j.get("product").asText()).isEqualTo("Genoa");
        assertThat(j.get("reported_tcb").get("raw").asText()).isEqualTo("541900000000000a");
        assertThat(j.get("reported_tcb").get("snp").asInt()).isEqualTo(25);
        assertThat(j.get("chip_id").asText()).startsWith("d2421d97");
        assertThat(j.get("policy").get("debug").asBoolean()).isFalse();
    }

    @Test
    void truncatedReportIsMalformedEvidence(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Path.of(Cli.vector("milan/mstav_milan_v3_report.bin")));
        Path cut = Files.write(dir.resolve("cut.bin"), java.util.Arrays.copyOf(whole, 1000));
        Cli.Result r = Cli.run("show", "snp", cut.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("MALFORMED_EVIDENCE: ");
        assertThat(r.hasStackTrace()).isFalse();
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownVersionIsUnsupported(@TempDir Path dir) throws IOException {
        byte[] report = Files.readAllBytes(Path.of(Cli.vector("milan/mstav_milan_v3_report.bin")));
        report[0] = 9;
        Path p = Files.write(dir.resolve("v9.bin"), report);
        Cli.Result r = Cli.run("show", "snp", p.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("UNSUPPORTED_VERSION: ");
    }

    @Test
    void badProductIsAUsageError() {
        Cli.Result r = Cli.run("show", "snp", Cli.vector("milan/gsg_milan_v2_report.bin"), "--product", "naples");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("CONFIGURATION: --product");
    }
}
