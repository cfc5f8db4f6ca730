package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.envelope.EnvelopeCipher;
import dev.coco4j.core.envelope.KeyEncryptionKey;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code coco4j envelope encrypt|decrypt}: whole-file envelope encryption in constant memory. */
@Command(name = "envelope", mixinStandardHelpOptions = true,
        description = "Envelope-encrypt or decrypt a file of any size (AES-256-GCM segments, committed data key).",
        subcommands = {EnvelopeCommand.Encrypt.class, EnvelopeCommand.Decrypt.class})
final class EnvelopeCommand extends CommandGroup {

    /** Options shared by both directions. */
    static class Common {
        @Spec
        CommandSpec spec;

        @Option(names = "--in", required = true, paramLabel = "FILE", description = "Input file.")
        Path in;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file.")
        Path out;

        @ArgGroup(exclusive = false, multiplicity = "1", heading = "Key (one of --key-file or --kbs-url):%n")
        KeyOptions key = new KeyOptions();

        @Option(names = "--context", paramLabel = "KEY=VALUE",
                description = "Encryption context pair (repeatable): stored and authenticated on encrypt, required "
                        + "on decrypt. Never put PHI here.")
        List<String> context = List.of();

        Map<String, String> contextMap() {
            Map<String, String> m = new LinkedHashMap<>();
            for (String kv : context) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigurationException(Reason.CONFIGURATION, "--context: '" + kv
                            + "' is not KEY=VALUE");
                }
                if (m.put(kv.substring(0, eq), kv.substring(eq + 1)) != null) {
                    throw new ConfigurationException(Reason.CONFIGURATION, "--context: key " + kv.substring(0, eq)
                            + " given twice");
                }
            }
            return m;
        }

        private KeyEncryptionKey kek;

        EnvelopeCipher cipher() {
            kek = key.kek();
            return EnvelopeCipher.builder().kek(kek).build();
        }

        /** Destroys the KEK (and closes a KBS client); idempotent. */
        void release() {
            if (kek != null) {
                try {
                    kek.destroy();
                } catch (javax.security.auth.DestroyFailedException e) {
                    // the implementations used here never throw it; nothing more to zero
                }
                kek = null;
            }
        }

        /** What one direction does with the input and the (temporary) output. */
        @FunctionalInterface
        interface Transform {
            void apply(InputStream in, OutputStream out) throws IOException;
        }

        /**
         * Streams --in through {@code t} into --out, written atomically (the file appears only when {@code t}
         * completes), with a progress line on a terminal.
         */
        void transform(String label, Transform t) {
            try (Progress progress = Progress.start(spec.commandLine().getErr(), label, inputSize());
                 InputStream input = progress.counting(OutputFiles.open("--in", in))) {
                OutputFiles.atomically(out, o -> t.apply(input, o));
                progress.finish();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** The input's size for the progress line, or -1 when it is not a regular file. */
        long inputSize() {
            try {
                return java.nio.file.Files.isRegularFile(in) ? java.nio.file.Files.size(in) : -1;
            } catch (IOException e) {
                return -1;
            }
        }
    }

    /** {@code envelope encrypt}. */
    @Command(name = "encrypt", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Encrypt --in into --out under a fresh data key wrapped by the key.")
    static final class Encrypt implements Callable<Integer> {
        @Mixin
        Common c;

        @Override
        public Integer call() {
            try {
                return run();
            } finally {
                c.release();
            }
        }

        private Integer run() {
            EnvelopeCipher cipher = c.cipher();
            Map<String, String> ctx = c.contextMap();
            c.transform("envelope encrypt", (in, o) -> {
                try (OutputStream enc = cipher.encryptingStream(new NonClosing(o), ctx)) {
                    in.transferTo(enc);
                }
            });
            c.spec.commandLine().getOut().println("encrypted " + c.in + " -> " + c.out + " (key " + cipher.kekId()
                    + ")");
            return 0;
        }
    }

    /** {@code envelope decrypt}. */
    @Command(name = "decrypt", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Decrypt --in into --out; --out appears only if the whole input is authentic.")
    static final class Decrypt implements Callable<Integer> {
        @Mixin
        Common c;

        @Override
        public Integer call() {
            try {
                return run();
            } finally {
                c.release();
            }
        }

        private Integer run() {
            EnvelopeCipher cipher = c.cipher();
            Map<String, String> ctx = c.contextMap();
            c.transform("envelope decrypt", (in, o) -> {
                try (InputStream dec = cipher.decryptingStream(in, ctx)) {
                    dec.transferTo(o);
                }
            });
            c.spec.commandLine().getOut().println("decrypted " + c.in + " -> " + c.out);
            return 0;
        }
    }

    /** Keeps the encrypting stream's close from closing the temp file twice. */
    static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
