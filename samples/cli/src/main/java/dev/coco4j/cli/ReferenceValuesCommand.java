package dev.coco4j.cli;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.reference.GpuReference;
import dev.coco4j.core.reference.ReferenceValues;
import dev.coco4j.core.reference.SnpReference;
import dev.coco4j.core.reference.TdxReference;
import dev.coco4j.core.reference.WorkloadReference;
import dev.coco4j.gpu.abi.GpuAttestationReport;
import dev.coco4j.kbs.InitData;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.tdx.abi.TdReportBody;
import dev.coco4j.tdx.abi.TdxQuote;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j reference-values --tee snp|tdx|gpu --from-evidence FILE [--workload NAME] [--init-data FILE]}: prints
 * the reference-values document ({@link ReferenceValues}, JSON on stdout) that a launch produced, read from its
 * evidence: SNP MEASUREMENT and HOST_DATA, TDX MRTD, RTMR0..2 and MRCONFIGID (RTMR3 is extended at run time and left
 * out), GPU driver and VBIOS versions. HOST_DATA / MRCONFIGID are pinned only when not all zero. With
 * {@code --init-data} the document's digest is recorded and must be what the evidence carries (else
 * {@link Reason#MEASUREMENT_MISMATCH}, exit 1). The evidence is parsed, not verified: verify it first
 * ({@code coco4j verify ...}) before trusting the values.
 */
@Command(name = "reference-values", mixinStandardHelpOptions = true,
        description = "Print the reference values (JSON) a simulated or real launch produced, from its evidence.")
final class ReferenceValuesCommand implements Callable<Integer> {
    private static final HexFormat HEX = HexFormat.of();

    @Spec
    CommandSpec spec;

    @Option(names = "--tee", required = true, paramLabel = "snp|tdx|gpu", description = "The evidence's TEE.")
    String tee;

    @Option(names = "--from-evidence", required = true, paramLabel = "FILE",
            description = "An SNP report, a TDX quote or a GPU attestation report (raw or hex).")
    Path evidence;

    @Option(names = "--workload", paramLabel = "NAME", defaultValue = "workload",
            description = "The workload name in the document (default: ${DEFAULT-VALUE}).")
    String workload;

    @Option(names = "--init-data", paramLabel = "FILE",
            description = "The launch's init-data TOML; its digest is recorded and checked against the evidence.")
    Path initData;

    @Option(names = "--json", description = "Accepted for uniformity with the other commands: the output is always JSON.")
    boolean json;

    @Override
    public Integer call() {
        byte[] bytes = InputFiles.binary("--from-evidence", evidence);
        Optional<InitData> init = initData == null ? Optional.empty()
                : Optional.of(InitData.parse(InputFiles.read("--init-data", initData)));
        Optional<String> digest = init.map(d -> HEX.formatHex(d.digest()));
        WorkloadReference w = switch (tee) {
            case "snp" -> {
                SnpReport r = SnpReport.parse(bytes);
                Optional<String> hostData = pinned(r.hostData(), init.map(InitData::snpHostData), "HOST_DATA");
                yield new WorkloadReference(workload, digest, Optional.of(new SnpReference(
                        HEX.formatHex(r.measurement()), hostData)), Optional.empty(), Optional.empty());
            }
            case "tdx" -> {
                TdReportBody b = TdxQuote.parse(bytes).body();
                Map<Integer, String> rtmrs = new TreeMap<>();
                for (int i = 0; i < 3; i++) {
                    rtmrs.put(i, HEX.formatHex(b.rtmr(i)));
                }
                Optional<String> configId = pinned(b.mrConfigId(), init.map(InitData::tdxMrConfigId), "MRCONFIGID");
                yield new WorkloadReference(workload, digest, Optional.empty(), Optional.of(new TdxReference(
                        HEX.formatHex(b.mrTd()), rtmrs, configId)), Optional.empty());
            }
            case "gpu" -> {
                var o = GpuAttestationReport.parse(bytes).opaqueData();
                Set<String> driver = new LinkedHashSet<>();
                o.driverVersion().ifPresent(driver::add);
                Set<String> vbios = new LinkedHashSet<>();
                o.vbiosVersion().ifPresent(vbios::add);
                if (driver.isEmpty() || vbios.isEmpty()) {
                    throw new AttestationException(Reason.MALFORMED_EVIDENCE,
                            "the GPU report states no driver or no VBIOS version");
                }
                yield new WorkloadReference(workload, digest, Optional.empty(), Optional.empty(),
                        Optional.of(new GpuReference(driver, vbios)));
            }
            default -> throw Args.bad("--tee", "must be snp, tdx or gpu, got '" + tee + "'");
        };
        PrintWriter out = spec.commandLine().getOut();
        out.print(ReferenceValues.of(w).toJson());
        out.flush();
        return 0;
    }

    /** The field to pin: checked against the init-data digest when given, else itself when not all zero. */
    private static Optional<String> pinned(byte[] actual, Optional<byte[]> fromInitData, String name) {
        if (fromInitData.isPresent()) {
            if (!Arrays.equals(actual, fromInitData.get())) {
                throw new AttestationException(Reason.MEASUREMENT_MISMATCH, "the evidence's " + name + " is not the "
                        + "digest of the given init-data (" + HEX.formatHex(actual) + ")");
            }
            return Optional.of(HEX.formatHex(actual));
        }
        for (byte x : actual) {
            if (x != 0) {
                return Optional.of(HEX.formatHex(actual));
            }
        }
        return Optional.empty();
    }
}
