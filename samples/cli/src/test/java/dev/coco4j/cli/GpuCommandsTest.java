package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code show gpu}, {@code verify gpu} and {@code sim gpu} against sdk-gpu's real vectors (see their PROVENANCE.md). */
class GpuCommandsTest {
    static final Path GPU = Path.of("../../sdk-gpu/src/test/resources/vectors/gpu");
    /** The 2023 test RIMs' signers were valid then. */
    static final String PINNED = "2025-06-01T00:00:00Z";
    static final String REPORT_2023 = gpu("nvtrust-lgv-samples-2023/attestationReport.txt");
    static final String CHAIN_2023 = gpu("nvtrust-lgv-samples-2023/gpuAkCertChain.txt");
    static final String NONCE_2023 = "4cff7f5380ead8fad8ec2c531c110aca4302a88f603792801a8ca29ee151af2e";
    static final String DRIVER_RIM = gpu("nvtrust-lgv-samples/Driver_RIM_test_no_gpu.swidtag");
    static final String VBIOS_RIM = gpu("nvtrust-lgv-samples/1010_0200_882_96005E0001_test_no_gpu.swidtag");
    static final String VBIOS_PROD = gpu("nvtrust-lgv-samples/1010_0200_882_96005E0001_PROD.swidtag");
    static final String NONCE_931D = "931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb";

    static String gpu(String relative) {
        return GPU.resolve(relative).toString();
    }

    static Cli.Result verify2023(String... more) {
        List<String> a = new ArrayList<>(List.of("verify", "gpu", "--report", REPORT_2023, "--cert-chain", CHAIN_2023,
                "--at", PINNED));
        a.addAll(List.of(more));
        return Cli.run(a.toArray(String[]::new));
    }

