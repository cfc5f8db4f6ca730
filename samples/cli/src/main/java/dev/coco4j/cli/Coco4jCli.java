package dev.coco4j.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Entry point of the {@code coco4j} command (contract: CLI.md). {@link #run(String[], PrintStream, PrintStream)} runs
 * one invocation in-process and returns its exit status; {@link #main(String[])} exits with it.
 */
@Command(name = "coco4j", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Show, verify and simulate confidential-computing evidence; envelope- and field-encrypt data.",
        subcommands = {ShowCommand.class, VerifyCommand.class, SimCommand.class, EnvelopeCommand.class,
            PhiCommand.class, KbsCommand.class, SealCommand.class, DemoCommand.class, ReferenceValuesCommand.class,
            DetectCommand.class, AttestCommand.class})
public final class Coco4jCli extends CommandGroup {

    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Print stack traces of failures (never printed otherwise).")
    boolean debug;

    Coco4jCli() {
    }

    /**
     * Runs the command and exits with its status.
     *
     * @param args the command-line arguments, as for {@link #run}; the JVM exits with the status {@code run} returns
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs one invocation.
     *
     * @param args the command-line arguments
     * @param out where results go
     * @param err where refusals and errors go; the first line of a failure is {@code <REASON>: <detail>}
     * @return the exit status: 0 success, 1 refused, 2 usage or input error, 3 unavailable
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter e = new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        boolean debug = debugRequested(args);
        quietLogging(debug);
        try {
            CommandLine cl = new CommandLine(new Coco4jCli());
            cl.setOut(o);
            cl.setErr(e);
            cl.setParameterExceptionHandler((ex, a) -> Failures.usage(ex, e, debug));
            cl.setExecutionExceptionHandler((ex, line, parsed) -> Failures.report(ex, e, debug));
            return cl.execute(args);
        } catch (RuntimeException ex) {
            // picocli reports its own problems through the handlers above; this is a last resort.
            return Failures.report(ex, e, debug);
        } finally {
            o.flush();
            e.flush();
        }
    }

    /**
     * The SDK logs through System.Logger (java.util.logging here). The CLI's stderr contract puts the reason on the
     * first line, so library logging is silenced unless --debug asks for it.
     */
    private static void quietLogging(boolean debug) {
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        java.util.logging.Level level = debug ? java.util.logging.Level.FINE : java.util.logging.Level.OFF;
        root.setLevel(level);
        for (java.util.logging.Handler h : root.getHandlers()) {
            h.setLevel(level);
        }
    }

    private static boolean debugRequested(String[] args) {
        for (String a : args) {
            if (a.equals("--")) {
                return false;
            }
            if (a.equals("--debug")) {
                return true;
            }
        }
        return false;
    }
}
