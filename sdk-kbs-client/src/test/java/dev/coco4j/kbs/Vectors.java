package dev.coco4j.kbs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.kbs.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads the KBS test vectors from {@code src/test/resources/vectors/kbs} (see PROVENANCE.md there). */
public final class Vectors {
    private Vectors() {
    }

    /** Raw bytes of a vector file, path relative to {@code vectors/kbs/}. */
    public static byte[] bytes(String path) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/kbs/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no vector " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A vector file parsed as JSON. */
    public static JsonNode json(String path) {
        return Json.parse(bytes(path), path);
    }
}
