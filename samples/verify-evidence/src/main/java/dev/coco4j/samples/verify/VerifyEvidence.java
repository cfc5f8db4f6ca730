package dev.coco4j.samples.verify;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.reference.ReferenceValues;
import dev.coco4j.core.reference.WorkloadReference;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.gpu.validate.GpuEvidenceVerifier;
import dev.coco4j.gpu.validate.GpuPolicy;
import dev.coco4j.sev.kds.KdsClient;
import dev.coco4j.sev.validate.SnpPolicy;
import dev.coco4j.sev.validate.SnpPolicyValidator;
import dev.coco4j.sev.verify.SnpCollateral;
import dev.coco4j.sev.verify.SnpReportVerifier;
import dev.coco4j.tdx.validate.TdxPolicy;
import dev.coco4j.tdx.validate.TdxPolicyValidator;
import dev.coco4j.tdx.verify.TdxCollateral;
import dev.coco4j.tdx.verify.TdxQuoteVerifier;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/**
 * A relying party: verifies SEV-SNP, TDX or NVIDIA GPU evidence that a workload sent, and accepts it only if it is
 * genuine (signature, certificate chain to the vendor's pinned root, TCB binding) and carries the workload's reference
 * values.
 *
 * <pre>
 * verify-evidence snp --report FILE [--vcek FILE | --kds-url URL] [--at INSTANT]
 *                     [--reference-values FILE --workload NAME]
 * verify-evidence tdx --quote FILE --collateral FILE|DIR [--at INSTANT] [--reference-values FILE --workload NAME]
 * verify-evidence gpu --report FILE --cert-chain FILE --nonce HEX --driver-rim FILE --vbios-rim FILE [--at INSTANT]
 *                     [--reference-values FILE --workload NAME]
 * </pre>
 *
 * SEV-SNP is offline when {@code --vcek} is given; otherwise the VCEK and AMD's CRL are fetched from the AMD KDS (or
 * the mirror {@code --kds-url} names). TDX and GPU run offline here with the collateral and RIMs given; their online
 * sources ({@code dev.coco4j.tdx.pcs}, {@code dev.coco4j.gpu.rim.RimServiceClient}) plug in the same way.
 *
 * <p>Prints {@code ACCEPTED <tee>} and the verified claims, or {@code <REASON>: <detail>} on stderr; the exit status
 * is that of the {@code coco4j} command (0 accepted, 1 refused, 2 bad input, 3 collateral unavailable).
 */
public final class VerifyEvidence {
    private VerifyEvidence() {
    }

    /**
     * Runs the sample and exits with its status.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the sample.
     *
     * @param args see the class comment
     * @param out where the verdict goes
     * @param err where a refusal goes
     * @return the exit status
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            Options o = Options.parse(args);
            AttestationResult result = switch (o.tee) {
                case "snp" -> verifySnp(o);
                case "tdx" -> verifyTdx(o);
                case "gpu" -> verifyGpu(o);
                default -> throw new ConfigurationException(Reason.CONFIGURATION, "unknown TEE " + o.tee);
            };
            out.println("ACCEPTED " + o.tee);
            result.claims().forEach((k, v) -> out.println("  " + k + " = " + v));
            result.warnings().forEach(w -> out.println("warning: " + w));
            return 0;
        } catch (CocoException e) {
            err.println(e.reason() + ": " + e.detail());
            return e.reason().exitCode();
        }
    }

    /**
     * The online SEV-SNP verifier: the VCEK and AMD's CRL come from the KDS at {@code kdsBaseUrl} (null: AMD's), so
     * the caller needs only the report. Add {@code .trustRoots(...)} to trust other roots (a simulator's in tests).
     *
     * @param kdsBaseUrl the KDS base URL, an absolute http(s) URL without query (a path prefix is kept, e.g. for a
     *     caching proxy); null for AMD's KDS
     * @return a new, unbuilt verifier builder whose VCEK and CRL fetchers call that KDS; set the clock or roots and
     *     build it
     * @throws dev.coco4j.core.ConfigurationException with {@link dev.coco4j.core.Reason#CONFIGURATION} if
     *     {@code kdsBaseUrl} is not such a URL
     */
    public static SnpReportVerifier.Builder onlineSnpVerifier(String kdsBaseUrl) {
        KdsClient.Builder kb = KdsClient.builder();
        if (kdsBaseUrl != null) {
            kb.baseUrl(kdsBaseUrl);
        }
        KdsClient kds = kb.build();
        return SnpReportVerifier.builder()
                .vekFetcher(kds::fetchVcek)
                .crlFetcher((product, kind) -> kds.fetchCrl(product, KdsClient.KeyKind.valueOf(kind.name())));
    }

