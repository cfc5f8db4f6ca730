package dev.coco4j.cli;

import dev.coco4j.tdx.abi.TdxQuote;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j show tdx FILE [--json]}: parses an Intel TDX DCAP quote (v4 or v5, raw or hex) and prints every field,
 * without verifying anything. Exit 2 when the bytes are not a well-formed quote.
 */
@Command(name = "tdx", mixinStandardHelpOptions = true,
        description = "Parse an Intel TDX quote (v4/v5) and print every field.")
final class ShowTdxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The quote: raw bytes or their hex text.")
    Path file;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    @Override
    public Integer call() {
        TdxQuote quote = TdxQuote.parse(InputFiles.binary("FILE", file));
        Fields fields = TdxQuoteFields.of(quote);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Json.print(out, fields.toMap());
        } else {
            out.println("Intel TDX quote v" + quote.version() + " (" + quote.bytes().length + " bytes, not verified)");
            fields.printAligned(out, "  ");
        }
        out.flush();
        return 0;
    }
}