    static void assertRefused(Cli.Result r, int code, String reason) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.firstErrLine()).startsWith(reason + ": ");
        assertThat(r.hasStackTrace()).isFalse();
    }

    @Test
    void the2023ReportWithItsTestRimsIsAcceptedOfflineWithTheOcspWarning() {
        Cli.Result r = verify2023("--nonce", NONCE_2023, "--rim", DRIVER_RIM, "--rim", VBIOS_RIM, "--offline");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst()).contains("OK: NVIDIA GPU report verified (HOPPER, driver 545.00, "
                + "VBIOS 96.00.5E.00.01)");
        assertThat(r.out()).contains("measres").contains("success").contains("GH100 A01 GSP BROM")
                .contains("warning: OCSP not checked (offline)");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void rimOrderDoesNotMatterAndJsonHasTheContractShape() {
        Cli.Result r = verify2023("--nonce", NONCE_2023, "--rim", VBIOS_RIM, "--rim", DRIVER_RIM, "--offline",
                "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("accepted", "tee", "warnings", "claims");
        assertThat(j.get("accepted").asBoolean()).isTrue();
        assertThat(j.get("tee").asText()).isEqualTo("gpu");
        assertThat(j.get("warnings").toString()).contains("OCSP not checked");
        JsonNode c = j.get("claims");
        assertThat(c.get("driver_version").asText()).isEqualTo("545.00");
        assertThat(c.get("vbios_version").asText()).isEqualTo("96.00.5E.00.01");
        assertThat(c.get("eat_nonce").asText()).isEqualTo(NONCE_2023);
        assertThat(c.get("driver_rim_id").asText()).isEqualTo("NV_GPU_DRIVER_GH100_545.00");
        assertThat(c.get("ocsp_checked").asBoolean()).isFalse();
    }

    @Test
    void productionVbiosRimIsMeasurementMismatch() {
        Cli.Result r = verify2023("--nonce", NONCE_2023, "--rim", DRIVER_RIM, "--rim", VBIOS_PROD, "--offline");
        assertRefused(r, 1, "MEASUREMENT_MISMATCH");
        Cli.Result j = verify2023("--nonce", NONCE_2023, "--rim", DRIVER_RIM, "--rim", VBIOS_PROD, "--offline",
                "--json");
        assertThat(j.code()).isEqualTo(1);
        assertThat(j.json().get("accepted").asBoolean()).isFalse();
        assertThat(j.json().get("reason").asText()).isEqualTo("MEASUREMENT_MISMATCH");
    }

    @Test
    void wrongNonceIsNonceMismatch() {
        String wrong = NONCE_2023.substring(0, 62) + "00";
        assertRefused(verify2023("--nonce", wrong, "--rim", DRIVER_RIM, "--rim", VBIOS_RIM, "--offline"), 1,
                "NONCE_MISMATCH");
    }

    @Test
    void invalidSignatureReportIsSignatureInvalid() {
        Cli.Result r = Cli.run("verify", "gpu", "--report",
                gpu("nvat-testdata/sample_attestation_data__gpu__hopperAttestationReportInvalidSignature.txt"),
                "--cert-chain", gpu("nvat-testdata/sample_attestation_data__gpu__hopperCertChainExpired.txt"),
                "--nonce", NONCE_931D, "--no-rim", "--offline", "--at", PINNED);
        assertRefused(r, 1, "SIGNATURE_INVALID");
    }

    @Test
    void garbageIsExit2() throws IOException {
        Path garbage = Files.createTempFile("garbage", ".bin");
        Files.write(garbage, new byte[] {0x11, (byte) 0xe0, 1, 2, 3});
        assertRefused(Cli.run("verify", "gpu", "--report", garbage.toString(), "--cert-chain", CHAIN_2023,
                "--nonce", NONCE_2023, "--offline", "--no-rim"), 2, "MALFORMED_EVIDENCE");
        assertRefused(Cli.run("show", "gpu", garbage.toString()), 2, "MALFORMED_EVIDENCE");
        assertRefused(Cli.run("verify", "gpu", "--report", REPORT_2023, "--cert-chain", garbage.toString(),
                "--nonce", NONCE_2023, "--offline", "--no-rim"), 2, "MALFORMED_EVIDENCE");
        Files.delete(garbage);
    }

    @Test
    void usageErrorsAreExit2() {
        assertRefused(verify2023("--nonce", "abcd", "--offline", "--no-rim"), 2, "CONFIGURATION");
        assertRefused(verify2023("--nonce", NONCE_2023, "--no-rim", "--rim", DRIVER_RIM), 2, "CONFIGURATION");
        assertRefused(verify2023("--nonce", NONCE_2023, "--offline", "--rim", "no/such/rim.xml"), 2, "CONFIGURATION");
        assertRefused(verify2023("--nonce", NONCE_2023, "--offline", "--rim", DRIVER_RIM, "--rim", DRIVER_RIM), 2,
                "CONFIGURATION");
    }

    @Test
    void offlineWithoutRimsIsExit3AndNoRimSkipsTheComparisonWithAWarning() {
        assertRefused(verify2023("--nonce", NONCE_2023, "--offline"), 3, "COLLATERAL_UNAVAILABLE");
        assertRefused(verify2023("--nonce", NONCE_2023, "--offline", "--rim", DRIVER_RIM), 3,
                "COLLATERAL_UNAVAILABLE");
        Cli.Result r = verify2023("--nonce", NONCE_2023, "--offline", "--no-rim");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("warning: measurements not compared with RIMs");
    }

    @Test
    void aRimForAnotherVersionIsRimInvalid() {
        assertRefused(verify2023("--nonce", NONCE_2023, "--offline", "--rim", DRIVER_RIM, "--rim",
                gpu("nvtrust-lgv-samples/1010_0205_862_9600740020_PROD.swidtag")), 1, "RIM_INVALID");
    }

    @Test
    void showPrintsEveryFieldOfARealReport() {
        Cli.Result r = Cli.run("show", "gpu", gpu("nvtrust-lgv-samples/hopperAttestationReport.txt"));
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("NVIDIA GPU attestation report").contains("nonce").contains(NONCE_931D)
                .contains("driver_version").contains("550.90.07").contains("vbios_version").contains("96.00.9F.00.01")
                .contains("measurement_01").contains("fwid").contains("signature_r").contains("opaque_");
        Cli.Result j = Cli.run("show", "gpu", REPORT_2023, "--json");
        assertThat(j.code()).isZero();
        assertThat(j.json().get("nonce").asText()).isEqualTo(NONCE_2023);
        assertThat(j.json().get("driver_version").asText()).isEqualTo("545.00");
        assertThat(j.json().get("number_of_blocks").asInt()).isPositive();
    }

    @Test
    void simulatedGpuVerifiesOnlyWithItsRootsPassed(@TempDir Path dir) {
        String nonce = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        Cli.Result sim = Cli.run("sim", "gpu", "--nonce", nonce, "--out", dir.toString());
        assertThat(sim.code()).as(sim.err()).isZero();
        for (String f : List.of("report.bin", "cert_chain.pem", "root.pem", "rim_driver.xml", "rim_vbios.xml",
                "rim_root.pem")) {
            assertThat(dir.resolve(f)).isRegularFile();
        }
        List<String> base = List.of("verify", "gpu", "--report", dir.resolve("report.bin").toString(),
                "--cert-chain", dir.resolve("cert_chain.pem").toString(), "--nonce", nonce,
                "--rim", dir.resolve("rim_driver.xml").toString(), "--rim", dir.resolve("rim_vbios.xml").toString(),
                "--offline");
        List<String> trusted = new ArrayList<>(base);
        trusted.addAll(List.of("--root", dir.resolve("root.pem").toString(), "--rim-root",
                dir.resolve("rim_root.pem").toString()));
        Cli.Result ok = Cli.run(trusted.toArray(String[]::new));
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("OK: NVIDIA GPU report verified");
        assertRefused(Cli.run(base.toArray(String[]::new)), 1, "CHAIN_INVALID");
        List<String> deviceRootOnly = new ArrayList<>(base);
        deviceRootOnly.addAll(List.of("--root", dir.resolve("root.pem").toString()));
        assertRefused(Cli.run(deviceRootOnly.toArray(String[]::new)), 1, "CHAIN_INVALID");
        assertRefused(Cli.run("sim", "gpu", "--nonce", "00", "--out", dir.toString()), 2, "CONFIGURATION");
    }
}
