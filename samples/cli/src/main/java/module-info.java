/** The {@code coco4j} command-line tool (contract: CLI.md). Not a library API. */
module dev.coco4j.cli {
    requires dev.coco4j.sev;
    requires dev.coco4j.tdx;
    requires dev.coco4j.azure;
    requires dev.coco4j.gpu;
    requires dev.coco4j.kbs;
    requires dev.coco4j.testkit;
    requires info.picocli;
    requires java.logging;
    requires com.fasterxml.jackson.databind;

    opens dev.coco4j.cli to info.picocli;
}
