package dev.coco4j.cli;

import picocli.CommandLine.Command;

/** {@code coco4j show}: parse evidence and print every field. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "Parse evidence and print every field.",
        subcommands = {ShowSnpCommand.class, ShowTdxCommand.class, ShowGpuCommand.class,
                ShowAzVtpmCommand.Snp.class, ShowAzVtpmCommand.Tdx.class})
final class ShowCommand extends CommandGroup {
}
