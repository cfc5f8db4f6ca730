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

/** {@code verify tdx} against the real vectors of sdk-tdx (PROVENANCE.md there) and the simulator. */
class VerifyTdxCommandTest {
    static final Path TDX = Path.of("../../sdk-tdx/src/test/resources/vectors/tdx");
    static final String A_QUOTE = tdx("phala-dcap-qvl/quote_v4_fmspcb0c06f000000_uptodate.dat");
    static final String A_BUNDLE = tdx("phala-dcap-qvl/collateral_fmspcb0c06f000000_2025-06-19.json");
    static final Path A_EXTRACTED = TDX.resolve("phala-dcap-qvl/extracted_fmspcb0c06f000000_2025-06-19");
    static final String A_TIME = "2025-06-20T00:00:00Z";
    static final String A_MRTD =
            "91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942a604a407de03ae6dc5f87f27428b2538873118b7";
    static final String B_QUOTE = tdx("phala-dcap-qvl/quote_v5_tdx15_fmspc90c06f000000_no_matching_tcb.dat");
    static final String B_BUNDLE = tdx("phala-dcap-qvl/collateral_fmspc90c06f000000_2026-02-18.json");
    static final String B_TIME = "2026-02-19T00:00:00Z";

    static String tdx(String relative) {
        return TDX.resolve(relative).toString();
    }

    static Cli.Result verify(String quote, String collateral, String at, String... more) {
        List<String> a = new ArrayList<>(List.of("verify", "tdx", "--quote", quote, "--collateral", collateral,
                "--offline", "--at", at));
        a.addAll(List.of(more));
        return Cli.run(a.toArray(String[]::new));
    }

    static void assertRefused(Cli.Result r, int code, String reason) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.firstErrLine()).startsWith(reason + ": ");
        assertThat(r.hasStackTrace()).isFalse();
    }

    @Test
    void setAIsAcceptedUpToDate() {
        Cli.Result r = verify(A_QUOTE, A_BUNDLE, A_TIME);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst()).contains("OK: TDX quote verified (v4, TCB UpToDate)");
        assertThat(r.out()).contains("mr_td").contains(A_MRTD).contains("fmspc").contains("b0c06f000000");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void setAJsonHasTheContractShapeAndClaims() {
        Cli.Result r = verify(A_QUOTE, A_BUNDLE, A_TIME, "--json", "--mrtd", A_MRTD);
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("accepted").asBoolean()).isTrue();
        assertThat(j.get("tee").asText()).isEqualTo("tdx");
        assertThat(j.get("warnings")).isEmpty();
        JsonNode c = j.get("claims");
        assertThat(c.get("mr_td").asText()).isEqualTo(A_MRTD);
        assertThat(c.get("fmspc").asText()).isEqualTo("b0c06f000000");
        assertThat(c.get("tcb_status").asText()).isEqualTo("UpToDate");
        assertThat(c.get("advisory_ids")).isEmpty();
        assertThat(c.get("report_data").asText()).startsWith("9a9d48e7");
    }

    @Test
    void setAFromTheDirectoryForm(@TempDir Path dir) throws IOException {
        Files.copy(A_EXTRACTED.resolve("tcbinfo_pcs_body.json"), dir.resolve("tcb_info.json"));
        Files.copy(A_EXTRACTED.resolve("qeidentity_pcs_body.json"), dir.resolve("qe_identity.json"));
        Files.copy(A_EXTRACTED.resolve("tcb_signing_chain.pem"), dir.resolve("tcb_info_issuer_chain.pem"));
        Files.copy(A_EXTRACTED.resolve("tcb_signing_chain.pem"), dir.resolve("qe_identity_issuer_chain.pem"));
        Files.copy(A_EXTRACTED.resolve("pckcrl_platform.der"), dir.resolve("pck_crl.der"));
        Files.copy(A_EXTRACTED.resolve("pckcrl_issuer_chain.pem"), dir.resolve("pck_crl_issuer_chain.pem"));
        Files.copy(A_EXTRACTED.resolve("rootcacrl.der"), dir.resolve("root_ca_crl.der"));
        Cli.Result r = verify(A_QUOTE, dir.toString(), A_TIME);
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void setBHasNoMatchingTcbLevel() {
        Cli.Result r = verify(B_QUOTE, B_BUNDLE, B_TIME, "--json");
        assertRefused(r, 1, "TCB_NOT_SUPPORTED");
        assertThat(r.json().get("accepted").asBoolean()).isFalse();
        assertThat(r.json().get("reason").asText()).isEqualTo("TCB_NOT_SUPPORTED");
    }

    @Test
    void outsideTheCollateralWindowIsExpired() {
        assertRefused(verify(A_QUOTE, A_BUNDLE, "2025-08-01T00:00:00Z"), 1, "COLLATERAL_EXPIRED");
    }

    @Test
    void wrongReportDataOrMrtdIsRefused() {
        assertRefused(verify(A_QUOTE, A_BUNDLE, A_TIME, "--report-data", "00"), 1, "REPORT_DATA_MISMATCH");
        assertRefused(verify(A_QUOTE, A_BUNDLE, A_TIME, "--mrtd", "00".repeat(48)), 1, "MEASUREMENT_MISMATCH");
    }

    @Test
    void acceptTcbCanNarrowAndNeverAcceptsRevoked() {
        assertRefused(verify(A_QUOTE, A_BUNDLE, A_TIME, "--accept-tcb", "OutOfDate"), 1, "TCB_STATUS_REJECTED");
        assertRefused(verify(A_QUOTE, A_BUNDLE, A_TIME, "--accept-tcb", "UpToDate,Revoked"), 2, "CONFIGURATION");
        assertRefused(verify(A_QUOTE, A_BUNDLE, A_TIME, "--accept-tcb", "Great"), 2, "CONFIGURATION");
        assertThat(verify(A_QUOTE, A_BUNDLE, A_TIME, "--accept-tcb", "UpToDate").code()).isZero();
    }

    @Test
    void garbageIsMalformed(@TempDir Path dir) throws IOException {
        Path junk = dir.resolve("junk.dat");
        byte[] b = Files.readAllBytes(Path.of(A_QUOTE));
        Files.write(junk, java.util.Arrays.copyOf(b, 700));
        assertRefused(verify(junk.toString(), A_BUNDLE, A_TIME), 2, "MALFORMED_EVIDENCE");
    }

    @Test
    void offlineWithoutCollateralIsUnavailable() {
        Cli.Result r = Cli.run("verify", "tdx", "--quote", A_QUOTE, "--offline", "--at", A_TIME);
        assertRefused(r, 3, "COLLATERAL_UNAVAILABLE");
    }

    @Test
    void missingQuoteFileIsAUsageError() {
        assertRefused(verify(tdx("nope.dat"), A_BUNDLE, A_TIME), 2, "CONFIGURATION");
    }

    @Test
    void simulatedQuoteVerifiesOnlyWithItsRoot(@TempDir Path dir) {
        String rd = "11".repeat(64);
        assertThat(Cli.run("sim", "tdx", "--report-data", rd, "--out", dir.toString()).code()).isZero();
        String quote = dir.resolve("quote.dat").toString();
        Cli.Result ok = Cli.run("verify", "tdx", "--quote", quote, "--collateral", dir.toString(), "--root",
                dir.resolve("root.pem").toString(), "--offline", "--report-data", rd, "--json");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.json().get("claims").get("report_data").asText()).isEqualTo(rd);
        Cli.Result refused = Cli.run("verify", "tdx", "--quote", quote, "--collateral", dir.toString(), "--offline");
        assertRefused(refused, 1, "CHAIN_INVALID");
    }
}
