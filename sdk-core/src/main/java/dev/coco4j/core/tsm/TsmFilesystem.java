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

    /** True if {@code path} is an existing directory. Never throws. */
    boolean isDirectory(Path path);

    /** True if {@code path} exists (an attribute file or a directory). Never throws. */
    boolean exists(Path path);

    /** Creates one directory; for a configfs report entry this makes the kernel populate its attributes. */
    void createDirectory(Path path) throws IOException;

    /** Removes one (configfs) directory. */
    void deleteDirectory(Path path) throws IOException;

    /**
     * Reads an attribute, at most {@code maxBytes + 1} bytes, so the caller can tell that the value exceeds its cap.
     */
    byte[] read(Path path, int maxBytes) throws IOException;

    /** Writes an attribute's whole value in one write, without creating or truncating the file. */
    void write(Path path, byte[] value) throws IOException;

    /** The real file system through {@link java.nio.file.Files}. */
    static TsmFilesystem system() {
        return SystemTsmFilesystem.INSTANCE;
    }
}
