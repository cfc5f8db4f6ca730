package dev.coco4j.cli;

import dev.coco4j.cli.demo.EndToEndDemo;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j demo [--tee snp|tdx]}: the end-to-end main job on one machine (see {@link EndToEndDemo}). Exit 0 when
 * the key is released to the expected workload, the bundle decrypts, and the tampered workload is refused.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"End to end on one machine: simulated CPU TEE + GPU -> embedded KBS -> composite attestation "
                + "-> key release -> PHI decrypt, printing each step with its timing, then one refused attempt (a different launch "
                + "measurement). Synthetic data only."})
final class DemoCommand implements Callable<Integer> {
    /** The TEEs the demo can be asked for. */
    enum Tee { snp, tdx }

    @Spec
    CommandSpec spec;

    @Option(names = "--tee", paramLabel = "snp|tdx", defaultValue = "snp",
            description = "The simulated CPU TEE (default snp); a simulated NVIDIA GPU is always attested with it "
                    + "as composite evidence.")
    Tee tee;

    @Option(names = "--patients", paramLabel = "N", defaultValue = "100",
            description = "Synthetic patients to generate, each with 3 observations (default 100).")
    int patients;

    @Override
    public Integer call() {
        if (patients < 1 || patients > 100_000) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--patients must be 1..100000");
        }
        new EndToEndDemo(spec.commandLine().getOut(), patients,
                tee == Tee.tdx ? EndToEndDemo.Tee.TDX : EndToEndDemo.Tee.SNP).run();
        return 0;
    }
}
