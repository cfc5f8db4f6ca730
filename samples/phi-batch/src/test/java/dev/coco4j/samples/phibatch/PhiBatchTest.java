package dev.coco4j.samples.phibatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.envelope.LocalKeyEncryptionKey;
import dev.coco4j.core.phi.PhiFieldEncryptor;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the batch over generated (fake) FHIR Patients, with and without a terminal. */
class PhiBatchTest {
    final byte[] key = new byte[32];

    PhiBatchTest() {
        new SecureRandom().nextBytes(key);
    }

    static void patients(Path dir, int n) throws Exception {
        Files.createDirectories(dir);
        for (int i = 1; i <= n; i++) {
            Files.writeString(dir.resolve("patient-" + i + ".json"), "{\"resourceType\":\"Patient\",\"id\":\"p" + i
                    + "\",\"name\":[{\"family\":\"Fakename" + i + "\",\"given\":[\"Test\"]}],\"gender\":\"female\","
                    + "\"birthDate\":\"1970-01-0" + i + "\",\"identifier\":[{\"system\":\"urn:mrn\",\"value\":\"MRN-"
                    + i + "\"}]}");
        }
        Files.writeString(dir.resolve("README.txt"), "not a resource; skipped");
    }

    @Test
    void encryptsEveryResourceAndDecryptsBackToTheOriginal(@TempDir Path tmp) throws Exception {
        patients(tmp.resolve("in"), 3);
        int n = PhiBatch.run(tmp.resolve("in"), tmp.resolve("out"), key.clone(), PhiBatch.DEFAULT_FIELDS,
                PhiBatch.Progress.NONE);
        assertThat(n).isEqualTo(3);
        try (var s = Files.list(tmp.resolve("out"))) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly("patient-1.json", "patient-2.json", "patient-3.json");
        }
        PhiFieldEncryptor dec = PhiFieldEncryptor.builder().kek(LocalKeyEncryptionKey.of("phi-batch", key))
                .fields(PhiBatch.DEFAULT_FIELDS).build();
        for (int i = 1; i <= 3; i++) {
            String enc = Files.readString(tmp.resolve("out/patient-" + i + ".json"));
            assertThat(enc).doesNotContain("Fakename" + i).doesNotContain("MRN-" + i).doesNotContain("1970-01-0" + i)
                    .contains("\"id\":\"p" + i + "\"").contains("\"gender\":\"female\"");
            JsonNode original = PhiFieldEncryptor.read(Files.readString(tmp.resolve("in/patient-" + i + ".json")));
            assertThat(PhiFieldEncryptor.read(dec.decrypt(enc))).isEqualTo(original);
        }
    }

    @Test
    void progressGoesToATerminalOnlyAndNeverToStdout(@TempDir Path tmp) throws Exception {
        patients(tmp.resolve("in"), 2);
        ByteArrayOutputStream terminal = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(terminal, true, StandardCharsets.UTF_8);
        PhiBatch.run(tmp.resolve("in"), tmp.resolve("out"), key.clone(), PhiBatch.DEFAULT_FIELDS,
                PhiBatch.Progress.forTerminal(true, ps));
        assertThat(terminal.toString(StandardCharsets.UTF_8)).contains("\r[1/2] patient-1.json")
                .contains("\r[2/2] patient-2.json").endsWith(System.lineSeparator());

        ByteArrayOutputStream pipe = new ByteArrayOutputStream();
        PhiBatch.run(tmp.resolve("in"), tmp.resolve("out2"), key.clone(), PhiBatch.DEFAULT_FIELDS,
                PhiBatch.Progress.forTerminal(false, new PrintStream(pipe, true, StandardCharsets.UTF_8)));
        assertThat(pipe.size()).isZero();
    }

    @Test
    void aFileThatIsNotJsonStopsTheBatchWithATypedError(@TempDir Path tmp) throws Exception {
        patients(tmp.resolve("in"), 1);
        Files.writeString(tmp.resolve("in/zz-broken.json"), "{not json");
        CocoException e = catchThrowableOfType(CocoException.class, () -> PhiBatch.run(tmp.resolve("in"),
                tmp.resolve("out"), key.clone(), PhiBatch.DEFAULT_FIELDS, PhiBatch.Progress.NONE));
        assertThat(e).isNotNull();
        assertThat(tmp.resolve("out/patient-1.json")).exists();
        assertThat(tmp.resolve("out/zz-broken.json")).doesNotExist();
        assertThat(catchThrowableOfType(CocoException.class, () -> PhiBatch.readKey(tmp.resolve("in/patient-1.json")))
                .reason().name()).isEqualTo("CONFIGURATION");
    }
}
