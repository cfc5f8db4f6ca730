package dev.coco4j.samples.phibatch;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.envelope.LocalKeyEncryptionKey;
import dev.coco4j.core.phi.PhiFieldEncryptor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Field-level encryption of a directory of FHIR resources: every {@code *.json} file in the input directory is
 * written to the output directory with the chosen PHI fields encrypted (names, birth dates, identifiers, contact
 * details, addresses by default) and everything else — resource types, ids, codes, references — left readable.
 *
 * <pre>
 * phi-batch --in fhir/ --out fhir-encrypted/ --key-file kek.hex [--fields Patient.name,Patient.birthDate]
 * </pre>
 *
 * Progress ({@code [n/N] file}) goes to stderr only when a terminal is attached
 * ({@code System.console().isTerminal()}),
 * so the program stays quiet in pipes, cron jobs and CI logs. A file that is not a FHIR JSON document stops the batch
 * with {@code <REASON>: detail} on stderr; files already written stay, each complete (written then renamed).
 *
 * <p>The key here is a local 256-bit key file, to keep the sample self-contained; in a confidential workload, use a
 * {@code dev.coco4j.kbs.envelope.KbsKeyEncryptionKey} instead (see the confidential-inference sample).
 */
public final class PhiBatch {
    /** The fields encrypted unless {@code --fields} says otherwise. */
    public static final List<String> DEFAULT_FIELDS = List.of("Patient.name", "Patient.birthDate",
            "Patient.identifier.value", "Patient.telecom", "Patient.address");

    private PhiBatch() {
    }

    /** Reports progress; {@link #NONE} when no terminal is attached. */
    @FunctionalInterface
    public interface Progress {
        /** Prints nothing. */
        Progress NONE = (done, total, file) -> { };

        /**
         * Called after each file.
         *
         * @param done files done so far
         * @param total files in the batch
         * @param file the file just done
         */
        void fileDone(int done, int total, Path file);

        /**
         * A progress line on {@code terminal}, rewritten in place, or {@link #NONE} when it is not a terminal.
         *
         * @param isTerminal whether {@code terminal} is an interactive console (e.g. {@code System.console() != null})
         * @param terminal where to print the {@code [done/total] file} line; used only when {@code isTerminal}
         * @return a progress printer that ends the line after the last file, or {@link #NONE} when {@code isTerminal}
         *     is false
         */
        static Progress forTerminal(boolean isTerminal, PrintStream terminal) {
            if (!isTerminal) {
                return NONE;
            }
            return (done, total, file) -> {
                terminal.print("\r[" + done + "/" + total + "] " + file.getFileName() + "\u001b[K");
                if (done == total) {
                    terminal.println();
                }
                terminal.flush();
            };
        }
    }

    /**
     * Runs the batch and exits 0, or prints {@code <REASON>: detail} and exits with the reason's status.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        try {
            java.util.Map<String, String> a = new java.util.HashMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                a.put(args[i], args[i + 1]);
            }
            if (!a.containsKey("--in") || !a.containsKey("--out") || !a.containsKey("--key-file")) {
                throw new ConfigurationException(Reason.CONFIGURATION, "usage: phi-batch --in DIR --out DIR "
                        + "--key-file FILE [--fields A,B]");
            }
            List<String> fields = a.containsKey("--fields") ? List.of(a.get("--fields").split(",")) : DEFAULT_FIELDS;
            boolean terminal = System.console() != null && System.console().isTerminal();
            int n = run(Path.of(a.get("--in")), Path.of(a.get("--out")), readKey(Path.of(a.get("--key-file"))),
                    fields, Progress.forTerminal(terminal, System.err));
            System.out.println(n + " resources encrypted");
        } catch (CocoException e) {
            System.err.println(e.reason() + ": " + e.detail());
            System.exit(e.reason().exitCode());
        }
    }

    /**
     * Encrypts every {@code *.json} file of {@code in} (sorted by name) into {@code out}.
     *
     * @param in the directory of FHIR JSON resources or Bundles
     * @param out the output directory (created if missing)
     * @param key the 32-byte key-encryption key; not kept
     * @param fields the FHIR fields to encrypt
     * @param progress where progress goes
     * @return the number of files written
     * @throws CocoException {@link Reason#CONFIGURATION} for unreadable input or unwritable output, or the
     *     encryptor's reason for a file that is not FHIR JSON
     */
    public static int run(Path in, Path out, byte[] key, List<String> fields, Progress progress) {
        LocalKeyEncryptionKey kek = LocalKeyEncryptionKey.of("phi-batch", key);
        try {
            PhiFieldEncryptor phi = PhiFieldEncryptor.builder().kek(kek).fields(fields).build();
            List<Path> files;
            try (Stream<Path> s = Files.list(in)) {
                files = s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
            }
            Files.createDirectories(out);
            int done = 0;
            for (Path f : files) {
                String encrypted = phi.encrypt(Files.readString(f, StandardCharsets.UTF_8));
                Path target = out.resolve(f.getFileName());
                Path tmp = out.resolve(f.getFileName() + ".tmp");
                Files.writeString(tmp, encrypted, StandardCharsets.UTF_8);
                Files.move(tmp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                progress.fileDone(++done, files.size(), f);
            }
            return done;
        } catch (IOException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot read or write: " + e.getMessage(), e);
        } finally {
            kek.destroy();
        }
    }

    /** A 256-bit key from a file of 32 raw bytes or 64 hex characters. */
    static byte[] readKey(Path file) {
        try {
            byte[] raw = Files.readAllBytes(file);
            if (raw.length == 32) {
                return raw;
            }
            String text = new String(raw, StandardCharsets.US_ASCII).strip();
            Arrays.fill(raw, (byte) 0);
            if (text.length() == 64) {
                return HexFormat.of().parseHex(text);
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot read the key file " + file);
        }
        throw new ConfigurationException(Reason.CONFIGURATION, "the key file must hold 32 bytes or 64 hex digits");
    }
}
