package dev.coco4j.cli;

import picocli.CommandLine.Command;

/** {@code coco4j sim}: produce simulated evidence signed by simulated roots that nothing trusts by default. */
@Command(name = "sim", mixinStandardHelpOptions = true,
        description = "Produce simulated evidence (its roots are never trusted unless passed explicitly).",
        subcommands = {SimSnpCommand.class, SimTdxCommand.class, SimGpuCommand.class})
final class SimCommand extends CommandGroup {
}
