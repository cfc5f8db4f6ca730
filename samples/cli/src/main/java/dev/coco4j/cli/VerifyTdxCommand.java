package dev.coco4j.cli;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.Reason;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.pcs.PcsClient;
import dev.coco4j.tdx.validate.TdxPolicy;
import dev.coco4j.tdx.validate.TdxPolicyValidator;
import dev.coco4j.tdx.verify.TdxCollateral;
import dev.coco4j.tdx.verify.TdxQuoteVerifier;
import dev.coco4j.tdx.verify.TdxTcbStatus;
import dev.coco4j.tdx.verify.VerifiedTdxQuote;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j verify tdx}: verifies an Intel TDX DCAP quote (PCK chain to the trusted root, CRLs, TCB Info and QE
 * Identity signatures and windows, QE report and quote signatures, TCB level) and applies the policy the flags ask for:
 * accepted TCB statuses (default UpToDate and SWHardeningNeeded, the latter a warning; Revoked never), debug refused by
 * default, REPORTDATA and MRTD when given. Exit 0 accepted, 1 refused, 2 usage or input error, 3 collateral
 * unavailable.
 */
@Command(name = "tdx", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Verify an Intel TDX quote against collateral and apply a policy.")
final class VerifyTdxCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--quote", required = true, paramLabel = "FILE",
            description = "The quote (v4 or v5): raw bytes or their hex text.")
    Path quote;

    @Option(names = "--collateral", paramLabel = "FILE|DIR", description = "A collateral JSON bundle, or a directory "
            + "with tcb_info.json, qe_identity.json, tcb_info_issuer_chain.pem, qe_identity_issuer_chain.pem, "
            + "pck_crl.der, pck_crl_issuer_chain.pem, root_ca_crl.der. Without it collateral is fetched from Intel PCS.")
    Path collateral;

    @Option(names = "--root", paramLabel = "FILE",
            description = "Replaces the pinned Intel SGX Root CA (DER or PEM). Test roots only.")
    Path root;

    @Option(names = "--at", paramLabel = "INSTANT", description = "Verify as of this ISO-8601 instant (default: now).")
    String at;

    @Option(names = "--accept-tcb", paramLabel = "STATUS,...", split = ",",
            description = "Accepted TCB statuses (default UpToDate,SWHardeningNeeded). Revoked is never accepted.")
    List<String> acceptTcb;

    @Option(names = "--allow-debug", description = "Accept a TD with the DEBUG attribute.")
    boolean allowDebug;

    @Option(names = "--report-data", paramLabel = "HEX",
            description = "Require REPORTDATA to equal this (up to 64 bytes, zero-padded).")
    String reportData;

    @Option(names = "--mrtd", paramLabel = "HEX", description = "Require MRTD to equal this (48 bytes).")
    String mrtd;

    @Option(names = "--offline", description = "Never contact Intel PCS.")
    boolean offline;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    VerifyTdxCommand() {
    }

    @Override
    public Integer call() {
        return VerificationOutput.run(spec.commandLine().getOut(), json, "tdx", this::verify,
                VerifyTdxCommand::printAccepted);
    }

    private AttestationResult verify() {
        Instant instant = Args.instant("--at", at);
        TdxPolicy.Builder policy = TdxPolicy.builder().allowDebug(allowDebug).acceptedStatuses(accepted());
        byte[] rd = Args.hex("--report-data", reportData);
        if (rd != null) {
            if (rd.length > 64) {
                throw Args.bad("--report-data", "is at most 64 bytes, got " + rd.length);
            }
            policy.reportData(java.util.Arrays.copyOf(rd, 64));
        }
        byte[] mr = Args.hex("--mrtd", mrtd);
        if (mr != null) {
            if (mr.length != 48) {
                throw Args.bad("--mrtd", "must be 48 bytes, got " + mr.length);
            }
            policy.mrTd(mr);
        }
        TdxQuote parsed = TdxQuote.parse(InputFiles.binary("--quote", quote));
        TdxCollateral c = collateral(parsed);
        VerifiedTdxQuote v = quoteVerifier(Args.clock(instant), root).build().verify(parsed, c,
                instant == null ? Instant.now() : instant);
        return TdxPolicyValidator.validate(v, policy.build()).toAttestationResult();
    }

    private Set<TdxTcbStatus> accepted() {
        if (acceptTcb == null || acceptTcb.isEmpty()) {
            return TdxPolicy.DEFAULT_ACCEPTED;
        }
        Set<TdxTcbStatus> s = EnumSet.noneOf(TdxTcbStatus.class);
        for (String name : acceptTcb) {
            TdxTcbStatus t;
            try {
                t = TdxTcbStatus.fromName(name.strip());
            } catch (IllegalArgumentException e) {
                throw Args.bad("--accept-tcb", "'" + name + "' is not a TCB status (e.g. UpToDate, SWHardeningNeeded, "
                        + "ConfigurationNeeded, OutOfDate)");
            }
            if (t == TdxTcbStatus.REVOKED) {
                throw Args.bad("--accept-tcb", "cannot accept Revoked");
            }
            s.add(t);
        }
        return s;
    }

    private TdxCollateral collateral(TdxQuote parsed) {
        if (collateral != null) {
            return collateralAt(collateral);
        }
        if (offline) {
            throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE,
                    "no --collateral given and --offline: TCB Info, QE Identity and CRLs cannot be fetched from "
                            + "Intel PCS");
        }
        return PcsClient.builder().build().collateralFor(parsed);
    }

    /** The DCAP collateral given as {@code --collateral}: a JSON bundle, or a directory of the files it names. */
    static TdxCollateral collateralAt(Path path) {
        if (Files.isDirectory(path)) {
            return TdxCollateral.fromDirectory(path);
        }
        return TdxCollateral.fromBundleJson(InputFiles.read("--collateral", path));
    }

    /** A quote verifier at {@code clock} trusting {@code --root} (when given) instead of the pinned Intel root. */
    static TdxQuoteVerifier.Builder quoteVerifier(Clock clock, Path root) {
        TdxQuoteVerifier.Builder vb = TdxQuoteVerifier.builder().clock(clock);
        if (root != null) {
            vb.trustedRoot(InputFiles.certificate("--root", root));
        }
        return vb;
    }

    private static void printAccepted(PrintWriter out, AttestationResult r) {
        Map<String, Object> c = r.claims();
        out.println("OK: TDX quote verified (v" + c.get("version") + ", TCB " + c.get("tcb_status") + ")");
        Fields f = new Fields();
        for (String k : List.of("mr_td", "rtmr0", "rtmr1", "rtmr2", "rtmr3", "report_data", "td_attributes", "debug",
                "xfam", "tee_tcb_svn", "fmspc", "tcb_status", "advisory_ids", "tcb_date", "qe_svn",
                "collateral_expires_at")) {
            if (c.containsKey(k)) {
                f.add(k, c.get(k));
            }
        }
        f.add("verified_at", r.verifiedAt());
        f.printAligned(out, "  ");
        for (String w : r.warnings()) {
            out.println("warning: " + w);
        }
    }
}
