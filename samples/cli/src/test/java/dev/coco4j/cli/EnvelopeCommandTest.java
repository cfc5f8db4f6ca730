package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvelopeCommandTest {
    @TempDir
    Path dir;
    Path key;
    Path plain;

    @BeforeEach
    void files() throws IOException {
        byte[] k = new byte[32];
        new Random(1).nextBytes(k);
        key = dir.resolve("kek.hex");
        Files.writeString(key, HexFormat.of().formatHex(k) + "\n");
        byte[] data = new byte[200_000];
        new Random(2).nextBytes(data);
        plain = dir.resolve("scan.dcm");
        Files.write(plain, data);
    }

    String s(Path p) {
        return p.toString();
    }

    @Test
    void encryptDecryptRoundTripWithContext() throws IOException {
        Path ct = dir.resolve("scan.c4je");
        Cli.Result enc = Cli.run("envelope", "encrypt", "--in", s(plain), "--out", s(ct), "--key-file", s(key),
                "--context", "patient=p-1", "--context", "purpose=treatment");
        assertThat(enc.code()).as(enc.err()).isZero();
        assertThat(Files.size(ct)).isGreaterThan(Files.size(plain));

        Path back = dir.resolve("scan.out");
        Cli.Result dec = Cli.run("envelope", "decrypt", "--in", s(ct), "--out", s(back), "--key-file", s(key),
                "--context", "patient=p-1");
        assertThat(dec.code()).as(dec.err()).isZero();
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(plain));

        Cli.Result wrongCtx = Cli.run("envelope", "decrypt", "--in", s(ct), "--out", s(dir.resolve("x")),
                "--key-file", s(key), "--context", "patient=p-2");
        assertThat(wrongCtx.code()).isEqualTo(1);
        assertThat(wrongCtx.firstErrLine()).isEqualTo("CIPHERTEXT_INVALID: ciphertext is not authentic");
        assertThat(wrongCtx.hasStackTrace()).isFalse();
        assertThat(dir.resolve("x")).doesNotExist();
    }

    @Test
    void tamperedOrTruncatedInputLeavesNoOutputBehind() throws IOException {
        Path ct = dir.resolve("scan.c4je");
        assertThat(Cli.run("envelope", "encrypt", "--in", s(plain), "--out", s(ct), "--key-file", s(key)).code())
                .isZero();
        byte[] bytes = Files.readAllBytes(ct);
        Path tampered = dir.resolve("tampered.c4je");
        byte[] t = bytes.clone();
        t[t.length - 100] ^= 1; // in the last segment: earlier segments verify and were already streamed
        Files.write(tampered, t);
        Path truncated = dir.resolve("truncated.c4je");
        Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 70_000));

        for (Path bad : new Path[] {tampered, truncated}) {
            Path out = dir.resolve("out-" + bad.getFileName());
            Cli.Result r = Cli.run("envelope", "decrypt", "--in", s(bad), "--out", s(out), "--key-file", s(key));
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.firstErrLine()).isEqualTo("CIPHERTEXT_INVALID: ciphertext is not authentic");
            assertThat(out).doesNotExist();
        }
        // an existing --out file is left untouched
        Path existing = dir.resolve("existing");
        Files.writeString(existing, "keep me");
        assertThat(Cli.run("envelope", "decrypt", "--in", s(tampered), "--out", s(existing), "--key-file", s(key))
                .code()).isEqualTo(1);
        assertThat(Files.readString(existing)).isEqualTo("keep me");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part"));
        }
    }

    @Test
    void wrongKeyIsRefused() throws IOException {
        Path ct = dir.resolve("scan.c4je");
        Cli.run("envelope", "encrypt", "--in", s(plain), "--out", s(ct), "--key-file", s(key));
        Path other = dir.resolve("other.key");
        Files.write(other, new byte[32]);
        Cli.Result r = Cli.run("envelope", "decrypt", "--in", s(ct), "--out", s(dir.resolve("o")), "--key-file",
                s(other));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.firstErrLine()).startsWith("CIPHERTEXT_INVALID");
    }

    @Test
    void usageErrors() {
        Cli.Result noKey = Cli.run("envelope", "encrypt", "--in", s(plain), "--out", s(dir.resolve("o")));
        assertThat(noKey.code()).isEqualTo(2);
        assertThat(noKey.firstErrLine()).startsWith("CONFIGURATION:");

        Cli.Result kbs = Cli.run("envelope", "encrypt", "--in", s(plain), "--out", s(dir.resolve("o")),
                "--kbs-url", "https://kbs.example:8080", "--kbs-key", "default/phi/kek");
        // --tee auto on a build host without a TEE (and never the sample attester): refused before any request
        assertThat(kbs.code()).isEqualTo(2);
        assertThat(kbs.firstErrLine()).startsWith("CONFIGURATION: ");
        assertThat(dir.resolve("o")).doesNotExist();

        Cli.Result noPath = Cli.run("envelope", "encrypt", "--in", s(plain), "--out", s(dir.resolve("o")),
                "--kbs-url", "http://127.0.0.1:1", "--tee", "sample");
        assertThat(noPath.code()).isEqualTo(2);
        assertThat(noPath.firstErrLine()).isEqualTo("CONFIGURATION: --kbs-url needs --kbs-key REPO/TYPE/TAG");

        Cli.Result both = Cli.run("envelope", "encrypt", "--in", s(plain), "--out", s(dir.resolve("o")),
                "--key-file", s(key), "--kbs-url", "https://kbs.example");
        assertThat(both.code()).isEqualTo(2);

        Cli.Result missing = Cli.run("envelope", "encrypt", "--in", s(dir.resolve("nope")), "--out",
                s(dir.resolve("o")), "--key-file", s(key));
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.firstErrLine()).startsWith("CONFIGURATION: --in: no such file");

        Cli.Result badCtx = Cli.run("envelope", "encrypt", "--in", s(plain), "--out", s(dir.resolve("o")),
                "--key-file", s(key), "--context", "novalue");
        assertThat(badCtx.code()).isEqualTo(2);

        Cli.Result badKey = Cli.run("envelope", "encrypt", "--in", s(plain), "--out", s(dir.resolve("o")),
                "--key-file", s(plain));
        assertThat(badKey.code()).isEqualTo(2);
        assertThat(dir.resolve("o")).doesNotExist();
        assertThat(Cli.run("envelope").code()).isEqualTo(2);
    }

    @Test
    void notAnEnvelopeIsRefused() throws IOException {
        Path junk = dir.resolve("junk");
        Files.writeString(junk, "hello", StandardCharsets.UTF_8);
        Cli.Result r = Cli.run("envelope", "decrypt", "--in", s(junk), "--out", s(dir.resolve("o")), "--key-file",
                s(key));
        assertThat(r.code()).isEqualTo(1);
        assertThat(dir.resolve("o")).doesNotExist();
    }
}
