package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.tdx.sim.SimulatedTdxPlatform;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j sim tdx --report-data HEX --out DIR}: a fresh simulated TDX platform writes DIR/quote.dat, DIR/root.pem
 * and the collateral directory files. Its root is generated per run and trusted by {@code verify tdx} only when passed
 * with {@code --root}.
 */
@Command(name = "tdx", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a quote from a simulated TDX platform, with its root and collateral.")
final class SimTdxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--report-data", required = true, paramLabel = "HEX",
            description = "REPORTDATA (up to 64 bytes, zero-padded).")
    String reportData;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the files.")
    Path out;

    @Override
    public Integer call() {
        ReportData data = ReportData.of(Args.hex("--report-data", reportData));
        SimulatedTdxPlatform sim = SimulatedTdxPlatform.builder().build();
        try {
            sim.writeTo(out, data);
        } catch (IOException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--out: cannot write to " + out + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + out.resolve("quote.dat") + " (TDX quote v" + sim.quoteVersion() + ", simulated)");
        o.println("wrote " + out.resolve("root.pem") + " and the collateral (tcb_info.json, qe_identity.json, "
                + "tcb_info_issuer_chain.pem, qe_identity_issuer_chain.pem, pck_crl.der, pck_crl_issuer_chain.pem, "
                + "root_ca_crl.der) in " + out);
        o.println("note: the simulated root is not trusted by default; verify with --collateral " + out + " --root "
                + out.resolve("root.pem"));
        o.flush();
        return 0;
    }
}
