package dev.coco4j.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report generation from a synthetic JMH JSON result file (no benchmark is run). */
class BenchmarkReportTest {
    static String result(String cls, String method, String params, double score, String error) {
        return "{\"benchmark\":\"dev.coco4j.benchmarks." + cls + "." + method + "\",\"mode\":\"thrpt\","
                + "\"params\":{" + params + "},\"primaryMetric\":{\"score\":" + score + ",\"scoreError\":" + error
                + ",\"scoreUnit\":\"ops/s\"}}";
    }

    static Path synthetic(Path dir) throws Exception {
        StringBuilder b = new StringBuilder("[");
        b.append(result("SnpVerifyBenchmark", "sdkVerifySnpReport", "", 900, "12.5")).append(',');
        b.append(result("SnpVerifyBenchmark", "baselineBcEcdsaP384", "", 1000, "\"NaN\"")).append(',');
        b.append(result("SnpVerifyBenchmark", "baselineJdkSunEcP384", "", 1500, "3")).append(',');
        for (String seg : List.of("65536", "1048576")) {
            String p = "\"segmentSize\":\"" + seg + "\"";
            double k = seg.equals("65536") ? 1 : 2;
            b.append(result("EnvelopeStreamBenchmark", "sdkEncryptStream", p, 8 * k, "0.1")).append(',');
            b.append(result("EnvelopeStreamBenchmark", "baselineJdkEncryptSegments", p, 10 * k, "0.1")).append(',');
        }
        for (int size : new int[] {1024, 16384, 1 << 20}) {
            String p = "\"size\":\"" + size + "\"";
            b.append(result("EnvelopeSizeBenchmark", "sdkEncrypt", p, 4.0 * (1 << 20) / size, "1")).append(',');
            b.append(result("EnvelopeSizeBenchmark", "baselineJdkEncrypt", p, 5.0 * (1 << 20) / size, "1"))
                    .append(',');
            b.append(result("EnvelopeSizeBenchmark", "sdkDecrypt", p, 3.0 * (1 << 20) / size, "1")).append(',');
            b.append(result("EnvelopeSizeBenchmark", "baselineJdkDecrypt", p, 6.0 * (1 << 20) / size, "1"))
                    .append(',');
        }
        // an SDK result whose baseline is missing from the run stays unpaired
        b.append(result("KbsRoundTripBenchmark", "sdkKbsResourceFetch", "", 400, "5")).append(']');
        Path json = dir.resolve("jmh.json");
        Files.writeString(json, b);
        return json;
    }

    @Test
    void pairsEachSdkResultWithItsBaselineOfTheSameParameters(@TempDir Path dir) throws Exception {
        List<BenchmarkResult> results = BenchmarkReport.readJmhJson(synthetic(dir));
        assertThat(results).hasSize(20);
        List<PairedResult> pairs = BenchmarkReport.pair(results);
        assertThat(pairs).hasSize(1 + 2 + 6);

        PairedResult snp = pairs.getFirst();
        assertThat(snp.sdk().method()).isEqualTo("sdkVerifySnpReport");
        assertThat(snp.baseline().method()).isEqualTo("baselineBcEcdsaP384");
        assertThat(snp.ratio()).isCloseTo(0.9, within(1e-12));
        assertThat(snp.meetsTarget()).contains(true);
        assertThat(snp.baseline().error()).isNaN();

        List<PairedResult> stream = pairs.stream()
                .filter(p -> p.pairing().benchmarkClass().equals("EnvelopeStreamBenchmark")).toList();
        assertThat(stream).hasSize(2).allSatisfy(p -> {
            assertThat(p.sdk().params()).isEqualTo(p.baseline().params());
            assertThat(p.ratio()).isCloseTo(0.8, within(1e-12));
            assertThat(p.meetsTarget()).contains(false);
        });
        PairedResult decrypt1k = pairs.stream().filter(p -> p.sdk().method().equals("sdkDecrypt")
                && p.sdk().params().equals(Map.of("size", "1024"))).findFirst().orElseThrow();
        assertThat(decrypt1k.ratio()).isCloseTo(0.5, within(1e-12));
        assertThat(decrypt1k.meetsTarget()).isEmpty();
    }

