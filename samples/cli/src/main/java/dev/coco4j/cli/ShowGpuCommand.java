package dev.coco4j.cli;

import dev.coco4j.gpu.abi.GpuAttestationReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j show gpu FILE [--json]}: parses an NVIDIA GPU attestation report (SPDM GET_MEASUREMENTS request
 * followed by the signed response; raw bytes or hex text, as NVML and nvtrust write it) and prints every field,
 * including each measurement block and each opaque-data field. Nothing is verified. Exit 2 when the bytes are not a
 * well-formed report.
 */
@Command(name = "gpu", mixinStandardHelpOptions = true,
        description = "Parse an NVIDIA GPU attestation report and print every field.")
final class ShowGpuCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The report: raw bytes or hex text.")
    Path file;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        GpuAttestationReport report = GpuAttestationReport.parse(InputFiles.binary("FILE", file));
        Fields fields = GpuReportFields.of(report);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, fields.toMap());
        } else {
            out.println("NVIDIA GPU attestation report (" + report.raw().length + " bytes, "
                    + report.response().numberOfBlocks() + " measurement blocks; not verified)");
            fields.printAligned(out, "  ");
        }
        out.flush();
        return 0;
    }
}
