package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PhiCommandTest {
    /** Synthetic, fake patient (no real PHI). */
    static final String PATIENT = """
        {"resourceType":"Patient","id":"pat-42",
         "identifier":[{"system":"urn:oid:2.999.1.1","value":"MRN-00004242"}],
         "name":[{"family":"Testerson","given":["Avery"]}],
         "birthDate":"1970-01-02","gender":"female"}
        """;

    @TempDir
    Path dir;

    @Test
    void encryptDecryptRoundTripWithBlindIndex() throws IOException {
        Path key = dir.resolve("k");
        Files.write(key, new byte[32]);
        Path in = dir.resolve("patient.json");
        Files.writeString(in, PATIENT);
        Path enc = dir.resolve("patient.enc.json");
        Cli.Result r = Cli.run("phi", "encrypt", "--in", in.toString(), "--out", enc.toString(), "--key-file",
                key.toString(), "--fields", "Patient.name,Patient.birthDate", "--blind-index",
                "Patient.identifier.value");
        assertThat(r.code()).as(r.err()).isZero();
        String text = Files.readString(enc);
        assertThat(text).doesNotContain("Testerson", "1970-01-02", "MRN-00004242").contains("pat-42", "female",
                "c4jBi");

        Path dec = dir.resolve("patient.dec.json");
        Cli.Result d = Cli.run("phi", "decrypt", "--in", enc.toString(), "--out", dec.toString(), "--key-file",
                key.toString());
        assertThat(d.code()).as(d.err()).isZero();
        ObjectMapper m = new ObjectMapper();
        assertThat(m.readTree(Files.readString(dec))).isEqualTo(m.readTree(PATIENT));

        // tampering: id changed -> refused, no output
        Files.writeString(enc, text.replace("pat-42", "pat-43"));
        Path out2 = dir.resolve("o.json");
        Cli.Result bad = Cli.run("phi", "decrypt", "--in", enc.toString(), "--out", out2.toString(), "--key-file",
                key.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.firstErrLine()).isEqualTo("CIPHERTEXT_INVALID: ciphertext is not authentic");
        assertThat(out2).doesNotExist();
    }

    @Test
    void defaultFieldsAndUsageErrors() throws IOException {
        Path key = dir.resolve("k");
        Files.write(key, new byte[32]);
        Path in = dir.resolve("patient.json");
        Files.writeString(in, PATIENT);
        Path enc = dir.resolve("e.json");
        assertThat(Cli.run("phi", "encrypt", "--in", in.toString(), "--out", enc.toString(), "--key-file",
                key.toString()).code()).isZero();
        JsonNode e = new ObjectMapper().readTree(Files.readString(enc));
        assertThat(e.get("name").has("c4jEnc")).isTrue();
        assertThat(e.at("/identifier/0/value").has("c4jEnc")).isTrue();

        Cli.Result badSel = Cli.run("phi", "encrypt", "--in", in.toString(), "--out", dir.resolve("x").toString(),
                "--key-file", key.toString(), "--fields", "not a selector");
        assertThat(badSel.code()).isEqualTo(2);
        Path notJson = dir.resolve("n.json");
        Files.writeString(notJson, "{oops");
        assertThat(Cli.run("phi", "encrypt", "--in", notJson.toString(), "--out", dir.resolve("x").toString(),
                "--key-file", key.toString()).code()).isEqualTo(2);
        assertThat(dir.resolve("x")).doesNotExist();
    }
}
