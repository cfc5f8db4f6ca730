package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.crypto.Certificates;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifySnpCommandTest {
    static final String MILAN_V3 = Cli.vector("milan/mstav_milan_v3_report.bin");
    static final String MILAN_V3_VCEK = Cli.vector("milan/mstav_milan_v3_vcek.pem");
    static final String DEBUG_V2 = Cli.vector("milan/gsg_milan_v2_report.bin");
    static final String DEBUG_V2_VCEK = Cli.vector("milan/gsg_milan_v2_vcek.der");
    static final String VLEK_REPORT = Cli.vector("milan/trustee_milan_v3_vlek_report.bin");
    static final String VLEK = Cli.vector("milan/trustee_milan_vlek.der");

    static Cli.Result verify(String report, String vek, String... more) {
        List<String> a = new ArrayList<>(List.of("verify", "snp", "--report", report, "--vcek", vek, "--offline",
                "--at", Cli.VCEK_TIME));
        a.addAll(List.of(more));
        return Cli.run(a.toArray(String[]::new));
    }

    static void assertRefused(Cli.Result r, int code, String reason) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.firstErrLine()).startsWith(reason + ": ");
        assertThat(r.hasStackTrace()).isFalse();
    }

    @Test
    void genuineReportIsAcceptedWithKeyClaimsAndTheRevocationWarning() {
        Cli.Result r = verify(MILAN_V3, MILAN_V3_VCEK);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst()).contains("OK: SEV-SNP report verified (Milan, VCEK)");
        assertThat(r.out()).contains("measurement       5feee30d6d7e1a29")
                .contains("tcb               db18000000000004 (bootloader=4 tee=0 snp=24 microcode=219)")
                .contains("chip_id           4ffb5cb4")
                .contains("warning: revocation not checked");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void jsonHasExactlyTheContractShape() {
        Cli.Result r = verify(MILAN_V3, MILAN_V3_VCEK, "--json");
        assertThat(r.code()).isZero();
        JsonNode j = r.json();
        List<String> keys = new ArrayList<>();
        j.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("accepted", "tee", "warnings", "claims");
        assertThat(j.get("accepted").asBoolean()).isTrue();
        assertThat(j.get("tee").asText()).isEqualTo("snp");
        assertThat(j.get("warnings").get(0).asText()).startsWith("revocation not checked");
        JsonNode c = j.get("claims");
        assertThat(c.get("product").asText()).isEqualTo("Milan");
        assertThat(c.get("signer").asText()).isEqualTo("vcek");
        assertThat(c.get("tcb").asText()).isEqualTo("db18000000000004");
        assertThat(c.get("chip_id").asText()).startsWith("4ffb5cb4");
        assertThat(c.get("measurement").asText()).startsWith("5feee30d6d7e1a29");
        assertThat(c.get("report_data").asText()).hasSize(128);
        assertThat(c.get("debug").asBoolean()).isFalse();
        assertThat(c.get("reported_tcb").get("microcode").asInt()).isEqualTo(219);
    }

    @Test
    void everyVectorKindVerifies() {
        // v2 hex text, a PEM chain VEK,ASK,ARK as --vcek, Genoa v5 and Turin v5.
        assertThat(verify(Cli.vector("milan/virtee_milan_v2_report.hex"), Cli.vector("milan/virtee_milan_v2_vcek.der"))
                .code()).isZero();
        assertThat(verify(Cli.vector("milan/azure_milan_v2_report.bin"),
                Cli.vector("milan/azure_milan_v2_vcek_chain.pem")).code()).isZero();
        assertThat(verify(Cli.vector("genoa/oak_genoa_v5_report.bin"), Cli.vector("genoa/oak_genoa_v5_vcek.der"))
                .code()).isZero();
        Cli.Result turin = verify(Cli.vector("turin/oak_turin_v5_report.bin"), Cli.vector("turin/oak_turin_v5_vcek.der"));
        assertThat(turin.code()).isZero();
        assertThat(turin.out()).contains("(Turin, VCEK)", "fmc=0");
    }

    @Test
    void debugGuestIsRefusedUnlessAllowed() {
        Cli.Result refused = verify(DEBUG_V2, DEBUG_V2_VCEK);
        assertRefused(refused, 1, "POLICY_VIOLATION");
        assertThat(refused.out()).isEmpty();
        Cli.Result allowed = verify(DEBUG_V2, DEBUG_V2_VCEK, "--allow-debug");
        assertThat(allowed.code()).as(allowed.err()).isZero();
        assertThat(allowed.out()).contains("debug             true");
    }

    @Test
    void refusalWithJsonPrintsTheObjectAndTheStderrLine() {
        Cli.Result r = verify(DEBUG_V2, DEBUG_V2_VCEK, "--json");
        assertRefused(r, 1, "POLICY_VIOLATION");
        JsonNode j = r.json();
        assertThat(j.get("accepted").asBoolean()).isFalse();
        assertThat(j.get("tee").asText()).isEqualTo("snp");
        assertThat(j.get("reason").asText()).isEqualTo("POLICY_VIOLATION");
        assertThat(j.get("detail").asText()).contains("debug");
        assertThat(j.get("warnings").isArray()).isTrue();
        assertThat(j.get("claims").isObject()).isTrue();
    }

    @Test
    void everyFailedPolicyCheckIsListedAfterTheFirst() {
        Cli.Result r = verify(DEBUG_V2, DEBUG_V2_VCEK, "--vmpl", "1", "--host-data", "11".repeat(32));
        assertRefused(r, 1, "POLICY_VIOLATION");
        assertThat(r.err().lines().toList()).hasSize(3).allMatch(l -> l.startsWith("POLICY_VIOLATION: "));
    }

    @Test
    void wrongVcekIsRefused() {
        assertRefused(verify(MILAN_V3, Cli.vector("milan/azure_milan_v3_vcek.pem")), 1, "CHIP_ID_MISMATCH");
    }

    @Test
    void aCertificateNotSignedByAmdFailsTheChain() {
        Cli.Result r = verify(Cli.vector("milan/trustee_milan_v2_report.bin"),
                Cli.vector("negative/trustee_fake_vcek_hwid_raw64.der"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.firstErrLine()).matches("(CHAIN_INVALID|CHIP_ID_MISMATCH): .*");
    }

    @Test
    void withoutVcekOfflineIsCollateralUnavailable() {
        assertRefused(Cli.run("verify", "snp", "--report", MILAN_V3, "--offline"), 3, "COLLATERAL_UNAVAILABLE");
        Cli.Result json = Cli.run("verify", "snp", "--report", MILAN_V3, "--offline", "--json");
        assertThat(json.json().get("reason").asText()).isEqualTo("COLLATERAL_UNAVAILABLE");
    }

    @Test
    void truncatedOrGarbageReportIsMalformedWithoutStackTrace(@TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(Path.of(MILAN_V3));
        Path cut = Files.write(dir.resolve("cut.bin"), java.util.Arrays.copyOf(whole, 600));
        assertRefused(verify(cut.toString(), MILAN_V3_VCEK), 2, "MALFORMED_EVIDENCE");
        Path garbage = Files.writeString(dir.resolve("garbage.txt"), "this is not a report\n");
        assertRefused(verify(garbage.toString(), MILAN_V3_VCEK), 2, "MALFORMED_EVIDENCE");
        Path notCert = Files.writeString(dir.resolve("vcek.pem"), "not a certificate");
        assertRefused(verify(MILAN_V3, notCert.toString()), 2, "MALFORMED_EVIDENCE");
    }

    @Test
    void unparseableCrlIsAnInputError(@TempDir Path dir) throws IOException {
        Path crl = Files.writeString(dir.resolve("crl.pem"), "not a crl");
        Cli.Result r = verify(MILAN_V3, MILAN_V3_VCEK, "--crl", crl.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.firstErrLine()).matches("(MALFORMED_EVIDENCE|CONFIGURATION): .*");
        assertThat(r.hasStackTrace()).isFalse();
    }

    @Test
    void tamperedReportHasAnInvalidSignature(@TempDir Path dir) throws IOException {
        byte[] report = Files.readAllBytes(Path.of(MILAN_V3));
        report[100] ^= 1;
        Path p = Files.write(dir.resolve("tampered.bin"), report);
        assertRefused(verify(p.toString(), MILAN_V3_VCEK), 1, "SIGNATURE_INVALID");
    }

    @Test
    void usageErrorsAreConfiguration() {
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--no-such-flag"), 2, "CONFIGURATION");
        assertRefused(Cli.run("verify", "snp", "--vcek", MILAN_V3_VCEK), 2, "CONFIGURATION");
        assertRefused(verify("no/such/report.bin", MILAN_V3_VCEK), 2, "CONFIGURATION");
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--at", "yesterday"), 2, "CONFIGURATION");
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--measurement", "xyz"), 2, "CONFIGURATION");
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--measurement", "00"), 2, "CONFIGURATION");
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--min-tcb", "db18"), 2, "CONFIGURATION");
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--vmpl", "7"), 2, "CONFIGURATION");
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--vmpl", "zero"), 2, "CONFIGURATION");
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--product", "genoa"), 2, "CONFIGURATION");
    }

    @Test
    void measurementMismatch() {
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--measurement", "00".repeat(48)), 1, "MEASUREMENT_MISMATCH");
        assertThat(verify(MILAN_V3, MILAN_V3_VCEK, "--measurement", "5feee30d6d7e1a29f403d70a4198237ddfb13051a2d6976439"
                + "487c609388ed7f98189887920ab2fa0096903a0c23fca1").code()).isZero();
    }

    @Test
    void reportDataMismatchAndMatch() {
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--report-data", "01"), 1, "REPORT_DATA_MISMATCH");
        assertThat(verify(DEBUG_V2, DEBUG_V2_VCEK, "--allow-debug", "--report-data", "0102030405").code()).isZero();
    }

    @Test
    void hostDataMismatchIsAPolicyViolation() {
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--host-data", "00".repeat(32)), 1, "POLICY_VIOLATION");
    }

    @Test
    void minimumTcb() {
        assertThat(verify(MILAN_V3, MILAN_V3_VCEK, "--min-tcb", "db18000000000004").code()).isZero();
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--min-tcb", "db19000000000004"), 1, "POLICY_VIOLATION");
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--min-tcb", "dc18000000000004"), 1, "POLICY_VIOLATION");
    }

    @Test
    void vlekVerifiesAtItsTimeButNotAtVmpl0NorAfterExpiry() {
        Cli.Result ok = Cli.run("verify", "snp", "--report", VLEK_REPORT, "--vcek", VLEK, "--at", Cli.VLEK_TIME,
                "--offline", "--json");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.json().get("claims").get("signer").asText()).isEqualTo("vlek");
        assertThat(ok.json().get("claims").get("csp_id").asText()).isEqualTo("CN=cc-us-east-2.amazonaws.com");
        assertRefused(Cli.run("verify", "snp", "--report", VLEK_REPORT, "--vcek", VLEK, "--at", Cli.VLEK_TIME,
                "--offline", "--vmpl", "0"), 1, "POLICY_VIOLATION");
        assertRefused(Cli.run("verify", "snp", "--report", VLEK_REPORT, "--vcek", VLEK, "--at",
                "2026-12-04T00:00:00Z", "--offline"), 1, "CERT_EXPIRED");
    }

    @Test
    void askAndArkReplaceThePinnedRoots(@TempDir Path dir) throws IOException {
        // roots/*_ask_ark_asvk.pem hold ASK, ARK, ASVK in that order.
        List<X509Certificate> milan = Certificates.parseAll(Files.readAllBytes(
                Path.of(Cli.vector("roots/milan_ask_ark_asvk.pem"))));
        List<X509Certificate> genoa = Certificates.parseAll(Files.readAllBytes(
                Path.of(Cli.vector("roots/genoa_ask_ark_asvk.pem"))));
        String milanAsk = pem(dir, "milan_ask.pem", milan.get(0));
        String milanArk = pem(dir, "milan_ark.pem", milan.get(1));
        String milanAsvk = pem(dir, "milan_asvk.pem", milan.get(2));
        String genoaAsk = pem(dir, "genoa_ask.pem", genoa.get(0));
        String genoaArk = pem(dir, "genoa_ark.pem", genoa.get(1));

        assertThat(verify(MILAN_V3, MILAN_V3_VCEK, "--ask", milanAsk, "--ark", milanArk).code()).isZero();
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--ask", genoaAsk, "--ark", genoaArk), 1, "CHAIN_INVALID");
        assertRefused(verify(MILAN_V3, MILAN_V3_VCEK, "--ark", genoaArk), 1, "CHAIN_INVALID");
        // A v2 report: the product for the roots comes from the VCEK's productName.
        assertThat(verify(DEBUG_V2, DEBUG_V2_VCEK, "--allow-debug", "--ask", milanAsk, "--ark", milanArk).code())
                .isZero();
        // A VLEK: --ask names the ASVK.
        Cli.Result vlek = Cli.run("verify", "snp", "--report", VLEK_REPORT, "--vcek", VLEK, "--at", Cli.VLEK_TIME,
                "--offline", "--ask", milanAsvk, "--ark", milanArk);
        assertThat(vlek.code()).as(vlek.err()).isZero();
        assertRefused(Cli.run("verify", "snp", "--report", VLEK_REPORT, "--vcek", VLEK, "--at", Cli.VLEK_TIME,
                "--offline", "--ask", milanAsk, "--ark", milanArk), 1, "CHAIN_INVALID");
    }

    private static String pem(Path dir, String name, X509Certificate cert) throws IOException {
        return Files.writeString(dir.resolve(name), Certificates.toPem(cert)).toString();
    }
}
