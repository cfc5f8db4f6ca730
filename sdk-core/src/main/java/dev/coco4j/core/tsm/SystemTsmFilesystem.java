package dev.coco4j.core.tsm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@link TsmFilesystem} over {@link Files}. */
final class SystemTsmFilesystem implements TsmFilesystem {
    static final SystemTsmFilesystem INSTANCE = new SystemTsmFilesystem();

    private SystemTsmFilesystem() {
    }

    @Override
    public boolean isDirectory(Path path) {
        try {
            return Files.isDirectory(path);
        } catch (SecurityException e) {
            return false;
        }
    }

    @Override
    public boolean exists(Path path) {
        try {
            return Files.exists(path);
        } catch (SecurityException e) {
            return false;
        }
    }

    @Override
    public void createDirectory(Path path) throws IOException {
        Files.createDirectory(path);
    }

    @Override
    public void deleteDirectory(Path path) throws IOException {
        Files.delete(path);
    }

    @Override
    public byte[] read(Path path, int maxBytes) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return in.readNBytes(maxBytes + 1);
        }
    }

    @Override
    public void write(Path path, byte[] value) throws IOException {
        // One OutputStream.write call: the channel hands the whole array to write(2).
        try (var out = Files.newOutputStream(path, StandardOpenOption.WRITE)) {
            out.write(value);
        }
    }
}
