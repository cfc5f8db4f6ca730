package dev.coco4j.cli;

import picocli.CommandLine.Command;

/** {@code coco4j verify}: verify evidence against trust roots, collateral and a policy. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify evidence: signature, certificate chain, collateral and policy.",
        subcommands = {VerifySnpCommand.class, VerifyTdxCommand.class, VerifyGpuCommand.class,
                VerifyAzSnpVtpmCommand.class, VerifyAzTdxVtpmCommand.class})
final class VerifyCommand extends CommandGroup {
}
