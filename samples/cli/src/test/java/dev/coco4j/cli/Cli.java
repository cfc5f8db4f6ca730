package dev.coco4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Runs the CLI in-process and captures what it printed. */
final class Cli {
    /** The SEV-SNP vectors of sdk-sev, relative to this module's directory (surefire's working directory). */
    static final Path SEV = Path.of("../../sdk-sev/src/test/resources/vectors/sev");
    /** Every VCEK vector is within its validity here. */
    static final String VCEK_TIME = "2026-06-01T00:00:00Z";
    /** The VLEK vector expired on 2025-12-10. */
    static final String VLEK_TIME = "2025-06-01T00:00:00Z";

    private Cli() {
    }

    /** The outcome of one invocation. */
    record Result(int code, String out, String err) {
        /** The first line on stderr, or "". */
        String firstErrLine() {
            return err.lines().findFirst().orElse("");
        }

        /** Stdout parsed as JSON. */
        JsonNode json() {
            try {
                return new ObjectMapper().readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** True if anything printed looks like a stack trace. */
        boolean hasStackTrace() {
            return (out + err).contains("\tat ") || (out + err).contains("Exception:");
        }
    }

    static String vector(String relative) {
        return SEV.resolve(relative).toString();
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Coco4jCli.run(args, o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
