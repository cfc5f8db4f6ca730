package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes an output file all-or-nothing: into a temporary file in the target directory, renamed over {@code --out}
 * only when the writer finished without error; otherwise the temporary file is deleted and {@code --out} is untouched.
 */
final class OutputFiles {
    private OutputFiles() {
    }

    /** Something that writes the whole output. */
    @FunctionalInterface
    interface Writer {
        void write(OutputStream out) throws IOException;
    }

    static void atomically(Path out, Writer writer) {
        Path target = out.toAbsolutePath();
        Path dir = target.getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".part");
        } catch (IOException | SecurityException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--out: cannot write to " + dir + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        boolean done = false;
        try {
            try (OutputStream o = Files.newOutputStream(tmp)) {
                writer.write(o);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } catch (IOException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--out: cannot write " + out + " ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort; the name starts with '.' and ends with .part
                }
            }
        }
    }

    static InputStream open(String option, Path in) {
        try {
            return Files.newInputStream(in);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, option + ": no such file " + in);
        } catch (IOException | SecurityException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, option + ": cannot read " + in + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
