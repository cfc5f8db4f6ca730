package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress lines for {@code envelope} and {@code phi}: on a terminal only; nothing in a pipe. */
class ProgressTest {
    final BooleanSupplier original = Progress.terminal;

    @AfterEach
    void restore() {
        Progress.terminal = original;
    }

    static Path key(Path dir) throws IOException {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        return Files.writeString(dir.resolve("kek.hex"), HexFormat.of().formatHex(k));
    }

    @Test
    void envelopeShowsByteProgressOnATerminalAndNothingInAPipe(@TempDir Path dir) throws IOException {
        Path key = key(dir);
        Path plain = Files.write(dir.resolve("plain.bin"), new byte[3 * 1024 * 1024]);

        Progress.terminal = () -> true;
        Cli.Result onTerminal = Cli.run("envelope", "encrypt", "--in", plain.toString(), "--out",
                dir.resolve("ct1").toString(), "--key-file", key.toString());
        assertThat(onTerminal.code()).as(onTerminal.err()).isZero();
        assertThat(onTerminal.err()).startsWith("\r").contains("envelope encrypt: 100% (3.0 MiB of 3.0 MiB) done")
                .endsWith(System.lineSeparator());
        assertThat(onTerminal.out()).doesNotContain("\r");
        Cli.Result decrypt = Cli.run("envelope", "decrypt", "--in", dir.resolve("ct1").toString(), "--out",
                dir.resolve("back").toString(), "--key-file", key.toString());
        assertThat(decrypt.err()).contains("envelope decrypt: 100%");

        Progress.terminal = () -> false;
        Cli.Result inPipe = Cli.run("envelope", "encrypt", "--in", plain.toString(), "--out",
                dir.resolve("ct2").toString(), "--key-file", key.toString());
        assertThat(inPipe.code()).isZero();
        assertThat(inPipe.err()).isEmpty();
    }

    @Test
    void aFailureAfterProgressClearsTheLineSoTheReasonStartsCleanly(@TempDir Path dir) throws IOException {
        Path key = key(dir);
        Path plain = Files.write(dir.resolve("plain.bin"), new byte[1024]);
        Cli.run("envelope", "encrypt", "--in", plain.toString(), "--out", dir.resolve("ct").toString(),
                "--key-file", key.toString());
        byte[] ct = Files.readAllBytes(dir.resolve("ct"));
        ct[ct.length - 1] ^= 1;
        Files.write(dir.resolve("ct"), ct);

        Progress.terminal = () -> true;
        Cli.Result r = Cli.run("envelope", "decrypt", "--in", dir.resolve("ct").toString(), "--out",
                dir.resolve("x").toString(), "--key-file", key.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("\r\u001b[KCIPHERTEXT_INVALID: ").doesNotContain("done");
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void phiShowsItsStagesOnATerminalOnly(@TempDir Path dir) throws IOException {
        Path key = key(dir);
        Path in = Files.writeString(dir.resolve("p.json"), "{\"resourceType\":\"Patient\",\"id\":\"x\","
                + "\"name\":[{\"family\":\"Fake\"}]}");
        Progress.terminal = () -> true;
        Cli.Result r = Cli.run("phi", "encrypt", "--in", in.toString(), "--out", dir.resolve("e.json").toString(),
                "--key-file", key.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("phi encrypt: reading p.json").contains("phi encrypt: encrypting")
                .contains("phi encrypt done");
        Progress.terminal = () -> false;
        Cli.Result quiet = Cli.run("phi", "decrypt", "--in", dir.resolve("e.json").toString(), "--out",
                dir.resolve("d.json").toString(), "--key-file", key.toString());
        assertThat(quiet.code()).isZero();
        assertThat(quiet.err()).isEmpty();
    }
}
