package dev.coco4j.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coco4j.core.internal.Hex;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;

/** Reads the real GPU vectors copied into test resources (see vectors/gpu/PROVENANCE.md). */
public final class Vectors {
    /** An instant at which every test RIM signer was still valid. */
    public static final Instant PINNED = Instant.parse("2025-06-01T00:00:00Z");
    /** The nonce nvtrust and NVAT use for most samples. */
    public static final byte[] NONCE_931D = HexFormat.of().parseHex(
            "931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb");

    private Vectors() {
    }

    /** The bytes of {@code vectors/gpu/<path>}. */
    public static byte[] bytes(String path) {
        try (InputStream in = Vectors.class.getResourceAsStream("/vectors/gpu/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("missing test vector " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A hex-text report. */
    public static byte[] report(String path) {
        return Hex.rawOrHex(bytes(path));
    }

    /** A parsed JSON vector. */
    public static JsonNode json(String path) {
        try {
            return new ObjectMapper().readTree(bytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Evidence entry {@code i} of an NVAT/NRAS-shaped evidence JSON array: report bytes. */
    public static byte[] jsonEvidence(String path, int i) {
        return Base64.getDecoder().decode(json(path).get(i).get("evidence").asText());
    }

    /** Evidence entry {@code i}: the PEM chain. */
    public static byte[] jsonChain(String path, int i) {
        return Base64.getDecoder().decode(json(path).get(i).get("certificate").asText());
    }

    /** Evidence entry {@code i}: the nonce. */
    public static byte[] jsonNonce(String path, int i) {
        return HexFormat.of().parseHex(json(path).get(i).get("nonce").asText());
    }

    /** Hex decode. */
    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }
}
