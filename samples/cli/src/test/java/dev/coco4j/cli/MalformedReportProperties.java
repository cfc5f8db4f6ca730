package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.internal.Hex;
import dev.coco4j.sev.abi.SnpReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/** Whatever bytes are given as a report, the CLI answers exit 2 with a parse reason and never a stack trace. */
class MalformedReportProperties {

    @Property(tries = 200)
    void randomBytesAreRejectedAsInputErrors(@ForAll @Size(max = 2400) byte[] bytes) throws IOException {
        Assume.that(!parses(bytes));
        Path file = Files.createTempFile("coco4j-fuzz", ".bin");
        try {
            Files.write(file, bytes);
            for (Cli.Result r : new Cli.Result[] {
                    Cli.run("show", "snp", file.toString()),
                    Cli.run("verify", "snp", "--report", file.toString(), "--vcek",
                            Cli.vector("milan/mstav_milan_v3_vcek.pem"), "--offline", "--json")}) {
                assertThat(r.code()).isEqualTo(2);
                assertThat(r.firstErrLine()).matches("(MALFORMED_EVIDENCE|UNSUPPORTED_VERSION): .+");
                assertThat(r.hasStackTrace()).isFalse();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static boolean parses(byte[] bytes) {
        try {
            SnpReport.parse(Hex.rawOrHex(bytes));
            return true;
        } catch (CocoException e) {
            return false;
        }
    }
}
