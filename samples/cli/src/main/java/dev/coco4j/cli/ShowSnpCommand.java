package dev.coco4j.cli;

import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j show snp FILE [--product milan|genoa|turin] [--json]}: parses an SEV-SNP report (raw or hex) and prints
 * every field. TCB values are decoded with the product from CPUID (v3+), else {@code --product}; a v2 report without
 * {@code --product} shows them raw. Exit 2 when the bytes are not a well-formed report.
 */
@Command(name = "snp", mixinStandardHelpOptions = true, description = "Parse an SEV-SNP report and print every field.")
final class ShowSnpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The report: 1184 raw bytes or their hex text.")
    Path file;

    @Option(names = "--product", paramLabel = "milan|genoa|turin",
            description = "The product, to decode TCB values of a version 2 report (which carries no CPUID).")
    String product;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        SnpProduct given = Args.product("--product", product);
        SnpReport report = SnpReport.parse(InputFiles.binary("FILE", file));
        Optional<SnpProduct> fromCpuid = report.productFromCpuid();
        SnpProduct decodeWith = fromCpuid.orElse(given);
        String note = null;
        if (fromCpuid.isPresent() && given != null && given != fromCpuid.get()) {
            note = "the report's CPUID says " + fromCpuid.get().kdsName() + "; --product " + product + " ignored";
        } else if (decodeWith == null) {
            note = "a version " + report.version() + " report does not name its product: TCB values shown raw"
                    + " (give --product to decode them)";
        }
        Fields fields = SnpReportFields.of(report, decodeWith);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = fields.toMap();
            if (note != null) {
                m.put("note", note);
            }
            Json.print(out, m);
        } else {
            out.println("SEV-SNP attestation report (" + SnpReport.SIZE + " bytes)");
            fields.printAligned(out, "  ");
            if (note != null) {
                out.println("note: " + note);
            }
        }
        out.flush();
        return 0;
    }
}
