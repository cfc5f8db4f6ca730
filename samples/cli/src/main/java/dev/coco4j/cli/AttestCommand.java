package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.spi.Attester;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j attest --out DIR [--tee ...] [--report-data HEX | --nonce HEX] [--json]}: collects evidence on this
 * machine through the {@link Attester} SPI ({@code --tee} resolved as for {@code kbs get}: {@code auto} detects a real
 * TEE and never picks {@code sample}) and writes the files that {@code verify}/{@code show} read back (see
 * {@link EvidenceFiles}). Nothing is written unless the evidence was collected, parsed and found to bind the report
 * data asked for.
 */
@Command(name = "attest", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Collect attestation evidence on this machine and write it as the files the verify commands "
            + "read.",
            "Files: snp: DIR/report.bin (+ vcek.der or vlek.der, ask.pem, ark.pem when the host supplies its certificate "
                + "table); tdx: DIR/quote.dat; az-snp-vtpm, az-tdx-vtpm and sample: DIR/evidence.json; always "
                + "DIR/report-data.hex.",
            "Nothing is written when collection fails."})
final class AttestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the files (created "
            + "if missing; files of the same names are replaced).")
    Path out;

    @Option(names = "--tee", paramLabel = "auto|snp|tdx|az-snp-vtpm|az-tdx-vtpm|sample",
            description = "TEE to attest with (default auto: the detected CPU TEE, never the test-only sample, which "
                    + "must be named).")
    String tee;

    @Option(names = "--report-data", paramLabel = "HEX",
            description = "The report data to bind: up to 64 bytes, zero-padded to 64.")
    String reportData;

    @Option(names = "--nonce", paramLabel = "HEX",
            description = "A nonce to bind: the report data is SHA-512 of the nonce bytes (all 64 bytes).")
    String nonce;

    @Option(names = "--json", description = "Print one JSON object on stdout (tee, report_data, files).")
    boolean json;

    AttestCommand() {
    }

    @Override
    public Integer call() {
        List<String> warnings = new ArrayList<>();
        ReportData rd = reportData(reportData, nonce, warnings);
        EvidenceFiles.Written written = collect(KbsConnection.attester(tee), rd, out);
        PrintWriter o = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("tee", written.tee().id());
            m.put("report_data", rd.toHex());
            m.put("files", written.files().stream().map(Path::toString).toList());
            m.put("warnings", warnings);
            Json.print(o, m);
        } else {
            for (Path p : written.files()) {
                o.println("wrote " + p);
            }
            written.notes().forEach(o::println);
        }
        o.flush();
        // only now: on a failure the first stderr line must be the reason
        PrintWriter e = spec.commandLine().getErr();
        warnings.forEach(w -> e.println("warning: " + w));
        e.flush();
        return 0;
    }

    /**
     * Collects evidence for {@code rd} with the attester and writes its files into {@code dir}. An attester's failure
     * propagates with its reason; evidence of another TEE than the attester's, or binding other report data, is
     * refused; nothing is written in any of these cases.
     */
    static EvidenceFiles.Written collect(Attester attester, ReportData rd, Path dir) {
        Evidence evidence = attester.attest(rd);
        if (evidence.tee() != attester.teeType()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "the " + attester.teeType().id()
                    + " attester returned " + evidence.tee().id() + " evidence");
        }
        return EvidenceFiles.write(dir, evidence, rd);
    }

    /**
     * The report data the options ask for: {@code --report-data} zero-padded, SHA-512 of {@code --nonce}, or 64 zero
     * bytes with a warning when neither is given.
     */
    static ReportData reportData(String reportDataHex, String nonceHex, List<String> warnings) {
        if (reportDataHex != null && nonceHex != null) {
            throw Args.bad("--report-data", "and --nonce are mutually exclusive (--nonce sets the report data to "
                    + "SHA-512 of the nonce)");
        }
        if (reportDataHex != null) {
            byte[] value = Args.hex("--report-data", reportDataHex);
            if (value.length > ReportData.LENGTH) {
                throw Args.bad("--report-data", "is at most 64 bytes, got " + value.length);
            }
            return ReportData.of(value);
        }
        if (nonceHex != null) {
            byte[] value = Args.hex("--nonce", nonceHex);
            if (value.length == 0) {
                throw Args.bad("--nonce", "is empty");
            }
            return ReportData.binding(value, ReportData.HashAlgorithm.SHA512);
        }
        warnings.add("neither --report-data nor --nonce given: the report data is 64 zero bytes, so the evidence "
                + "proves no freshness");
        return ReportData.zero();
    }
}
