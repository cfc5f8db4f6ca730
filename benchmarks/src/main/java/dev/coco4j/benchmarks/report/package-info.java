/**
 * The benchmark report runner: runs every JMH benchmark of this module through the JMH Runner API (JSON results),
 * pairs each SDK method with its raw-primitive baseline measured in the same run, measures cold-start figures in fresh
 * JVMs, and writes {@code report.md}, {@code report.csv} and an envelope throughput chart ({@code envelope-throughput.png}).
 * Entry point: {@link dev.coco4j.benchmarks.report.BenchmarkReport#main(String[])}.
 */
package dev.coco4j.benchmarks.report;
