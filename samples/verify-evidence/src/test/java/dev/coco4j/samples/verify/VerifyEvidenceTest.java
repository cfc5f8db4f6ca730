package dev.coco4j.samples.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.ReportData;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.sev.verify.SnpCollateral;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the sample's {@code main} logic against the real vectors (PROVENANCE.md) and a KDS stand-in. */
class VerifyEvidenceTest {
    static final Path V = Path.of("src/test/resources/vectors");
    static final String GPU_NONCE = "4cff7f5380ead8fad8ec2c531c110aca4302a88f603792801a8ca29ee151af2e";

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = VerifyEvidence.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static String v(String name) {
        return V.resolve(name).toString();
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void snpOfflineAcceptsTheRealGenoaReportWithItsReferenceValues(@TempDir Path dir) throws IOException {
        SnpReport report = SnpReport.parse(Files.readAllBytes(V.resolve("sev/oak_genoa_v5_report.bin")));
        Path rv = dir.resolve("rv.json");
        Files.writeString(rv, "{\"version\":1,\"workloads\":{\"oak\":{\"snp\":{\"measurement\":\""
                + hex(report.measurement()) + "\"}},\"other\":{\"snp\":{\"measurement\":\"" + "00".repeat(48)
                + "\"}}}}");
        String[] base = {"snp", "--report", v("sev/oak_genoa_v5_report.bin"), "--vcek", v("sev/oak_genoa_v5_vcek.der"),
                "--at", "2026-06-01T00:00:00Z", "--reference-values", rv.toString(), "--workload"};

        Run ok = run(concat(base, "oak"));
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("ACCEPTED snp").contains(hex(report.measurement()))
                .contains("revocation not checked");

        Run wrong = run(concat(base, "other"));
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).startsWith("MEASUREMENT_MISMATCH: ");
        assertThat(run(concat(base, "missing")).err()).startsWith("CONFIGURATION: ");
    }

