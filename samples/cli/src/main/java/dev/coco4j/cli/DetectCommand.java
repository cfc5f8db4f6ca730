package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attesters;
import dev.coco4j.core.spi.DetectionReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j detect [--json]}: which TEE this machine has. Prints every probe of
 * {@link Attesters#detectionReport()} (TEE, mechanism, target, found, detail), the CPU TEE that {@code --tee auto}
 * would use and any usable GPU. Exit 0 when a CPU TEE interface was found; otherwise the table is still printed and
 * the command exits 2 with {@code CONFIGURATION: no TEE interface found ...}. Trustee's {@code sample} attester is
 * never probed.
 */
@Command(name = "detect", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Probe this machine for a TEE interface (configfs-tsm, guest device nodes, Azure vTPM, NVIDIA "
            + "GPUs) and print what each probe found.",
            "Exit 0 when a CPU TEE was found (the one `--tee auto` uses), 2 when none was."})
final class DetectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    DetectCommand() {
    }

    @Override
    public Integer call() {
        DetectionReport report = Attesters.detectionReport();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, toJson(report));
        } else {
            printTable(out, report);
        }
        out.flush();
        if (!report.found()) {
            throw notFound(report);
        }
        return 0;
    }

    /** The refusal when no CPU TEE interface was found: every probe on one line. */
    static ConfigurationException notFound(DetectionReport report) {
        StringBuilder sb = new StringBuilder("no TEE interface found");
        if (report.probes().isEmpty()) {
            sb.append(": no attester installed");
        } else {
            if (!report.devices().isEmpty()) {
                sb.append(" (a GPU is usable, but a GPU is attested next to a CPU TEE, never alone)");
            }
            sb.append("; probed: ").append(report.probes().stream().map(DetectionReport.Probe::toString)
                    .collect(Collectors.joining("; ")));
        }
        return new ConfigurationException(Reason.CONFIGURATION, sb.toString());
    }

    /** The report as the JSON object {@code --json} prints. */
    static Map<String, Object> toJson(DetectionReport report) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("found", report.found());
        o.put("selected", selected(report).map(p -> p.tee().id()).orElse(null));
        o.put("selected_probe", selected(report).map(DetectCommand::probeJson).orElse(null));
        List<Map<String, Object>> probes = new ArrayList<>();
        for (DetectionReport.Probe p : report.probes()) {
            probes.add(probeJson(p));
        }
        o.put("probes", probes);
        o.put("gpus", gpus(report).stream().map(DetectCommand::probeJson).toList());
        return o;
    }

    /** The report as a table for a person. */
    static void printTable(PrintWriter out, DetectionReport report) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TEE", "MECHANISM", "TARGET", "FOUND", "DETAIL"});
        for (DetectionReport.Probe p : report.probes()) {
            rows.add(new String[] {p.tee().id(), mechanism(p.mechanism()), p.target(), p.found() ? "yes" : "no",
                Failures.oneLine(p.detail())});
        }
        int[] width = new int[4];
        for (String[] r : rows) {
            for (int i = 0; i < width.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < width.length; i++) {
                sb.append(r[i]).append(" ".repeat(width[i] - r[i].length() + 2));
            }
            out.println(sb.append(r[4]).toString().stripTrailing());
        }
        if (report.probes().isEmpty()) {
            out.println("(no attester installed)");
        }
        out.println();
        out.println("selected: " + selected(report).map(p -> p.tee().id() + " (" + mechanism(p.mechanism()) + " "
                + p.target() + ")").orElse("none (no CPU TEE interface found)"));
        List<DetectionReport.Probe> gpus = gpus(report);
        out.println("gpus: " + (gpus.isEmpty() ? "none" : gpus.stream().map(p -> p.target() + " ("
                + Failures.oneLine(p.detail()) + ")").collect(Collectors.joining(", "))));
    }

    /** The probe that decided the selection, the same rule as {@link DetectionReport#explain()}. */
    private static Optional<DetectionReport.Probe> selected(DetectionReport report) {
        if (!report.found()) {
            return Optional.empty();
        }
        return report.probes().stream().filter(DetectionReport.Probe::found)
                .filter(p -> p.tee() != TeeType.NVIDIA_GPU).findFirst();
    }

    private static List<DetectionReport.Probe> gpus(DetectionReport report) {
        return report.probes().stream().filter(DetectionReport.Probe::found)
                .filter(p -> p.tee() == TeeType.NVIDIA_GPU).toList();
    }

    static String mechanism(DetectionReport.Mechanism m) {
        return m.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** One probe as a JSON object. */
    private static Map<String, Object> probeJson(DetectionReport.Probe p) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("tee", p.tee().id());
        o.put("mechanism", mechanism(p.mechanism()));
        o.put("target", p.target());
        o.put("found", p.found());
        o.put("detail", p.detail());
        return o;
    }
}
