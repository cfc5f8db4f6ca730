package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coco4j.azure.sim.SimulatedAzVtpm;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.core.spi.Attesters;
import dev.coco4j.sev.abi.SignerInfo.SigningKey;
import dev.coco4j.sev.abi.SnpCertTable;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.guest.SnpAttester;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.tdx.sim.SimulatedTdxPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code coco4j attest}: the sample TEE end to end, refusals on this machine (no TEE), and the file layouts of SNP,
 * TDX and Azure vTPM evidence written by the same code the command uses and read back by {@code verify}.
 */
class AttestCommandTest {
    static final String RD = "00112233445566778899aabbccddeeff";
    static final HexFormat HEX = HexFormat.of();

    @TempDir
    Path tmp;

    static List<String> names(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    static String padded(String hex) {
        return hex + "0".repeat(128 - hex.length());
    }

    // ---- sample, end to end through the command ----

    @Test
    void sampleWritesItsEvidenceAndTheReportDataAsGiven() throws Exception {
        Path out = tmp.resolve("sample");
        Cli.Result r = Cli.run("attest", "--tee", "sample", "--out", out.toString(), "--report-data", RD);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(names(out)).containsExactly("evidence.json", "report-data.hex");
        assertThat(r.out()).contains("wrote " + out.toAbsolutePath().resolve("evidence.json"))
                .contains("wrote " + out.toAbsolutePath().resolve("report-data.hex")).contains("NON-SECURE");
        assertThat(Files.readString(out.resolve("report-data.hex")).strip()).isEqualTo(padded(RD));
        JsonNode ev = new ObjectMapper().readTree(out.resolve("evidence.json").toFile());
        assertThat(ev.get("svn").asText()).isEqualTo("1");
        assertThat(HEX.formatHex(Base64.getDecoder().decode(ev.get("report_data").asText()))).isEqualTo(padded(RD));
    }

    @Test
    void nonceBindsItsSha512AndJsonNamesTheFiles() throws Exception {
        Path out = tmp.resolve("nonce");
        Cli.Result r = Cli.run("attest", "--tee", "sample", "--out", out.toString(), "--nonce", "cafe", "--json");
        assertThat(r.code()).as(r.err()).isZero();
        String expected = HEX.formatHex(MessageDigest.getInstance("SHA-512").digest(HEX.parseHex("cafe")));
        JsonNode j = r.json();
        assertThat(j.get("tee").asText()).isEqualTo("sample");
        assertThat(j.get("report_data").asText()).isEqualTo(expected);
        assertThat(j.get("files")).hasSize(2);
        assertThat(j.get("files").get(0).asText()).isEqualTo(out.toAbsolutePath().resolve("evidence.json").toString());
        assertThat(j.get("warnings")).isEmpty();
        assertThat(Files.readString(out.resolve("report-data.hex")).strip()).isEqualTo(expected);
        assertThat(Cli.run("attest", "--help").out().replaceAll("\\s+", " "))
                .contains("SHA-512 of the nonce bytes");
    }

    @Test
    void withoutReportDataItIsZeroWithAWarningOnStderr() throws Exception {
        Path out = tmp.resolve("zero");
        Cli.Result r = Cli.run("attest", "--tee", "sample", "--out", out.toString());
        assertThat(r.code()).isZero();
        assertThat(r.firstErrLine()).startsWith("warning: neither --report-data nor --nonce given");
        assertThat(Files.readString(out.resolve("report-data.hex")).strip()).isEqualTo("0".repeat(128));
    }

    @ParameterizedTest
    @ValueSource(strings = {"not-hex", "abc", "00"})
    void badReportDataIsAUsageErrorAndWritesNothing(String value) throws Exception {
        Path out = tmp.resolve("bad");
        String v = value.equals("00") ? "00".repeat(65) : value;
        Cli.Result r = Cli.run("attest", "--tee", "sample", "--out", out.toString(), "--report-data", v);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("CONFIGURATION: --report-data ");
        assertThat(r.hasStackTrace()).isFalse();
        assertThat(out).doesNotExist();
    }

    @Test
    void reportDataAndNonceTogetherAreRefused() {
        Path out = tmp.resolve("both");
        Cli.Result r = Cli.run("attest", "--tee", "sample", "--out", out.toString(), "--report-data", "00",
                "--nonce", "00");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).contains("mutually exclusive");
        assertThat(Cli.run("attest", "--tee", "sample", "--out", out.toString(), "--nonce", "").code()).isEqualTo(2);
        assertThat(Cli.run("attest", "--tee", "sgx", "--out", out.toString()).firstErrLine())
                .startsWith("CONFIGURATION: --tee: expected auto, snp, tdx, sample, az-snp-vtpm or az-tdx-vtpm");
        assertThat(out).doesNotExist();
    }

