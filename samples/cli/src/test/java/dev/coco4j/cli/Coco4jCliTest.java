package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Coco4jCliTest {

    @Test
    void versionPrintsTheProjectVersion() {
        Cli.Result r = Cli.run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out().strip()).matches("coco4j \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void helpIsSuccess() {
        Cli.Result r = Cli.run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("show", "verify");
    }

    @Test
    void noCommandIsAUsageError() {
        Cli.Result r = Cli.run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("CONFIGURATION: ");
    }

    @Test
    void unknownCommandIsAUsageError() {
        Cli.Result r = Cli.run("frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("CONFIGURATION: ");
    }

    @Test
    void debugPrintsTheStackTraceOnlyWhenAsked() {
        Cli.Result quiet = Cli.run("show", "snp", "does-not-exist.bin");
        assertThat(quiet.code()).isEqualTo(2);
        assertThat(quiet.hasStackTrace()).isFalse();
        Cli.Result loud = Cli.run("show", "snp", "does-not-exist.bin", "--debug");
        assertThat(loud.code()).isEqualTo(2);
        assertThat(loud.firstErrLine()).startsWith("CONFIGURATION: ");
        assertThat(loud.err()).contains("\tat ");
    }
}
