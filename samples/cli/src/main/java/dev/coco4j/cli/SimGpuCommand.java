package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.gpu.sim.SimulatedGpu;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j sim gpu --nonce HEX --out DIR}: a fresh simulated GPU (new keys every run) writes DIR/report.bin,
 * DIR/cert_chain.pem, DIR/root.pem, DIR/rim_driver.xml, DIR/rim_vbios.xml and DIR/rim_root.pem. Its roots are trusted
 * by {@code verify gpu} only when passed with {@code --root} and {@code --rim-root}.
 */
@Command(name = "gpu", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a report signed by a simulated NVIDIA GPU, with its chain, RIMs and roots.")
final class SimGpuCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--nonce", required = true, paramLabel = "HEX", description = "The 32-byte requester nonce.")
    String nonce;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the files.")
    Path out;

    @Override
    public Integer call() {
        byte[] n = VerifyGpuCommand.nonce(nonce);
        SimulatedGpu gpu = SimulatedGpu.create();
        byte[] report = gpu.report(n);
        try {
            Files.createDirectories(out);
            Files.write(out.resolve("report.bin"), report);
            Files.write(out.resolve("cert_chain.pem"), gpu.certChainPem());
            Files.writeString(out.resolve("root.pem"), Certificates.toPem(gpu.deviceRoot()), StandardCharsets.US_ASCII);
            Files.write(out.resolve("rim_driver.xml"), gpu.driverRim());
            Files.write(out.resolve("rim_vbios.xml"), gpu.vbiosRim());
            Files.writeString(out.resolve("rim_root.pem"), Certificates.toPem(gpu.rimRoot()),
                    StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--out: cannot write to " + out + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        PrintWriter o = spec.commandLine().getOut();
        o.println("wrote " + out.resolve("report.bin") + " (NVIDIA GPU, driver " + SimulatedGpu.DRIVER_VERSION
                + ", VBIOS " + SimulatedGpu.VBIOS_VERSION + ", simulated)");
        o.println("wrote " + out.resolve("cert_chain.pem") + ", " + out.resolve("root.pem") + ", "
                + out.resolve("rim_driver.xml") + ", " + out.resolve("rim_vbios.xml") + ", "
                + out.resolve("rim_root.pem"));
        o.println("note: simulated roots are not trusted by default; verify with --root " + out.resolve("root.pem")
                + " --rim-root " + out.resolve("rim_root.pem"));
        o.flush();
        return 0;
    }
}
