package dev.coco4j.sev;

import dev.coco4j.core.internal.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Reads the real SEV-SNP vectors copied from shared/vectors/sev into test resources (see PROVENANCE.md there). */
public final class Vectors {
    private Vectors() {
    }

    /** The bytes of {@code vectors/sev/<path>}. */
    public static byte[] bytes(String path) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/sev/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test vector " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A report vector, decoding hex text vectors. */
    public static byte[] report(String path) {
        return Hex.rawOrHex(bytes(path));
    }
}
