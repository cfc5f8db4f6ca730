package dev.coco4j.azure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the copied test vectors ({@code src/test/resources/vectors}, see PROVENANCE.md there). */
public final class Vectors {
    private Vectors() {
    }

    /** The bytes of {@code vectors/<path>}. */
    public static byte[] bytes(String path) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test vector " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
