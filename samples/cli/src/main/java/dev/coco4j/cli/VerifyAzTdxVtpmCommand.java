package dev.coco4j.cli;

import dev.coco4j.azure.verify.AzTdxVtpmVerifier;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.azure.verify.VerifiedAzVtpmEvidence;
import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.TeeType;
import dev.coco4j.tdx.verify.TdxCollateral;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j verify az-tdx-vtpm}: verifies Azure TDX vTPM evidence (Trustee JSON): the TD quote's REPORTDATA
 * binding of the HCL runtime claims, the TPM quote signed by the HCL attestation key, its nonce and PCR digest, then
 * full DCAP verification of the TD quote with the given collateral. Without {@code --collateral} the evidence is
 * refused with COLLATERAL_UNAVAILABLE (exit 3) after the other checks. Exit 0 accepted, 1 refused, 2 input error.
 */
@Command(name = "az-tdx-vtpm", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Verify Azure TDX vTPM evidence (HCL report + TPM quote + TD quote, Trustee JSON).")
final class VerifyAzTdxVtpmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--evidence", required = true, paramLabel = "FILE",
            description = "The evidence JSON ({\"version\":1,\"tpm_quote\":...,\"hcl_report\":...,\"td_quote\":...}).")
    Path evidence;

    @Option(names = "--nonce", paramLabel = "HEX", description = "Require the TPM quote's nonce to equal this (the "
            + "KBS runtime-data digest). Without it the nonce is not checked and a warning says so.")
    String nonce;

    @Option(names = "--collateral", paramLabel = "FILE|DIR",
            description = "DCAP collateral for the TD quote: a JSON bundle or a directory (as for verify tdx).")
    Path collateral;

    @Option(names = "--root", paramLabel = "FILE",
            description = "Replaces the pinned Intel SGX Root CA (DER or PEM). Test roots only.")
    Path root;

    @Option(names = "--at", paramLabel = "INSTANT", description = "Verify as of this ISO-8601 instant (default: now).")
    String at;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    VerifyAzTdxVtpmCommand() {
    }

    @Override
    public Integer call() {
        return VerificationOutput.run(spec.commandLine().getOut(), json, TeeType.AZ_TDX_VTPM.id(), this::verify,
                (out, r) -> AzVtpmArgs.printAccepted(out, r, "Azure TDX vTPM evidence"));
    }

    private AttestationResult verify() {
        byte[] expected = Args.hex("--nonce", nonce);
        Instant instant = Args.instant("--at", at);
        Clock clock = Args.clock(instant);
        AzVtpmEvidence ev = AzVtpmArgs.evidence(TeeType.AZ_TDX_VTPM, evidence);
        AzTdxVtpmVerifier v = AzTdxVtpmVerifier.builder().clock(clock)
                .tdxVerifier(VerifyTdxCommand.quoteVerifier(clock, root).build()).build();
        TdxCollateral c = collateral == null ? null : VerifyTdxCommand.collateralAt(collateral);
        VerifiedAzVtpmEvidence verified = expected == null ? v.verifyIgnoringNonce(ev, c) : v.verify(ev, c, expected);
        return verified.toAttestationResult();
    }
}
