package dev.coco4j.cli;

import dev.coco4j.core.envelope.KeyEncryptionKey;
import dev.coco4j.core.phi.BlindIndexKey;
import dev.coco4j.core.phi.PhiFieldEncryptor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code coco4j phi encrypt|decrypt}: field-level encryption of a FHIR resource or Bundle. */
@Command(name = "phi", mixinStandardHelpOptions = true,
        description = "Encrypt or decrypt chosen fields of a FHIR resource or Bundle (JSON); other fields stay readable.",
        subcommands = {PhiCommand.Encrypt.class, PhiCommand.Decrypt.class})
final class PhiCommand extends CommandGroup {
    /** Fields encrypted when --fields is not given. */
    static final List<String> DEFAULT_FIELDS = List.of("Patient.name", "Patient.telecom", "Patient.address",
            "Patient.birthDate", "Patient.identifier.value", "Patient.photo", "Patient.contact",
            "Observation.valueQuantity", "Observation.valueString", "Observation.note");

    /** Options shared by both directions. */
    static class Common {
        @Spec
        CommandSpec spec;

        @Option(names = "--in", required = true, paramLabel = "FILE", description = "FHIR JSON input.")
        Path in;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "FHIR JSON output.")
        Path out;

        @ArgGroup(exclusive = false, multiplicity = "1", heading = "Key (one of --key-file or --kbs-url):%n")
        KeyOptions key = new KeyOptions();

        String input() {
            return new String(InputFiles.read("--in", in), StandardCharsets.UTF_8);
        }

        void output(String json) {
            OutputFiles.atomically(out, o -> o.write(json.getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** {@code phi encrypt}. */
    @Command(name = "encrypt", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Encrypt the chosen fields (one data key per resource or Bundle).")
    static final class Encrypt implements Callable<Integer> {
        @Mixin
        Common c;

        @Option(names = "--fields", split = ",", paramLabel = "SELECTOR",
                description = "Fields to encrypt: ResourceType.path or /json/pointer (default: common Patient and "
                        + "Observation PHI fields).")
        List<String> fields;

        @Option(names = "--blind-index", split = ",", paramLabel = "SELECTOR",
                description = "Also attach a searchable blind-index token (HMAC) to these fields. Reveals equality "
                        + "and frequency of values: only for high-entropy identifiers.")
        List<String> blindIndex = List.of();

        @Override
        public Integer call() {
            KeyEncryptionKey kek = c.key.kek();
            PhiFieldEncryptor.Builder b = PhiFieldEncryptor.builder().kek(kek)
                    .fields(fields == null ? DEFAULT_FIELDS : fields);
            if (!blindIndex.isEmpty()) {
                byte[] root = c.key.keyFileBytes();
                try {
                    b.blindIndex(BlindIndexKey.derivedFrom(root), 16, blindIndex);
                } finally {
                    Arrays.fill(root, (byte) 0);
                }
            }
            try (Progress progress = Progress.start(c.spec.commandLine().getErr(), "phi encrypt", -1)) {
                progress.stage("reading " + c.in.getFileName());
                String json = c.input();
                progress.stage("encrypting " + json.length() + " characters of JSON");
                c.output(b.build().encrypt(json));
                progress.finish();
            }
            c.spec.commandLine().getOut().println("encrypted fields of " + c.in + " -> " + c.out);
            return 0;
        }
    }

    /** {@code phi decrypt}. */
    @Command(name = "decrypt", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Decrypt every encrypted field; --out appears only if all of them are authentic.")
    static final class Decrypt implements Callable<Integer> {
        @Mixin
        Common c;

        @Override
        public Integer call() {
            PhiFieldEncryptor phi = PhiFieldEncryptor.builder().kek(c.key.kek()).build();
            try (Progress progress = Progress.start(c.spec.commandLine().getErr(), "phi decrypt", -1)) {
                progress.stage("reading " + c.in.getFileName());
                String json = c.input();
                progress.stage("decrypting " + json.length() + " characters of JSON");
                c.output(phi.decrypt(json));
                progress.finish();
            }
            c.spec.commandLine().getOut().println("decrypted fields of " + c.in + " -> " + c.out);
            return 0;
        }
    }
}