    @Test
    void outThatIsAFileIsAUsageError() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Cli.Result r = Cli.run("attest", "--tee", "sample", "--out", file.toString(), "--report-data", RD);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("CONFIGURATION: --out");
        assertThat(Files.readString(file)).isEqualTo("x");
        assertThat(names(tmp)).containsExactly("a-file");
    }

    @Test
    void aFileThatCannotBeWrittenLeavesNoneOfTheOthers() throws Exception {
        Path out = tmp.resolve("partial");
        // report-data.hex is renamed last; a non-empty directory of that name makes the rename fail
        Files.createDirectories(out.resolve("report-data.hex"));
        Files.writeString(out.resolve("report-data.hex").resolve("keep"), "x");
        Cli.Result r = Cli.run("attest", "--tee", "sample", "--out", out.toString(), "--report-data", RD);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("CONFIGURATION: --out: cannot write to ");
        assertThat(r.out()).isEmpty();
        assertThat(names(out)).containsExactly("report-data.hex"); // no evidence.json, no temporary file
        assertThat(names(out.resolve("report-data.hex"))).containsExactly("keep");
    }

    // ---- this machine: no TEE ----

    @Test
    void snpWhereThereIsNoneExitsTwoWithTheProbesAndWritesNothing() throws Exception {
        assumeThat(new SnpAttester().isAvailable()).as("this machine has SEV-SNP").isFalse();
        Path out = tmp.resolve("snp");
        Cli.Result r = Cli.run("attest", "--tee", "snp", "--out", out.toString(), "--report-data", RD);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("CONFIGURATION: --tee snp: not available here (")
                .contains("/sys/kernel/config/tsm/report").contains("/dev/sev-guest");
        assertThat(r.hasStackTrace()).isFalse();
        assertThat(r.out()).isEmpty();
        assertThat(out).doesNotExist();
    }

    @Test
    void autoNeverPicksSampleAndExplainsTheDetection() throws Exception {
        assumeThat(Attesters.detectionReport().found()).as("this machine has a TEE").isFalse();
        Path out = tmp.resolve("auto");
        Cli.Result r = Cli.run("attest", "--out", out.toString(), "--report-data", RD);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).startsWith("CONFIGURATION: no TEE found; probed in order: ")
                .contains("snp via device-node /dev/sev-guest").contains("tdx via device-node /dev/tdx_guest")
                .doesNotContain("sample");
        assertThat(out).doesNotExist();
    }

    /** An attester that answers with a fixed function of the report data. */
    record Scripted(TeeType tee, java.util.function.Function<ReportData, Evidence> answer) implements Attester {
        @Override
        public TeeType teeType() {
            return tee;
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public String describeAvailability() {
            return "scripted";
        }

        @Override
        public Evidence attest(ReportData reportData) {
            return answer.apply(reportData);
        }
    }

    @Test
    void anAttesterFailureKeepsItsReasonAndALyingAttesterIsRefused() throws Exception {
        ReportData rd = ReportData.ofHex(RD);
        Path out = tmp.resolve("collect");
        SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().build();
        Attester failing = new Scripted(TeeType.SNP, r -> {
            throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "extended report: host busy");
        });
        assertThatThrownBy(() -> AttestCommand.collect(failing, rd, out)).isInstanceOfSatisfying(CocoException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE));
        Attester otherTee = new Scripted(TeeType.TDX, sim::evidence);
        assertThatThrownBy(() -> AttestCommand.collect(otherTee, rd, out)).isInstanceOfSatisfying(
                CocoException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION));
        Attester stale = new Scripted(TeeType.SNP, r -> sim.evidence(ReportData.zero()));
        assertThatThrownBy(() -> AttestCommand.collect(stale, rd, out)).isInstanceOfSatisfying(CocoException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.REPORT_DATA_MISMATCH));
        assertThat(out).doesNotExist();

        EvidenceFiles.Written ok = AttestCommand.collect(new Scripted(TeeType.SNP, sim::evidence), rd, out);
        assertThat(ok.files()).hasSize(5);
        assertThat(SnpReport.parse(Files.readAllBytes(out.resolve("report.bin"))).reportData())
                .isEqualTo(rd.toByteArray());
    }

    // ---- file layouts, through the writer the command uses, read back by verify ----

    @ParameterizedTest
    @EnumSource(value = SigningKey.class, names = {"VCEK", "VLEK"})
    void simulatedSnpEvidenceIsLaidOutForVerifySnp(SigningKey key) throws Exception {
        SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().signingKey(key).build();
        ReportData rd = ReportData.ofHex(RD);
        Path out = tmp.resolve("snp-" + key);
        EvidenceFiles.Written w = EvidenceFiles.write(out, sim.evidence(rd), rd);
        String vek = key == SigningKey.VLEK ? "vlek.der" : "vcek.der";
        assertThat(w.tee()).isEqualTo(TeeType.SNP);
        assertThat(names(out)).containsExactlyInAnyOrder("report.bin", vek, "ask.pem", "ark.pem", "report-data.hex");
        assertThat(Files.readAllBytes(out.resolve(vek))).isEqualTo(sim.endorsementKeyCertificate().getEncoded());
        assertThat(Certificates.parse(Files.readAllBytes(out.resolve("ask.pem")))).isEqualTo(sim.intermediate());
        assertThat(Files.readString(out.resolve("ark.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(w.notes()).anySatisfy(n -> assertThat(n).startsWith("verify with: coco4j verify snp --report "));

        Cli.Result ok = Cli.run("verify", "snp", "--report", out.resolve("report.bin").toString(), "--vcek",
                out.resolve(vek).toString(), "--ask", out.resolve("ask.pem").toString(), "--ark",
                out.resolve("ark.pem").toString(), "--offline", "--report-data", RD, "--json");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.json().get("claims").get("signer").asText()).isEqualTo(key.name().toLowerCase());
        assertThat(ok.json().get("claims").get("report_data").asText()).isEqualTo(padded(RD));
    }

    @Test
    void realSnpReportWithItsHostCertificatesVerifiesAgainstThePinnedRoots() throws Exception {
        byte[] report = Files.readAllBytes(Path.of(Cli.vector("milan/mstav_milan_v3_report.bin")));
        byte[] vcek = Certificates.parse(Files.readAllBytes(Path.of(Cli.vector("milan/mstav_milan_v3_vcek.pem"))))
                .getEncoded();
        // ASK, ARK, ASVK in that order (PROVENANCE.md)
        var roots = Certificates.parseAll(Files.readAllBytes(Path.of(Cli.vector("roots/milan_ask_ark_asvk.pem"))));
        SnpCertTable table = new SnpCertTable(List.of(new SnpCertTable.Entry(SnpCertTable.VCEK, vcek),
                new SnpCertTable.Entry(SnpCertTable.ASK, roots.get(0).getEncoded()),
                new SnpCertTable.Entry(SnpCertTable.ARK, roots.get(1).getEncoded())));
        ReportData rd = ReportData.of(SnpReport.parse(report).reportData());
        Path out = tmp.resolve("real");
        EvidenceFiles.write(out, new Evidence(TeeType.SNP, report, table.toBytes()), rd);
        assertThat(Files.readAllBytes(out.resolve("report.bin"))).isEqualTo(report);
        assertThat(Files.readAllBytes(out.resolve("vcek.der"))).isEqualTo(vcek);

        Cli.Result ok = Cli.run("verify", "snp", "--report", out.resolve("report.bin").toString(), "--vcek",
                out.resolve("vcek.der").toString(), "--offline", "--at", Cli.VCEK_TIME, "--report-data", rd.toHex());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("OK: SEV-SNP report verified (Milan, VCEK)");
    }

    @Test
    void snpWithoutACertificateTableWritesTheReportAndSaysHowToFetchTheVcek() throws Exception {
        SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().build();
        ReportData rd = ReportData.ofHex(RD);
        Path out = tmp.resolve("no-table");
        EvidenceFiles.Written w = EvidenceFiles.write(out, Evidence.of(TeeType.SNP, sim.report(rd).toBytes()), rd);
        assertThat(names(out)).containsExactly("report-data.hex", "report.bin");
        assertThat(w.notes()).anySatisfy(n -> assertThat(n).contains("no endorsement key certificate")
                .contains("AMD KDS"));
    }

    @Test
    void evidenceForOtherReportDataOrWithABrokenTableWritesNothing() throws Exception {
        SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().build();
        Path out = tmp.resolve("refused");
        Evidence other = sim.evidence(ReportData.ofHex("ff"));
        assertThatThrownBy(() -> EvidenceFiles.write(out, other, ReportData.ofHex(RD)))
                .isInstanceOfSatisfying(CocoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.REPORT_DATA_MISMATCH));
        ReportData rd = ReportData.ofHex(RD);
        byte[] table = sim.certTable().toBytes();
        byte[] truncated = java.util.Arrays.copyOf(table, 30);
        Evidence broken = new Evidence(TeeType.SNP, sim.report(rd).toBytes(), truncated);
        assertThatThrownBy(() -> EvidenceFiles.write(out, broken, rd))
                .isInstanceOfSatisfying(CocoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE));
        byte[] garbage = sim.certTable().toBytes();
        garbage[garbage.length - sim.ark().getEncoded().length] = 0; // the ARK's DER no longer starts a SEQUENCE
        Evidence badCert = new Evidence(TeeType.SNP, sim.report(rd).toBytes(), garbage);
        assertThatThrownBy(() -> EvidenceFiles.write(out, badCert, rd))
                .isInstanceOfSatisfying(CocoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE));
        assertThat(out).doesNotExist();
    }

    @Test
    void simulatedTdxQuoteIsLaidOutForVerifyTdx() throws Exception {
        SimulatedTdxPlatform sim = SimulatedTdxPlatform.builder().build();
        ReportData rd = ReportData.ofHex(RD);
        Path collateral = tmp.resolve("collateral");
        sim.writeTo(collateral, ReportData.zero()); // the simulator's root and collateral files
        Path out = tmp.resolve("tdx");
        EvidenceFiles.Written w = EvidenceFiles.write(out, Evidence.of(TeeType.TDX, sim.quote(rd)), rd);
        assertThat(names(out)).containsExactly("quote.dat", "report-data.hex");
        assertThat(w.notes()).anySatisfy(n -> assertThat(n).startsWith("verify with: coco4j verify tdx --quote "));

        Cli.Result ok = Cli.run("verify", "tdx", "--quote", out.resolve("quote.dat").toString(), "--collateral",
                collateral.toString(), "--root", collateral.resolve("root.pem").toString(), "--offline",
                "--report-data", RD, "--json");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.json().get("claims").get("report_data").asText()).isEqualTo(padded(RD));
        assertThatThrownBy(() -> EvidenceFiles.write(tmp.resolve("tdx-other"), Evidence.of(TeeType.TDX,
                sim.quote(ReportData.zero())), rd)).isInstanceOfSatisfying(CocoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.REPORT_DATA_MISMATCH));
        assertThat(tmp.resolve("tdx-other")).doesNotExist();
    }

    @Test
    void simulatedAzureSnpVtpmEvidenceIsLaidOutForVerifyAzSnpVtpm() throws Exception {
        SimulatedSnpPlatform platform = SimulatedSnpPlatform.builder().build();
        SimulatedAzVtpm vtpm = SimulatedAzVtpm.on(platform);
        ReportData rd = ReportData.ofHex(RD);
        Path out = tmp.resolve("az");
        EvidenceFiles.Written w = EvidenceFiles.write(out, vtpm.attest(rd), rd);
        assertThat(names(out)).containsExactly("evidence.json", "report-data.hex");
        String nonce = HEX.formatHex(java.util.Arrays.copyOf(rd.toByteArray(), SimulatedAzVtpm.NONCE_LENGTH));
        assertThat(w.notes()).anySatisfy(n -> assertThat(n).startsWith("verify with: coco4j verify az-snp-vtpm ")
                .endsWith("--nonce " + nonce));
        Path ask = Files.writeString(tmp.resolve("ask.pem"), Certificates.toPem(platform.ask()));
        Path ark = Files.writeString(tmp.resolve("ark.pem"), Certificates.toPem(platform.ark()));

        Cli.Result ok = Cli.run("verify", "az-snp-vtpm", "--evidence", out.resolve("evidence.json").toString(),
                "--nonce", nonce, "--ask", ask.toString(), "--ark", ark.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
    }

    @Test
    void evidenceWithoutAFileLayoutIsRefused() {
        assertThatThrownBy(() -> EvidenceFiles.write(tmp.resolve("gpu"), Evidence.of(TeeType.NVIDIA_GPU,
                new byte[8]), ReportData.zero())).isInstanceOfSatisfying(CocoException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION));
        assertThat(tmp.resolve("gpu")).doesNotExist();
    }
}
