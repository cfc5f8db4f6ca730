package dev.coco4j.cli;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.gpu.abi.GpuAttestationReport;
import dev.coco4j.gpu.abi.SpdmMeasurementRequest;
import dev.coco4j.gpu.rim.RimTrustRoots;
import dev.coco4j.gpu.validate.GpuEvidenceVerifier;
import dev.coco4j.gpu.validate.GpuPolicy;
import dev.coco4j.gpu.verify.GpuTrustRoots;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j verify gpu}: verifies an NVIDIA GPU attestation report with the SDK's {@link GpuEvidenceVerifier}:
 * the SPDM signature, the device chain to the NVIDIA device identity root (or {@code --root}), the 32-byte nonce, and
 * every measurement against the driver and VBIOS RIMs (given with {@code --rim}, else fetched; verified to the NVIDIA
 * RIM root or {@code --rim-root}). OCSP is checked when online; {@code --offline} makes it a warning. Exit 0
 * accepted, 1 refused, 2 usage or input error, 3 collateral or service unavailable.
 */
@Command(name = "gpu", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Verify an NVIDIA GPU attestation report and its measurements.")
final class VerifyGpuCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--report", required = true, paramLabel = "FILE", description = "The report: raw bytes or hex text.")
    Path report;

    @Option(names = "--cert-chain", required = true, paramLabel = "FILE",
            description = "The GPU's device certificate chain (PEM, 5 certificates, leaf first).")
    Path certChain;

    @Option(names = "--nonce", required = true, paramLabel = "HEX", description = "The 32-byte nonce given to the GPU.")
    String nonce;

    @Option(names = "--rim", paramLabel = "FILE",
            description = "A driver or VBIOS RIM (SWID XML); repeat for both. Missing ones are fetched when online.")
    List<Path> rims = new ArrayList<>();

    @Option(names = "--no-rim", description = "Skip the measurement comparison (printed as a warning).")
    boolean noRim;

    @Option(names = "--root", paramLabel = "FILE",
            description = "Trust this device identity root instead of NVIDIA's (simulators, tests).")
    Path root;

    @Option(names = "--rim-root", paramLabel = "FILE",
            description = "Trust this RIM signing root instead of NVIDIA's (simulators, tests).")
    Path rimRoot;

    @Option(names = "--at", paramLabel = "INSTANT", description = "Verify as of this ISO-8601 instant (default: now).")
    String at;

    @Option(names = "--offline", description = "Contact no service: OCSP becomes a warning; RIMs must be given.")
    boolean offline;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    VerifyGpuCommand() {
    }

    /** A 32-byte nonce in hex, or a usage error. */
    static byte[] nonce(String text) {
        byte[] n = Args.hex("--nonce", text);
        if (n.length != SpdmMeasurementRequest.NONCE_LENGTH) {
            throw Args.bad("--nonce", "must be 32 bytes (64 hex digits), not " + n.length);
        }
        return n;
    }

    @Override
    public Integer call() {
        return VerificationOutput.run(spec.commandLine().getOut(), json, "gpu", this::verify,
                VerifyGpuCommand::printAccepted);
    }

    private AttestationResult verify() {
        byte[] expectedNonce = nonce(nonce);
        Instant instant = Args.instant("--at", at);
        if (noRim && !rims.isEmpty()) {
            throw Args.bad("--no-rim", "cannot be combined with --rim");
        }
        byte[] reportBytes = InputFiles.binary("--report", report);
        byte[] chainBytes = InputFiles.read("--cert-chain", certChain);
        GpuAttestationReport parsed = GpuAttestationReport.parse(reportBytes);
        GpuEvidenceVerifier.Builder b = GpuEvidenceVerifier.builder()
                .policy(GpuPolicy.builder().requireRims(!noRim).build());
        if (root != null) {
            b.trustRoots(GpuTrustRoots.of(InputFiles.certificate("--root", root)));
        }
        if (rimRoot != null) {
            b.rimTrustRoots(RimTrustRoots.of(InputFiles.certificate("--rim-root", rimRoot)));
        }
        if (!noRim) {
            GpuRimFiles source = GpuRimFiles.of(rims, parsed.opaqueData(), offline);
            if (offline && source.isEmpty()) {
                throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE, "no --rim given and --offline: the "
                        + "driver and VBIOS RIMs cannot be fetched from NVIDIA's RIM service (give them with --rim, "
                        + "or --no-rim to skip the comparison)");
            }
            b.rimSource(source);
        }
        VerificationOptions options = VerificationOptions.builder().offline(offline)
                .clock(instant == null ? Clock.systemUTC() : Clock.fixed(instant, ZoneOffset.UTC)).build();
        return b.build().verify(new Evidence(TeeType.NVIDIA_GPU, reportBytes, chainBytes), expectedNonce, options);
    }

    private static void printAccepted(PrintWriter out, AttestationResult r) {
        Map<String, Object> c = r.claims();
        out.println("OK: NVIDIA GPU report verified (" + c.get("arch") + ", driver " + c.get("driver_version")
                + ", VBIOS " + c.get("vbios_version") + ")");
        Fields f = new Fields();
        for (var e : c.entrySet()) {
            f.add(e.getKey(), e.getValue());
        }
        f.add("verified_at", r.verifiedAt());
        f.printAligned(out, "  ");
        for (String w : r.warnings()) {
            out.println("warning: " + w);
        }
    }
}