    @Test
    void snpOfflineRefusesADebugGuestAndAForgedReport(@TempDir Path dir) throws IOException {
        Run debug = run("snp", "--report", v("sev/gsg_milan_v2_report.bin"), "--vcek", v("sev/gsg_milan_v2_vcek.der"),
                "--at", "2026-06-01T00:00:00Z");
        assertThat(debug.code()).isEqualTo(1);
        assertThat(debug.err()).startsWith("POLICY_VIOLATION: ");

        byte[] forged = Files.readAllBytes(V.resolve("sev/oak_genoa_v5_report.bin"));
        forged[0x90] ^= 1;   // one bit of the MEASUREMENT
        Path f = dir.resolve("forged.bin");
        Files.write(f, forged);
        Run bad = run("snp", "--report", f.toString(), "--vcek", v("sev/oak_genoa_v5_vcek.der"),
                "--at", "2026-06-01T00:00:00Z");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).startsWith("SIGNATURE_INVALID: ");
    }

    @Test
    void snpOnlineFetchesTheRealVcekByChipIdAndTcbAndFailsClosedWithoutACrl() throws IOException {
        byte[] vcek = Files.readAllBytes(V.resolve("sev/oak_genoa_v5_vcek.der"));
        SnpReport report = SnpReport.parse(Files.readAllBytes(V.resolve("sev/oak_genoa_v5_report.bin")));
        try (MockWebServer kds = new MockWebServer()) {
            kds.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    String path = request.getRequestUrl().encodedPath();
                    if (path.startsWith("/vcek/v1/Genoa/") && !path.endsWith("/crl")) {
                        return new MockResponse().setBody(new Buffer().write(vcek));
                    }
                    return new MockResponse().setResponseCode(404);   // no real AMD CRL is available offline
                }
            });
            kds.start();
            Run r = run("snp", "--report", v("sev/oak_genoa_v5_report.bin"), "--kds-url", kds.url("/").toString(),
                    "--at", "2026-06-01T00:00:00Z");
            assertThat(r.code()).as(r.out() + r.err()).isEqualTo(3);
            assertThat(r.err()).startsWith("COLLATERAL_UNAVAILABLE: ");
            RecordedRequest first = kds.takeRequest();
            assertThat(first.getRequestUrl().encodedPath()).isEqualToIgnoringCase("/vcek/v1/Genoa/"
                    + hex(report.chipId()));
            assertThat(kds.takeRequest().getRequestUrl().encodedPath()).isEqualTo("/vcek/v1/Genoa/crl");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void snpOnlineAcceptsWhenTheKdsServesTheVcekAndAValidCrl() throws IOException {
        SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().product(SnpProduct.GENOA).build();
        SnpReport report = sim.report(ReportData.ofHex("01"));
        try (MockWebServer kds = new MockWebServer()) {
            kds.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    try {
                        String path = request.getRequestUrl().encodedPath();
                        Instant now = Instant.now();
                        if (path.equals("/vcek/v1/Genoa/crl")) {
                            return new MockResponse().setBody(new Buffer().write(
                                    sim.crl(now.minusSeconds(60), now.plusSeconds(3600)).getEncoded()));
                        }
                        return new MockResponse().setBody(new Buffer().write(sim.vcek().getEncoded()));
                    } catch (Exception e) {
                        return new MockResponse().setResponseCode(500);
                    }
                }
            });
            kds.start();
            var verified = VerifyEvidence.onlineSnpVerifier(kds.url("/").toString()).trustRoots(sim.trustRoots())
                    .build().verify(report, SnpCollateral.none());
            assertThat(verified.toAttestationResult().warnings()).isEmpty();   // the CRL was checked
            assertThat(kds.getRequestCount()).isEqualTo(2);
        }
    }

    @Test
    void tdxOfflineAcceptsTheRealUpToDateQuote() {
        Run r = run("tdx", "--quote", v("tdx/quote_v4_fmspcb0c06f000000_uptodate.dat"),
                "--collateral", v("tdx/collateral_fmspcb0c06f000000_2025-06-19.json"), "--at", "2025-06-20T00:00:00Z");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("ACCEPTED tdx").contains("UpToDate");

        Run expired = run("tdx", "--quote", v("tdx/quote_v4_fmspcb0c06f000000_uptodate.dat"),
                "--collateral", v("tdx/collateral_fmspcb0c06f000000_2025-06-19.json"), "--at", "2026-06-20T00:00:00Z");
        assertThat(expired.code()).isEqualTo(1);
        assertThat(expired.err()).matches("(COLLATERAL_EXPIRED|CERT_EXPIRED): (?s).*");
    }

    @Test
    void gpuOfflineAcceptsTheRealReportAgainstItsRims() {
        Run r = run("gpu", "--report", v("gpu/attestationReport.txt"), "--cert-chain", v("gpu/gpuAkCertChain.txt"),
                "--nonce", GPU_NONCE, "--driver-rim", v("gpu/Driver_RIM_test_no_gpu.swidtag"),
                "--vbios-rim", v("gpu/1010_0200_882_96005E0001_test_no_gpu.swidtag"), "--at", "2025-06-01T00:00:00Z");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("ACCEPTED gpu").contains("545.00").contains("OCSP not checked");

        Run wrongNonce = run("gpu", "--report", v("gpu/attestationReport.txt"), "--cert-chain",
                v("gpu/gpuAkCertChain.txt"), "--nonce", "00".repeat(32), "--driver-rim",
                v("gpu/Driver_RIM_test_no_gpu.swidtag"), "--vbios-rim",
                v("gpu/1010_0200_882_96005E0001_test_no_gpu.swidtag"), "--at", "2025-06-01T00:00:00Z");
        assertThat(wrongNonce.code()).isEqualTo(1);
        assertThat(wrongNonce.err()).startsWith("NONCE_MISMATCH: ");
    }

    @Test
    void badInputIsAUsageErrorNeverAStackTrace() {
        assertThat(run().code()).isEqualTo(2);
        assertThat(run("snp", "--report").code()).isEqualTo(2);
        Run missing = run("snp", "--report", "/no/such/file", "--vcek", "/no/such/vcek");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("CONFIGURATION: ");
        assertThat(run("snp", "--report", v("sev/oak_genoa_v5_report.bin"), "--vcek", v("sev/oak_genoa_v5_vcek.der"),
                "--at", "yesterday").err()).startsWith("CONFIGURATION: ");
    }

    static String[] concat(String[] a, String b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + 1);
        r[a.length] = b;
        return r;
    }
}
