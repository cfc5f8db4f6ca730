package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify|show az-snp-vtpm|az-tdx-vtpm} against the Trustee fixtures copied into sdk-azure (PROVENANCE.md). */
class AzVtpmCommandsTest {
    static final Path VECTORS = Path.of("../../sdk-azure/src/test/resources/vectors/kbs");
    static final String SNP = VECTORS.resolve("az-snp-vtpm-evidence-v1.json").toString();
    static final String TDX = VECTORS.resolve("az-tdx-vtpm-evidence-v1.json").toString();
    static final String CHALLENGE = "6368616c6c656e6765";
    static final String AT = "2026-06-01T00:00:00Z";

    static void assertRefused(Cli.Result r, int code, String reason) {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.firstErrLine()).startsWith(reason + ": ");
        assertThat(r.hasStackTrace()).isFalse();
    }

    @Test
    void snpFixtureIsAccepted() {
        Cli.Result r = Cli.run("verify", "az-snp-vtpm", "--evidence", SNP, "--nonce", CHALLENGE, "--at", AT);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out().lines().findFirst().orElse("")).startsWith("OK: Azure SEV-SNP vTPM evidence verified");
        assertThat(r.out()).contains("pcr sha256:23").contains("snp.report_data").doesNotContain("nonce not checked");
    }

    @Test
    void snpFixtureAsJsonAndWithoutANonceWarns() {
        Cli.Result r = Cli.run("verify", "az-snp-vtpm", "--evidence", SNP, "--at", AT, "--json");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.json().get("accepted").asBoolean()).isTrue();
        assertThat(r.json().get("tee").asText()).isEqualTo("az-snp-vtpm");
        assertThat(r.json().at("/claims/nonce").asText()).isEqualTo(CHALLENGE);
        assertThat(r.json().at("/claims/pcrs").size()).isEqualTo(24);
        assertThat(r.json().get("warnings").toString()).contains("nonce not checked");
    }

    @Test
    void wrongNonceIsRefused() {
        Cli.Result r = Cli.run("verify", "az-snp-vtpm", "--evidence", SNP, "--nonce", "00", "--at", AT, "--json");
        assertRefused(r, 1, "NONCE_MISMATCH");
        assertThat(r.json().get("accepted").asBoolean()).isFalse();
    }

    @Test
    void alteredPcrIsRefusedWithPcrDigestMismatch(@TempDir Path dir) throws Exception {
        ObjectMapper m = new ObjectMapper();
        ObjectNode ev = (ObjectNode) m.readTree(Files.readAllBytes(Path.of(SNP)));
        ArrayNode pcrs = (ArrayNode) ev.get("tpm_quote").get("pcrs");
        pcrs.set(0, pcrs.get(1));
        Path f = dir.resolve("ev.json");
        Files.write(f, m.writeValueAsBytes(ev));
        assertRefused(Cli.run("verify", "az-snp-vtpm", "--evidence", f.toString(), "--nonce", CHALLENGE, "--at", AT),
                1, "PCR_DIGEST_MISMATCH");
    }

    @Test
    void tdxFixtureWithoutCollateralExitsThree() {
        assertRefused(Cli.run("verify", "az-tdx-vtpm", "--evidence", TDX, "--nonce", CHALLENGE, "--at", AT), 3,
                "COLLATERAL_UNAVAILABLE");
        assertRefused(Cli.run("verify", "az-tdx-vtpm", "--evidence", TDX, "--nonce", "01", "--at", AT), 1,
                "NONCE_MISMATCH");
    }

    @Test
    void showPrintsTheVtpmAndHardwareFields() {
        Cli.Result r = Cli.run("show", "az-snp-vtpm", "--evidence", SNP);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("not verified").contains("quote_nonce").contains(CHALLENGE)
                .contains("snp_report:").contains("hcl_report_type");
        Cli.Result j = Cli.run("show", "az-tdx-vtpm", "--evidence", TDX, "--json");
        assertThat(j.code()).as(j.err()).isZero();
        assertThat(j.json().get("hcl_report_type").asText()).isEqualTo("tdx");
        assertThat(j.json().get("td_quote").isObject()).isTrue();
    }

    @Test
    void malformedOrMismatchedEvidenceExitsTwo() {
        assertRefused(Cli.run("show", "az-snp-vtpm", "--evidence", TDX), 2, "MALFORMED_EVIDENCE");
        assertRefused(Cli.run("verify", "az-tdx-vtpm", "--evidence", SNP), 2, "MALFORMED_EVIDENCE");
    }
}
