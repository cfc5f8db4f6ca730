package dev.coco4j.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every Reason has a row in docs/troubleshooting.md, so a new reason cannot ship undocumented. */
class ReasonDocumentationTest {

    @Test
    void everyReasonIsInTheTroubleshootingPage() throws IOException {
        String page = Files.readString(Path.of("../docs/troubleshooting.md"));
        for (Reason r : Reason.values()) {
            assertThat(page).as(r.name()).contains("| `" + r.name() + "` | " + r.exitCode() + " |");
        }
    }
}
