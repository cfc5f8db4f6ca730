package dev.coco4j.core.tsm;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The handful of file operations {@link ConfigfsTsm} performs on configfs. The {@linkplain #system() default} goes to
 * the real file system; tests (and unusual mounts) supply their own implementation, because a plain directory does not
 * behave like configfs (there, {@code mkdir} creates the attribute files and every write to an input attribute bumps
 * {@code generation}).
 *
 * <p>Implementations must be thread-safe. Each {@link #write} must hand the whole value to the kernel as one write,
 * because configfs counts every write to an input attribute.
 */
public interface TsmFilesystem {

    /**
     * True if {@code path} is an existing directory. Never throws.
     *
     * @param path the path to test; not null
     * @return true if it is a directory; false if absent, another kind of file, or not accessible
     */
    boolean isDirectory(Path path);

    /**
     * True if {@code path} exists (an attribute file or a directory). Never throws.
     *
     * @param path the path to test; not null
     * @return true if something exists there; false if absent or not accessible
     */
    boolean exists(Path path);

    /**
     * Creates one directory; for a configfs report entry this makes the kernel populate its attributes.
     *
     * @param path the directory to create; its parent must exist
     * @throws IOException if the directory cannot be created (for example it exists, or configfs refuses it)
     */
    void createDirectory(Path path) throws IOException;

    /**
     * Removes one (configfs) directory.
     *
     * @param path the directory to remove; not null
     * @throws IOException if it cannot be removed
     */
    void deleteDirectory(Path path) throws IOException;

    /**
     * Reads an attribute, at most {@code maxBytes + 1} bytes, so the caller can tell that the value exceeds its cap.
     *
     * @param path the attribute file; not null
     * @param maxBytes the caller's cap; at most {@code maxBytes + 1} bytes are read
     * @return a new array with what was read, 0 to {@code maxBytes + 1} bytes
     * @throws IOException if the attribute cannot be read (the kernel may report a failed report generation this way)
     */
    byte[] read(Path path, int maxBytes) throws IOException;

    /**
     * Writes an attribute's whole value in one write, without creating or truncating the file.
     *
     * @param path the attribute file, which must exist; not null
     * @param value the complete value to write; not modified
     * @throws IOException if the write fails (configfs refuses an invalid value this way)
     */
    void write(Path path, byte[] value) throws IOException;

    /**
     * The real file system through {@link java.nio.file.Files}.
     *
     * @return the shared stateless instance
     */
    static TsmFilesystem system() {
        return SystemTsmFilesystem.INSTANCE;
    }
}
