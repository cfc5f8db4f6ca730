package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShowTdxCommandTest {
    @Test
    void printsEveryFieldOfSetA() {
        Cli.Result r = Cli.run("show", "tdx", VerifyTdxCommandTest.A_QUOTE);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Intel TDX quote v4").contains(VerifyTdxCommandTest.A_MRTD)
                .contains("qe_isv_svn").contains("b0c06f000000").contains("rtmr3");
    }

    @Test
    void jsonForAV5QuoteFromHexText(@TempDir Path dir) throws IOException {
        Path hex = dir.resolve("q.hex");
        Files.writeString(hex, HexFormat.of().formatHex(Files.readAllBytes(Path.of(VerifyTdxCommandTest.B_QUOTE))));
        Cli.Result r = Cli.run("show", "tdx", hex.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.json().get("version").asInt()).isEqualTo(5);
        assertThat(r.json().get("body_type").asInt()).isEqualTo(3);
        assertThat(r.json().get("mr_td").asText()).startsWith("273828c4");
        assertThat(r.json().has("tee_tcb_svn2")).isTrue();
    }

    @Test
    void garbageIsExit2(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("junk");
        Files.write(junk, new byte[] {4, 0, 2, 0, (byte) 0x81, 0, 0, 0});
        Cli.Result r = Cli.run("show", "tdx", junk.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("MALFORMED_EVIDENCE: ");
    }
}
