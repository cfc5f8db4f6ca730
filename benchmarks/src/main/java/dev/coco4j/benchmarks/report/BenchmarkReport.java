package dev.coco4j.benchmarks.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs every JMH benchmark of this module in one go and writes a report: each SDK method as a ratio to its
 * raw-primitive baseline measured in the same run ({@link Pairing#ALL}), cold-start figures from fresh JVMs
 * ({@link ColdStart}), and an envelope throughput-by-size chart ({@link ThroughputChart}).
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.coco4j.benchmarks.report.BenchmarkReport [options]
 *   --quick            tiny warm-up and measurement (a smoke run: seconds per benchmark, numbers are rough)
 *   --out DIR          where report.md, report.csv, envelope-throughput.png and jmh-result.json go
 *                      (default benchmarks/report)
 *   --include REGEX    only benchmark classes whose simple name matches (default: all)
 *   --from-json FILE   no JMH run: build the report from an earlier JMH JSON result file
 *   --cold-start N     fresh JVMs per cold-start figure (default 5, quick 2; 0 skips)
 *   --note TEXT        a line for the report header (e.g. the machine's load)
 * </pre>
 */
public final class BenchmarkReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PACKAGE = "dev.coco4j.benchmarks.";

    private BenchmarkReport() {
    }

    /** Options of one report run. */
    record Settings(boolean quick, Path out, String include, Path fromJson, int coldStartRuns, String note) {
    }

    /**
     * Runs the benchmarks and writes the report (see the class comment for the options).
     *
     * @param args the options
     * @throws Exception if JMH, a cold-start child or writing fails
     */
    public static void main(String[] args) throws Exception {
        Settings s = parse(args);
        PrintStream log = System.out;
        Files.createDirectories(s.out());
        Path json = s.out().resolve("jmh-result.json");
        if (s.fromJson() != null) {
            json = s.fromJson();
        } else {
            runJmh(s, json);
        }
        List<BenchmarkResult> results = readJmhJson(json);
        List<ColdStartResult> cold = s.coldStartRuns() > 0 ? ColdStart.measure(s.coldStartRuns(), log) : List.of();
        String settings = s.quick() ? "quick (1 warm-up × 0.2 s, 2 measurements × 0.2 s, 1 fork)"
                : "moderate (2 warm-ups × 1 s, 3 measurements × 1 s, 1 fork)";
        write(results, cold, header(settings, s.note()), s.out());
        log.println("report written to " + s.out().toAbsolutePath());
    }

    static Settings parse(String[] args) {
        boolean quick = false;
        Path out = Path.of("benchmarks", "report");
        String include = ".*";
        Path fromJson = null;
        Integer cold = null;
        String note = "";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--quick" -> quick = true;
                case "--out" -> out = Path.of(value(args, ++i));
                case "--include" -> include = value(args, ++i);
                case "--from-json" -> fromJson = Path.of(value(args, ++i));
                case "--cold-start" -> cold = Integer.parseInt(value(args, ++i));
                case "--note" -> note = value(args, ++i);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return new Settings(quick, out, include, fromJson, cold != null ? cold : quick ? 2 : 5, note);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    static void runJmh(Settings s, Path json) throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include("^" + java.util.regex.Pattern.quote(PACKAGE) + "(" + s.include() + ")\\.")
                .resultFormat(ResultFormatType.JSON).result(json.toString()).forks(1).shouldFailOnError(true)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");
        if (s.quick()) {
            o.warmupIterations(1).warmupTime(TimeValue.milliseconds(200)).measurementIterations(2)
                    .measurementTime(TimeValue.milliseconds(200));
        } else {
            o.warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(3)
                    .measurementTime(TimeValue.seconds(1));
        }
        new Runner(o.build()).run();
    }

    /**
     * Reads a JMH JSON result file.
     *
     * @param json the file JMH wrote with {@code -rf json}
     * @return one result per benchmark method and parameter combination
     * @throws IOException if it cannot be read or is not a JMH result array
     */
    public static List<BenchmarkResult> readJmhJson(Path json) throws IOException {
        JsonNode root = JSON.readTree(json.toFile());
        if (root == null || !root.isArray()) {
            throw new IOException(json + " is not a JMH JSON result array");
        }
        List<BenchmarkResult> out = new ArrayList<>();
        for (JsonNode r : root) {
            String full = r.path("benchmark").asText();
            int dot = full.lastIndexOf('.');
            if (dot < 0) {
                throw new IOException("unexpected benchmark name " + full);
            }
            String cls = full.substring(0, dot);
            cls = cls.substring(cls.lastIndexOf('.') + 1);
            Map<String, String> params = new LinkedHashMap<>();
            r.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
            JsonNode m = r.path("primaryMetric");
            out.add(new BenchmarkResult(cls, full.substring(dot + 1), params, number(m.path("score")),
                    number(m.path("scoreError")), m.path("scoreUnit").asText()));
        }
        return out;
    }

    private static double number(JsonNode n) {
        if (n.isNumber()) {
            return n.asDouble();
        }
        try {
            return Double.parseDouble(n.asText());
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * Pairs each SDK result with the baseline result of the same class and parameters.
     *
     * @param results every result of one run
     * @return the pairs in {@link Pairing#ALL} order, then by parameters
     */
    public static List<PairedResult> pair(List<BenchmarkResult> results) {
        List<PairedResult> out = new ArrayList<>();
        for (Pairing p : Pairing.ALL) {
            for (BenchmarkResult sdk : results) {
                if (!sdk.benchmarkClass().equals(p.benchmarkClass()) || !sdk.method().equals(p.sdkMethod())) {
                    continue;
                }
                results.stream().filter(b -> b.benchmarkClass().equals(p.benchmarkClass())
                                && b.method().equals(p.baselineMethod()) && b.params().equals(sdk.params())
                                && b.unit().equals(sdk.unit()))
                        .findFirst().ifPresent(b -> out.add(new PairedResult(p, sdk, b)));
            }
        }
        return out;
    }

    /**
     * The highest sdk / {@code baselineOkHttpGet} ratio a KBS client can reach when it must decrypt every response:
     * 1 / (1 + GET throughput / JWE-open throughput), from the run's own scores.
     *
     * @param results every result of one run
     * @return the ceiling, or empty if the run lacks either figure
     */
    public static java.util.OptionalDouble kbsCeiling(List<BenchmarkResult> results) {
        java.util.function.Function<String, java.util.OptionalDouble> score = m -> results.stream()
                .filter(r -> r.benchmarkClass().equals("KbsRoundTripBenchmark") && r.method().equals(m))
                .mapToDouble(BenchmarkResult::score).findFirst();
        java.util.OptionalDouble get = score.apply("baselineOkHttpGet");
        java.util.OptionalDouble open = score.apply("rawJweOpenP256");
        if (get.isEmpty() || open.isEmpty() || get.getAsDouble() <= 0 || open.getAsDouble() <= 0) {
            return java.util.OptionalDouble.empty();
        }
        return java.util.OptionalDouble.of(1 / (1 + get.getAsDouble() / open.getAsDouble()));
    }

    static String header(String settings, String note) {
        Runtime rt = Runtime.getRuntime();
        return "Generated " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " on " + System.getProperty("os.name")
                + " " + System.getProperty("os.arch") + ", " + rt.availableProcessors() + " CPUs visible, Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + "). Settings: "
                + settings + "." + (note.isBlank() ? "" : " " + note);
    }

    /**
     * Writes {@code report.md}, {@code report.csv} and, when there are envelope size results,
     * {@code envelope-throughput.png} into {@code dir}.
     *
     * @param results every JMH result of the run
     * @param cold the cold-start figures (may be empty)
     * @param header a line describing the machine and settings
     * @param dir the output directory (created if needed)
     * @throws IOException if a file cannot be written
     */
    public static void write(List<BenchmarkResult> results, List<ColdStartResult> cold, String header, Path dir)
            throws IOException {
        Files.createDirectories(dir);
        List<PairedResult> pairs = pair(results);
        var series = ThroughputChart.series(results);
        boolean chart = !series.isEmpty();
        if (chart) {
            ThroughputChart.draw(series, header, dir.resolve("envelope-throughput.png"));
        }
        Files.writeString(dir.resolve("report.md"), markdown(results, pairs, cold, header, chart),
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.csv"), csv(pairs, cold), StandardCharsets.UTF_8);
    }

    static String markdown(List<BenchmarkResult> results, List<PairedResult> pairs, List<ColdStartResult> cold,
                           String header, boolean chart) {
        StringBuilder b = new StringBuilder();
        b.append("# coco4j benchmark report\n\n").append(header).append("\n\n");
        b.append("Each SDK operation is shown as a ratio to its raw-primitive baseline measured in the same run "
                + "(throughput, higher is better; 1.00 = as fast as the raw primitive). Absolute numbers depend on the "
                + "machine and its load; the ratios are the figures to compare. Targets are the ones each benchmark "
                + "class documents. Regenerate with `benchmarks/run-report` (see `benchmarks/README.md`).\n\n");
        b.append("## SDK vs baseline\n\n");
        b.append("| benchmark | params | sdk | sdk score | baseline | baseline score | unit | ratio | target | met |\n");
        b.append("|---|---|---|---:|---|---:|---|---:|---:|---|\n");
        for (PairedResult p : pairs) {
            b.append("| ").append(p.pairing().benchmarkClass()).append(" | ").append(p.sdk().paramsText())
                    .append(" | ").append(p.sdk().method()).append(" | ").append(score(p.sdk())).append(" | ")
                    .append(p.baseline().method()).append(" | ").append(score(p.baseline())).append(" | ")
                    .append(p.sdk().unit()).append(" | ").append(fmt(p.ratio(), 2)).append(" | ")
                    .append(p.pairing().targetRatio().isPresent() ? "≥ " + fmt(p.pairing().target(), 2) : "—")
                    .append(" | ").append(p.meetsTarget().map(m -> m ? "yes" : "**no**").orElse("—"))
                    .append(" |\n");
        }
        kbsCeiling(results).ifPresent(c -> b.append("\nKbsRoundTripBenchmark: a client that must decrypt each "
                + "response (rawJweOpenP256, the TEE's ECDH alone) cannot exceed ").append(fmt(c, 2))
                .append(" of baselineOkHttpGet even with a KBS that costs nothing: GET / (GET + open) from this "
                        + "run's scores.\n"));
        Set<BenchmarkResult> used = new HashSet<>();
        pairs.forEach(p -> {
            used.add(p.sdk());
            used.add(p.baseline());
        });
        List<BenchmarkResult> other = results.stream().filter(r -> !used.contains(r)).toList();
        if (!other.isEmpty()) {
            b.append("\n## Other results (references, unpaired)\n\n| benchmark | params | method | score | unit |\n"
                    + "|---|---|---|---:|---|\n");
            for (BenchmarkResult r : other) {
                b.append("| ").append(r.benchmarkClass()).append(" | ").append(r.paramsText()).append(" | ")
                        .append(r.method()).append(" | ").append(score(r)).append(" | ").append(r.unit())
                        .append(" |\n");
            }
        }
        if (!cold.isEmpty()) {
            b.append("\n## Cold start (fresh JVMs)\n\nEach figure is measured in separate fresh JVMs started with "
                    + "the same `java` and class path (`ColdStart`).\n\n| figure | median ms | min ms | max ms | runs |\n"
                    + "|---|---:|---:|---:|---:|\n");
            for (ColdStartResult c : cold) {
                b.append("| ").append(c.metric()).append(" | ").append(fmt(c.median(), 1)).append(" | ")
                        .append(fmt(c.min(), 1)).append(" | ").append(fmt(c.max(), 1)).append(" | ")
                        .append(c.millis().size()).append(" |\n");
            }
        }
        var series = ThroughputChart.series(results);
        if (chart) {
            b.append("\n## Envelope throughput by message size\n\n![envelope throughput](envelope-throughput.png)\n\n");
            List<Integer> sizes = series.values().stream().flatMap(s -> s.keySet().stream()).distinct().sorted()
                    .toList();
            b.append("| MiB/s |");
            sizes.forEach(sz -> b.append(' ').append(ThroughputChart.sizeLabel(sz)).append(" |"));
            b.append("\n|---|").append("---:|".repeat(sizes.size())).append('\n');
            series.forEach((label, pts) -> {
                b.append("| ").append(label).append(" |");
                sizes.forEach(sz -> b.append(' ').append(pts.containsKey(sz) ? fmt(pts.get(sz), 1) : "—")
                        .append(" |"));
                b.append('\n');
            });
        }
        return b.toString();
    }

    static String csv(List<PairedResult> pairs, List<ColdStartResult> cold) {
        StringBuilder b = new StringBuilder("kind,benchmark,params,sdk_method,sdk_score,sdk_error,baseline_method,"
                + "baseline_score,baseline_error,unit,ratio,target,meets_target\n");
        for (PairedResult p : pairs) {
            b.append("pair,").append(p.pairing().benchmarkClass()).append(',')
                    .append(quote(p.sdk().paramsText())).append(',').append(p.sdk().method()).append(',')
                    .append(raw(p.sdk().score())).append(',').append(raw(p.sdk().error())).append(',')
                    .append(p.baseline().method()).append(',').append(raw(p.baseline().score())).append(',')
                    .append(raw(p.baseline().error())).append(',').append(p.sdk().unit()).append(',')
                    .append(fmt(p.ratio(), 4)).append(',')
                    .append(p.pairing().targetRatio().isPresent() ? fmt(p.pairing().target(), 2) : "").append(',')
                    .append(p.meetsTarget().map(String::valueOf).orElse("")).append('\n');
        }
        for (ColdStartResult c : cold) {
            b.append("cold-start,").append(quote(c.metric())).append(",-,median,").append(fmt(c.median(), 1))
                    .append(",,min/max,").append(fmt(c.min(), 1)).append(',').append(fmt(c.max(), 1))
                    .append(",ms,,,\n");
        }
        return b.toString();
    }

    private static String score(BenchmarkResult r) {
        return Double.isNaN(r.error()) ? sig(r.score()) : sig(r.score()) + " ± " + sig(r.error());
    }

    private static String sig(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.3g", v);
    }

    private static String fmt(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String raw(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.6g", v);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
