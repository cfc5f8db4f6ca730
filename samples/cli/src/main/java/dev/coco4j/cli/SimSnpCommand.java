package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j sim snp --report-data HEX --out DIR [--product milan|genoa|turin]}: a fresh simulated SEV-SNP platform
 * writes DIR/report.bin, DIR/vcek.der, DIR/ask.pem and DIR/ark.pem. Its roots are generated per run and trusted by
 * {@code verify snp} only when passed with {@code --ask}/{@code --ark}.
 */
@Command(name = "snp", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a report signed by a simulated SEV-SNP platform, with its certificates.")
final class SimSnpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--report-data", required = true, paramLabel = "HEX",
            description = "REPORT_DATA (up to 64 bytes, zero-padded).")
    String reportData;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the files.")
    Path out;

    @Option(names = "--product", paramLabel = "milan|genoa|turin", description = "The simulated product.")
    String product;

    @Override
    public Integer call() {
        SnpProduct p = Args.product("--product", product);
        ReportData data = ReportData.of(Args.hex("--report-data", reportData));
        SimulatedSnpPlatform.Builder b = SimulatedSnpPlatform.builder();
        if (p != null) {
            b.product(p);
        }
        SimulatedSnpPlatform sim = b.build();
        SnpReport report;
        try {
            report = sim.writeTo(out, data);
        } catch (IOException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--out: cannot write to " + out + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + out.resolve("report.bin") + " (SEV-SNP v" + report.version() + ", "
                + sim.product().kdsName() + ", simulated)");
        o.println("wrote " + out.resolve("vcek.der") + ", " + out.resolve("ask.pem") + ", " + out.resolve("ark.pem"));
        o.println("note: simulated roots are not trusted by default; verify with --ask " + out.resolve("ask.pem")
                + " --ark " + out.resolve("ark.pem"));
        o.flush();
        return 0;
    }
}