    static AttestationResult verifySnp(Options o) {
        SnpReportVerifier.Builder verifier;
        SnpCollateral collateral;
        if (o.has("--vcek")) {   // offline: the workload sent its VCEK along (or the relying party cached it)
            verifier = SnpReportVerifier.builder().offline(true);
            collateral = SnpCollateral.ofEndorsementKey(Certificates.parse(o.file("--vcek")));
        } else {                 // online: fetch the VCEK and the CRL from the KDS
            verifier = onlineSnpVerifier(o.value("--kds-url"));
            collateral = SnpCollateral.none();
        }
        var verified = verifier.clock(o.clock()).build().verify(o.file("--report"), collateral);
        SnpPolicy.Builder policy = SnpPolicy.builder();   // refuses debug guests by default
        o.workload().ifPresent(policy::referenceValues);
        return SnpPolicyValidator.validate(verified, policy.build()).toAttestationResult();
    }

    static AttestationResult verifyTdx(Options o) {
        Path c = Path.of(o.required("--collateral"));
        TdxCollateral collateral = Files.isDirectory(c) ? TdxCollateral.fromDirectory(c)
                : TdxCollateral.fromBundleJson(o.file("--collateral"));
        var verified = TdxQuoteVerifier.builder().clock(o.clock()).build().verify(o.file("--quote"), collateral);
        TdxPolicy.Builder policy = TdxPolicy.builder();   // UpToDate/SWHardeningNeeded, no debug TDs
        o.workload().ifPresent(policy::referenceValues);
        return TdxPolicyValidator.validate(verified, policy.build()).toAttestationResult();
    }

    static AttestationResult verifyGpu(Options o) {
        byte[] driverRim = o.file("--driver-rim");
        byte[] vbiosRim = o.file("--vbios-rim");
        GpuPolicy.Builder policy = GpuPolicy.builder();
        o.workload().ifPresent(policy::referenceValues);
        GpuEvidenceVerifier verifier = GpuEvidenceVerifier.builder()
                .policy(policy.build())
                .rimSource(rimId -> rimId.startsWith("NV_GPU_VBIOS_") ? vbiosRim : driverRim)
                .build();
        Evidence evidence = new Evidence(TeeType.NVIDIA_GPU, o.file("--report"), o.file("--cert-chain"));
        byte[] nonce = o.hex("--nonce");
        return verifier.verify(evidence, nonce, VerificationOptions.builder().offline(true).clock(o.clock()).build());
    }

    /** The command line: a TEE name, then {@code --flag value} pairs. */
    record Options(String tee, Map<String, String> flags) {
        static Options parse(String[] args) {
            if (args.length == 0 || args.length % 2 == 0) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "usage: verify-evidence snp|tdx|gpu --flag value ... (see the README)");
            }
            Map<String, String> flags = new HashMap<>();
            for (int i = 1; i < args.length; i += 2) {
                if (!args[i].startsWith("--") || flags.put(args[i], args[i + 1]) != null) {
                    throw new ConfigurationException(Reason.CONFIGURATION, "bad or repeated flag " + args[i]);
                }
            }
            return new Options(args[0], flags);
        }

        boolean has(String flag) {
            return flags.containsKey(flag);
        }

        String value(String flag) {
            return flags.get(flag);
        }

        String required(String flag) {
            String v = flags.get(flag);
            if (v == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, flag + " is required for " + tee);
            }
            return v;
        }

        byte[] file(String flag) {
            try {
                return Files.readAllBytes(Path.of(required(flag)));
            } catch (IOException e) {
                throw new ConfigurationException(Reason.CONFIGURATION, "cannot read " + flag + ": " + e.getMessage());
            }
        }

        byte[] hex(String flag) {
            try {
                return HexFormat.of().parseHex(required(flag));
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(Reason.CONFIGURATION, flag + " is not hex");
            }
        }

        Clock clock() {
            try {
                return has("--at") ? Clock.fixed(Instant.parse(value("--at")), ZoneOffset.UTC) : Clock.systemUTC();
            } catch (java.time.DateTimeException e) {
                throw new ConfigurationException(Reason.CONFIGURATION, "--at is not an ISO-8601 instant");
            }
        }

        Optional<WorkloadReference> workload() {
            if (!has("--reference-values")) {
                return Optional.empty();
            }
            return Optional.of(ReferenceValues.load(Path.of(value("--reference-values"))).workload(required(
                    "--workload")));
        }
    }
}