    @Test
    void writesMarkdownCsvAndPng(@TempDir Path dir) throws Exception {
        List<BenchmarkResult> results = BenchmarkReport.readJmhJson(synthetic(dir));
        List<ColdStartResult> cold = List.of(new ColdStartResult("first SNP verification, from JVM start",
                List.of(300.0, 100.0, 200.0)));
        Path out = dir.resolve("report");
        BenchmarkReport.write(results, cold, "synthetic run", out);

        String md = Files.readString(out.resolve("report.md"));
        assertThat(md).contains("synthetic run")
                .contains("| SnpVerifyBenchmark | - | sdkVerifySnpReport | 900 ± 12.5 | baselineBcEcdsaP384 | 1,000 "
                        + "| ops/s | 0.90 | ≥ 0.90 | yes |")
                .contains("| EnvelopeStreamBenchmark | segmentSize=65536 | sdkEncryptStream")
                .contains("0.80 | ≥ 0.90 | **no** |")
                .contains("| SnpVerifyBenchmark | - | baselineJdkSunEcP384 | 1,500 ± 3.00 | ops/s |")
                .contains("| KbsRoundTripBenchmark | - | sdkKbsResourceFetch | 400 ± 5.00 | ops/s |")
                .contains("| first SNP verification, from JVM start | 200.0 | 100.0 | 300.0 | 3 |")
                .contains("![envelope throughput](envelope-throughput.png)")
                // 4 ops/s-per-MiB scaled: every size runs at 4 MiB/s for the SDK encrypt series
                .contains("| coco4j envelope encrypt | 4.0 | 4.0 | 4.0 |")
                .contains("| raw AES-256-GCM decrypt | 6.0 | 6.0 | 6.0 |");

        List<String> csv = Files.readAllLines(out.resolve("report.csv"));
        assertThat(csv.getFirst()).startsWith("kind,benchmark,params,sdk_method,sdk_score");
        assertThat(csv).contains("pair,SnpVerifyBenchmark,-,sdkVerifySnpReport,900.000,12.5000,baselineBcEcdsaP384,"
                + "1000.00,,ops/s,0.9000,0.90,true");
        assertThat(csv).filteredOn(l -> l.startsWith("pair,")).hasSize(9);
        assertThat(csv).filteredOn(l -> l.startsWith("cold-start,")).singleElement().asString()
                .contains(",median,200.0,");

        BufferedImage png = ImageIO.read(out.resolve("envelope-throughput.png").toFile());
        assertThat(png.getWidth()).isEqualTo(ThroughputChart.WIDTH);
        assertThat(png.getHeight()).isEqualTo(ThroughputChart.HEIGHT);
        // the SDK-encrypt series colour was drawn somewhere in the plot area
        boolean blue = false;
        for (int x = 80; x < png.getWidth() - 30 && !blue; x++) {
            for (int y = 70; y < png.getHeight() - 110 && !blue; y++) {
                blue = (png.getRGB(x, y) & 0xffffff) == 0x1f77b4;
            }
        }
        assertThat(blue).isTrue();
    }

    @Test
    void withoutEnvelopeSizeResultsThereIsNoChart(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("jmh.json");
        Files.writeString(json, "[" + result("TdxVerifyBenchmark", "sdkVerifyTdxQuote", "", 50, "1") + ","
                + result("TdxVerifyBenchmark", "baselineTwoBcEcdsaP256", "", 200, "1") + "]");
        BenchmarkReport.write(BenchmarkReport.readJmhJson(json), List.of(), "h", dir.resolve("r"));
        assertThat(dir.resolve("r/envelope-throughput.png")).doesNotExist();
        assertThat(Files.readString(dir.resolve("r/report.md"))).contains("| 0.25 | — | — |");
    }

    @Test
    void kbsFetchIsPairedWithBothBaselinesAndTheCeilingComesFromTheRunsScores(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("jmh.json");
        Files.writeString(json, "[" + result("KbsRoundTripBenchmark", "sdkKbsResourceFetch", "", 1000, "1") + ","
                + result("KbsRoundTripBenchmark", "baselineOkHttpGet", "", 8000, "1") + ","
                + result("KbsRoundTripBenchmark", "baselineOkHttpGetAndRawJwe", "", 1250, "1") + ","
                + result("KbsRoundTripBenchmark", "rawJweOpenP256", "", 2000, "1") + "]");
        List<BenchmarkResult> results = BenchmarkReport.readJmhJson(json);
        assertThat(BenchmarkReport.pair(results)).extracting(p -> p.baseline().method(), PairedResult::ratio)
                .containsExactly(tuple("baselineOkHttpGet", 0.125), tuple("baselineOkHttpGetAndRawJwe", 0.8));
        // 1 / (1 + 8000 / 2000)
        assertThat(BenchmarkReport.kbsCeiling(results)).hasValueCloseTo(0.2, within(1e-12));
        BenchmarkReport.write(results, List.of(), "h", dir.resolve("r"));
        assertThat(Files.readString(dir.resolve("r/report.md"))).contains("cannot exceed 0.20 of baselineOkHttpGet")
                .contains("| rawJweOpenP256 | 2,000 ± 1.00 |");
        assertThat(BenchmarkReport.kbsCeiling(results.subList(0, 2))).isEmpty();
    }

    @Test
    void quickSettingsAndOptions() {
        var s = BenchmarkReport.parse(new String[] {"--quick", "--include", "Snp.*", "--out", "x"});
        assertThat(s.quick()).isTrue();
        assertThat(s.coldStartRuns()).isEqualTo(2);
        assertThat(s.include()).isEqualTo("Snp.*");
        assertThat(BenchmarkReport.parse(new String[0]).coldStartRuns()).isEqualTo(5);
    }
}
