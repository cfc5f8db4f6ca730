package dev.coco4j.cli;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Turns failures into the contract's stderr lines and exit status: the first line is {@code <REASON>: <detail>}, any
 * further failed checks follow one per line, and a stack trace only with {@code --debug}.
 */
final class Failures {
    private Failures() {
    }

    /** A usage error (unknown flag, missing option, bad value): {@code CONFIGURATION: ...}, exit 2. */
    static int usage(ParameterException ex, PrintWriter err, boolean debug) {
        err.println(Reason.CONFIGURATION + ": " + oneLine(ex.getMessage()));
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        CommandLine cl = ex.getCommandLine();
        if (cl != null) {
            err.println("Try '" + cl.getCommandSpec().qualifiedName() + " --help' for usage.");
        }
        trace(ex, err, debug);
        err.flush();
        return Reason.CONFIGURATION.exitCode();
    }

    /** Any failure of a command; returns the exit status its reason maps to. */
    static int report(Exception ex, PrintWriter err, boolean debug) {
        if (ex instanceof ParameterException pe) {
            return usage(pe, err, debug);
        }
        if (ex instanceof CocoException ce) {
            lines(ce, err);
            trace(ex, err, debug);
            err.flush();
            return ce.reason().exitCode();
        }
        err.println(Reason.CONFIGURATION + ": unexpected " + ex.getClass().getSimpleName()
                + (ex.getMessage() == null ? "" : ": " + oneLine(ex.getMessage()))
                + (debug ? "" : " (run with --debug for details)"));
        trace(ex, err, debug);
        err.flush();
        return Reason.CONFIGURATION.exitCode();
    }

    /** The failure lines of a refusal, primary first. */
    static void lines(CocoException ce, PrintWriter err) {
        for (CocoException.Failure f : ce.failures()) {
            err.println(f.reason() + ": " + oneLine(f.detail()));
        }
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }

    private static void trace(Exception ex, PrintWriter err, boolean debug) {
        if (debug) {
            ex.printStackTrace(err);
        }
    }
}
