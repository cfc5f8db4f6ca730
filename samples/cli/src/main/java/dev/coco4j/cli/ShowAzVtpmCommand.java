package dev.coco4j.cli;

import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.TpmsAttest;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.core.TeeType;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.tdx.abi.TdxQuote;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j show az-snp-vtpm|az-tdx-vtpm --evidence FILE [--json]}: parses Azure vTPM evidence (Trustee JSON) and
 * prints the HCL report, the runtime claims, the TPM quote and the hardware report fields, without verifying anything.
 * Exit 2 when the evidence is malformed.
 */
abstract class ShowAzVtpmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--evidence", required = true, paramLabel = "FILE", description = "The evidence JSON.")
    Path evidence;

    @Option(names = "--json", description = "Print one JSON object instead of text.")
    boolean json;

    abstract TeeType tee();

    @Override
    public Integer call() {
        AzVtpmEvidence ev = AzVtpmArgs.evidence(tee(), evidence);
        HclReport hcl = HclReport.parse(ev.hclReport());
        TpmsAttest attest = TpmsAttest.parse(ev.quote().message());
        Fields vtpm = AzVtpmArgs.vtpmFields(ev, hcl, attest);
        Fields hw;
        String hwName;
        if (tee() == TeeType.AZ_SNP_VTPM) {
            SnpReport r = SnpReport.parse(hcl.snpReport());
            hw = SnpReportFields.of(r, r.productFromCpuid().orElse(null));
            hwName = "snp_report";
        } else {
            hw = TdxQuoteFields.of(TdxQuote.parse(ev.hardwareProof()));
            hwName = "td_quote";
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>(vtpm.toMap());
            m.put(hwName, hw.toMap());
            Json.print(out, m);
        } else {
            out.println(tee().id() + " evidence (HCL report " + ev.hclReport().length + " bytes, TPM quote, "
                    + ev.quote().pcrs().size() + " PCRs; not verified)");
            vtpm.printAligned(out, "  ");
            out.println(hwName + ":");
            hw.printAligned(out, "    ");
        }
        out.flush();
        return 0;
    }

    /** {@code show az-snp-vtpm}. */
    @Command(name = "az-snp-vtpm", mixinStandardHelpOptions = true,
            description = "Parse Azure SEV-SNP vTPM evidence and print every field.")
    static final class Snp extends ShowAzVtpmCommand {
        @Override
        TeeType tee() {
            return TeeType.AZ_SNP_VTPM;
        }
    }

    /** {@code show az-tdx-vtpm}. */
    @Command(name = "az-tdx-vtpm", mixinStandardHelpOptions = true,
            description = "Parse Azure TDX vTPM evidence and print every field.")
    static final class Tdx extends ShowAzVtpmCommand {
        @Override
        TeeType tee() {
            return TeeType.AZ_TDX_VTPM;
        }
    }
}
