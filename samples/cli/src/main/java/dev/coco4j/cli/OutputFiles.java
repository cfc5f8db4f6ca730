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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

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
            rename(tmp, target);
            done = true;
        } catch (IOException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--out: cannot write " + out + " ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            if (!done) {
                deleteQuietly(tmp);
            }
        }
    }

    /**
     * Writes several files into {@code dir} (created if missing) all-or-nothing: every file is first written to a
     * temporary name in {@code dir}; only when all of them are complete are they renamed to their names. On failure
     * the temporary files, any file already renamed by this call and the directory if this call created it are deleted
     * (best effort), so no partial set is left behind. Existing files of the same names are replaced.
     *
     * @param dir the target directory
     * @param files file name to content, in the order they are renamed
     * @return the paths written, in that order
     */
    static List<Path> allAtomically(Path dir, SequencedMap<String, byte[]> files) {
        Path target = dir.toAbsolutePath();
        Map<String, Path> temps = new LinkedHashMap<>();
        List<Path> moved = new ArrayList<>();
        boolean created = !Files.exists(target);
        boolean done = false;
        try {
            Files.createDirectories(target);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Path tmp = Files.createTempFile(target, "." + f.getKey() + ".", ".part");
                temps.put(f.getKey(), tmp);
                Files.write(tmp, f.getValue());
            }
            for (Map.Entry<String, Path> t : temps.entrySet()) {
                Path to = target.resolve(t.getKey());
                rename(t.getValue(), to);
                moved.add(to);
            }
            done = true;
            return List.copyOf(moved);
        } catch (IOException | SecurityException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--out: cannot write to " + dir + " ("
                    + e.getClass().getSimpleName() + ")");
        } finally {
            if (!done) {
                temps.values().forEach(OutputFiles::deleteQuietly);
                moved.forEach(OutputFiles::deleteQuietly);
                if (created) {
                    deleteQuietly(target); // only if still empty
                }
            }
        }
    }

    /** Renames a finished temporary file over its target, atomically where the file system allows. */
    private static void rename(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort; temporary names start with '.' and end with .part
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
