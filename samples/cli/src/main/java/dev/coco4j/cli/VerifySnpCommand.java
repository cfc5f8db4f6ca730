package dev.coco4j.cli;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.Reason;
import dev.coco4j.sev.abi.SignerInfo;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.abi.TcbVersion;
import dev.coco4j.sev.validate.SnpPolicy;
import dev.coco4j.sev.validate.SnpPolicyValidator;
import dev.coco4j.sev.verify.CrlFetcher;
import dev.coco4j.sev.verify.SnpCollateral;
import dev.coco4j.sev.verify.SnpReportVerifier;
import dev.coco4j.sev.verify.SnpTrustRoots;
import dev.coco4j.sev.verify.VekFetcher;
import dev.coco4j.sev.verify.VerifiedSnpReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j verify snp}: verifies an SEV-SNP report (signature, VEK chain to the trusted ARK, chip and TCB
 * binding, revocation) and applies the policy the flags ask for (debug refused by default). Exit 0 accepted, 1
 * refused, 2 usage or input error, 3 collateral unavailable.
 */
@Command(name = "snp", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Verify an SEV-SNP attestation report and apply a policy.")
final class VerifySnpCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--report", required = true, paramLabel = "FILE",
            description = "The report: 1184 raw bytes or their hex text.")
    Path report;

    @Option(names = "--vcek", paramLabel = "FILE", description = "The VCEK or VLEK, DER or PEM (a PEM chain VEK,ASK,ARK"
            + " is accepted; only its first certificate is used). Without it the VCEK is fetched from AMD KDS.")
    Path vcek;

    @Option(names = "--ask", paramLabel = "FILE",
            description = "Replaces AMD's ASK for the product (for a VLEK: the ASVK). Test roots only.")
    Path ask;

    @Option(names = "--ark", paramLabel = "FILE", description = "Replaces AMD's ARK for the product. Test roots only.")
    Path ark;

    @Option(names = "--product", paramLabel = "milan|genoa|turin",
            description = "The product of a version 2 report (v3+ reports name it in CPUID).")
    String product;

    @Option(names = "--at", paramLabel = "INSTANT", description = "Verify as of this ISO-8601 instant (default: now).")
    String at;

    @Option(names = "--allow-debug", description = "Accept a guest whose policy allows debugging.")
    boolean allowDebug;

    @Option(names = "--vmpl", paramLabel = "N", description = "Require the report to come from this VMPL (0..3).")
    Integer vmpl;

    @Option(names = "--report-data", paramLabel = "HEX",
            description = "Require REPORT_DATA to equal this (up to 64 bytes, zero-padded).")
    String reportData;

    @Option(names = "--measurement", paramLabel = "HEX", description = "Require MEASUREMENT to equal this (48 bytes).")
    String measurement;

    @Option(names = "--host-data", paramLabel = "HEX", description = "Require HOST_DATA to equal this (32 bytes).")
    String hostData;

    @Option(names = "--min-tcb", paramLabel = "HEX16",
            description = "Require REPORTED_TCB to be at least this raw TCB_VERSION (16 hex digits, as printed).")
    String minTcb;

    @Option(names = "--crl", paramLabel = "FILE", description = "AMD's CRL for the product and key kind (DER/PEM).")
    Path crl;

    @Option(names = "--offline", description = "Never contact AMD KDS.")
    boolean offline;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Option(names = "--kds-url", paramLabel = "URL",
            description = "Base URL of the AMD KDS or a mirror of it (default: AMD's public KDS; none when "
                    + "--ask/--ark replace AMD's roots).")
    String kdsUrl;

    VerifySnpCommand() {
    }

    @Override
    public Integer call() {
        return VerificationOutput.run(spec.commandLine().getOut(), json, "snp", this::verify,
                VerifySnpCommand::printAccepted);
    }

    private AttestationResult verify() {
        SnpProduct given = Args.product("--product", product);
        Instant instant = Args.instant("--at", at);
        Long minTcbRaw = Args.tcb("--min-tcb", minTcb);
        SnpPolicy.Builder policy = SnpPolicy.builder().allowDebug(allowDebug)
                .reportData(Args.hex("--report-data", reportData))
                .measurement(Args.hex("--measurement", measurement))
                .hostData(Args.hex("--host-data", hostData));
        if (vmpl != null) {
            policy.vmpl(vmpl);
        }

        SnpReport parsed = SnpReport.parse(InputFiles.binary("--report", report));
        X509Certificate vek = vcek == null ? null : InputFiles.certificate("--vcek", vcek);
        X509Certificate askCert = ask == null ? null : InputFiles.certificate("--ask", ask);
        X509Certificate arkCert = ark == null ? null : InputFiles.certificate("--ark", ark);
        X509CRL crlObject = crl == null ? null : InputFiles.crl("--crl", crl);
        SnpTrustRoots roots = SnpRootsArgs.roots(parsed, given, vek, askCert, arkCert);

        if (vek == null && parsed.signerInfo().signingKey() == SignerInfo.SigningKey.VCEK && offline) {
            throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE,
                    "no --vcek given and --offline: the VCEK cannot be fetched from AMD KDS");
        }
        // AMD's KDS serves AMD-signed collateral only: with replaced (test or simulator) roots it is consulted only
        // when --kds-url names a service for those roots; otherwise revocation is checked only against --crl.
        boolean useKds = !offline && (roots == null || kdsUrl != null);
        VekFetcher vekFetcher = useKds ? OnlineSources.vekFetcher(kdsUrl) : null;
        CrlFetcher crlFetcher = useKds ? OnlineSources.crlFetcher(kdsUrl) : null;

        SnpReportVerifier.Builder b = SnpReportVerifier.builder()
                .clock(Args.clock(instant))
                .offline(offline).vekFetcher(vekFetcher).crlFetcher(crlFetcher);
        if (roots != null) {
            b.trustRoots(roots);
        }
        VerifiedSnpReport verified = b.build().verify(parsed, new SnpCollateral(vek, null, given, crlObject));
        if (minTcbRaw != null) {
            policy.minimumTcb(TcbVersion.decode(minTcbRaw, verified.product()));
        }
        return SnpPolicyValidator.validate(verified, policy.build()).toAttestationResult();
    }

    private static void printAccepted(PrintWriter out, AttestationResult r) {
        Map<String, Object> c = r.claims();
        out.println("OK: SEV-SNP report verified (" + c.get("product") + ", "
                + String.valueOf(c.get("signer")).toUpperCase(java.util.Locale.ROOT) + ")");
        Fields f = new Fields();
        for (String k : List.of("measurement", "report_data", "host_data", "chip_id", "vmpl", "debug",
                "policy", "guest_svn", "current_firmware", "csp_id")) {
            if (c.containsKey(k)) {
                f.add(k, c.get(k));
            }
        }
        if (c.get("reported_tcb") instanceof Map<?, ?> t) {
            StringBuilder sb = new StringBuilder(String.valueOf(t.get("raw"))).append(" (");
            for (var e : t.entrySet()) {
                if (!e.getKey().equals("raw")) {
                    sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : " ").append(e.getKey()).append('=')
                            .append(e.getValue());
                }
            }
            f.add("tcb", sb.append(')').toString(), t);
        }
        f.add("verified_at", r.verifiedAt());
        f.printAligned(out, "  ");
        for (String w : r.warnings()) {
            out.println("warning: " + w);
        }
    }
}
