package dev.coco4j.cli;

import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.verify.AzSnpVtpmVerifier;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.azure.verify.VerifiedAzVtpmEvidence;
import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.verify.SnpReportVerifier;
import dev.coco4j.sev.verify.SnpTrustRoots;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j verify az-snp-vtpm}: verifies Azure SEV-SNP vTPM evidence (Trustee JSON): the SNP report in the HCL
 * report with the evidence's VCEK, the runtime-claims binding, the TPM quote signed by the HCL attestation key, its
 * nonce and PCR digest. Offline (the VCEK travels in the evidence). Exit 0 accepted, 1 refused, 2 input error.
 */
@Command(name = "az-snp-vtpm", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Verify Azure SEV-SNP vTPM evidence (HCL report + TPM quote, Trustee JSON).")
final class VerifyAzSnpVtpmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--evidence", required = true, paramLabel = "FILE",
            description = "The evidence JSON ({\"version\":1,\"tpm_quote\":...,\"hcl_report\":...,\"vcek\":...}).")
    Path evidence;

    @Option(names = "--nonce", paramLabel = "HEX", description = "Require the TPM quote's nonce to equal this (the "
            + "KBS runtime-data digest). Without it the nonce is not checked and a warning says so.")
    String nonce;

    @Option(names = "--product", paramLabel = "milan|genoa|turin",
            description = "The product of a version 2 SNP report (v3+ reports name it in CPUID).")
    String product;

    @Option(names = "--ask", paramLabel = "FILE", description = "Replaces AMD's ASK for the product. Test roots only.")
    Path ask;

    @Option(names = "--ark", paramLabel = "FILE", description = "Replaces AMD's ARK for the product. Test roots only.")
    Path ark;

    @Option(names = "--crl", paramLabel = "FILE", description = "AMD's CRL for the product (DER/PEM).")
    Path crl;

    @Option(names = "--at", paramLabel = "INSTANT", description = "Verify as of this ISO-8601 instant (default: now).")
    String at;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    VerifyAzSnpVtpmCommand() {
    }

    @Override
    public Integer call() {
        return VerificationOutput.run(spec.commandLine().getOut(), json, TeeType.AZ_SNP_VTPM.id(), this::verify,
                (out, r) -> AzVtpmArgs.printAccepted(out, r, "Azure SEV-SNP vTPM evidence"));
    }

    private AttestationResult verify() {
        byte[] expected = Args.hex("--nonce", nonce);
        SnpProduct given = Args.product("--product", product);
        Instant instant = Args.instant("--at", at);
        Clock clock = Args.clock(instant);
        AzVtpmEvidence ev = AzVtpmArgs.evidence(TeeType.AZ_SNP_VTPM, evidence);
        SnpReportVerifier.Builder snp = SnpReportVerifier.builder().clock(clock).offline(true);
        if (ask != null || ark != null) {
            SnpReport report = SnpReport.parse(HclReport.parse(ev.hclReport()).snpReport());
            X509Certificate vek = Certificates.parse(ev.hardwareProof());
            SnpTrustRoots roots = SnpRootsArgs.roots(report, given, vek,
                    ask == null ? null : InputFiles.certificate("--ask", ask),
                    ark == null ? null : InputFiles.certificate("--ark", ark));
            snp.trustRoots(roots);
        }
        AzSnpVtpmVerifier.Builder b = AzSnpVtpmVerifier.builder().clock(clock).snpVerifier(snp.build())
                .product(given);
        if (crl != null) {
            b.crl(InputFiles.crl("--crl", crl));
        }
        AzSnpVtpmVerifier v = b.build();
        VerifiedAzVtpmEvidence verified = expected == null ? v.verifyIgnoringNonce(ev) : v.verify(ev, expected);
        return verified.toAttestationResult();
    }
}
