package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * {@code --tee az-snp-vtpm|az-tdx-vtpm} on {@code kbs get} and {@code envelope --kbs-url}: accepted as values, wired to
 * the Azure SPI attesters, and refused with the detection's reason (exit 2, before any request) where the vTPM is not
 * usable — on this build host there is no Azure vTPM (the real collection cannot run here).
 */
class KbsAzureTeeTest {
    static final boolean NO_TPM = !Files.exists(Path.of("/dev/tpmrm0"));

    @TempDir
    Path dir;

    static void refusedBeforeAnyRequest(Cli.Result r, String tee) {
        assertThat(r.hasStackTrace()).isFalse();
        if (NO_TPM) {
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.firstErrLine()).isEqualTo("CONFIGURATION: --tee " + tee + ": not available here "
                    + "(/dev/tpmrm0 NV 0x01400001: no /dev/tpmrm0)");
        } else {
            // a TPM is present (not an Azure CVM, or one whose KBS at port 1 is unreachable): refused all the same
            assertThat(r.code()).as(r.err()).isIn(2, 3);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"az-snp-vtpm", "az-tdx-vtpm"})
    void kbsGetWithAnAzureTeeNamesTheProbeResult(String tee) {
        Path out = dir.resolve("secret.bin");
        Cli.Result r = Cli.run("kbs", "get", "--url", "http://127.0.0.1:1", "--path", "default/key/app",
                "--out", out.toString(), "--tee", tee, "--timeout", "2");
        refusedBeforeAnyRequest(r, tee);
        assertThat(out).doesNotExist();
    }

    @ParameterizedTest
    @ValueSource(strings = {"az-snp-vtpm", "az-tdx-vtpm"})
    void envelopeWithAnAzureTeeIsWiredTheSameWay(String tee) throws Exception {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "phi");
        Path out = dir.resolve("sealed.bin");
        Cli.Result r = Cli.run("envelope", "encrypt", "--in", plain.toString(), "--out", out.toString(),
                "--kbs-url", "http://127.0.0.1:1", "--kbs-key", "default/kek/app", "--tee", tee);
        refusedBeforeAnyRequest(r, tee);
        assertThat(out).doesNotExist();
    }

    @Test
    void autoDetectionExplainsTheAzureProbes() {
        Cli.Result r = Cli.run("kbs", "get", "--url", "http://127.0.0.1:1", "--path", "default/key/app",
                "--out", dir.resolve("x").toString(), "--timeout", "2");
        assertThat(r.hasStackTrace()).isFalse();
        if (NO_TPM) {
            assertThat(r.code()).as(r.err()).isEqualTo(2);
            assertThat(r.firstErrLine()).startsWith("CONFIGURATION: no TEE found")
                    .contains("az-snp-vtpm via device-node /dev/tpmrm0 NV 0x01400001: not found (no /dev/tpmrm0)")
                    .contains("az-tdx-vtpm via device-node /dev/tpmrm0 NV 0x01400001: not found (no /dev/tpmrm0)");
        }
    }

    @Test
    void unknownTeeListsTheAcceptedValuesAndHelpShowsThem() {
        Cli.Result r = Cli.run("kbs", "get", "--url", "http://127.0.0.1:1", "--path", "default/key/app",
                "--out", dir.resolve("x").toString(), "--tee", "az-sgx");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).isEqualTo("CONFIGURATION: --tee: expected auto, snp, tdx, sample, az-snp-vtpm or "
                + "az-tdx-vtpm, got 'az-sgx'");
        assertThat(Cli.run("kbs", "get", "--help").out()).contains("auto|snp|tdx|sample|az-snp-vtpm|az-tdx-vtpm");
        assertThat(Cli.run("envelope", "encrypt", "--help").out()).contains("auto|snp|tdx|sample|az-snp-vtpm|"
                + "az-tdx-vtpm");
    }
}
