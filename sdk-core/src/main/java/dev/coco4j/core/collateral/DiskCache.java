package dev.coco4j.core.collateral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The on-disk cache: per URL two files named by the lower-case hex SHA-256 of the normalized URL, {@code <h>.bin} (the
 * body) and {@code <h>.json} (metadata: format version, URL, status, kept headers, fetchedAt, expiresAt or
 * {@code "never"}, body length and SHA-256). Each file is written to a temporary file and moved into place atomically;
 * the body is written first, so a reader that finds metadata whose digest does not match the body treats the entry as
 * missing. Any unreadable, inconsistent or oversized entry is ignored (logged, never fatal).
 */
final class DiskCache {
    private static final System.Logger LOG = System.getLogger(CollateralFetcher.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int FORMAT = 1;
    private static final long MAX_META_BYTES = 1 << 20;

    private final Path dir;
    private final long maxBodyBytes;

    DiskCache(Path dir, long maxBodyBytes) {
        this.dir = dir;
        this.maxBodyBytes = maxBodyBytes;
    }

    static String key(String url) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }

    Path metaFile(String url) {
        return dir.resolve(key(url) + ".json");
    }

    Path bodyFile(String url) {
        return dir.resolve(key(url) + ".bin");
    }

    /** The stored entry for the URL, or empty if none or not usable. Expiry is checked by the caller. */
    Optional<CollateralResponse> read(String url) {
        Path meta = metaFile(url);
        Path body = bodyFile(url);
        if (!Files.isRegularFile(meta)) {
            return Optional.empty();
        }
        try {
            if (Files.size(meta) > MAX_META_BYTES) {
                throw new IOException("metadata too large");
            }
            JsonNode m = JSON.readTree(Files.readAllBytes(meta));
            if (m == null || m.path("format").asInt(-1) != FORMAT) {
                throw new IOException("unknown format");
            }
            if (!url.equals(m.path("url").asText(null))) {
                throw new IOException("URL mismatch");
            }
            long length = m.path("length").asLong(-1);
            if (length < 0 || length > maxBodyBytes || Files.size(body) != length) {
                throw new IOException("body length mismatch");
            }
            byte[] bytes = Files.readAllBytes(body);
            if (!HexFormat.of().formatHex(sha256(bytes)).equals(m.path("sha256").asText(""))) {
                throw new IOException("body digest mismatch");
            }
            int status = m.path("status").asInt(-1);
            if (status < 200 || status > 299) {
                throw new IOException("non-2xx status");
            }
            Instant fetchedAt = Instant.parse(m.path("fetchedAt").asText());
            String exp = m.path("expiresAt").asText();
            Instant expiresAt = "never".equals(exp) ? Instant.MAX : Instant.parse(exp);
            Map<String, String> headers = new LinkedHashMap<>();
            JsonNode h = m.path("headers");
            if (h.isObject()) {
                h.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            }
            return Optional.of(new CollateralResponse(url, status, bytes, headers, fetchedAt, expiresAt,
                    CollateralResponse.Source.DISK_CACHE));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, () -> "ignoring unusable disk cache entry " + meta.getFileName() + ": "
                    + e.getMessage());
            return Optional.empty();
        }
    }

    /** Stores the response; failures are logged and otherwise ignored. */
    void write(CollateralResponse r) {
        try {
            Files.createDirectories(dir);
            byte[] bytes = r.bodyNoCopy();
            ObjectNode m = JSON.createObjectNode();
            m.put("format", FORMAT);
            m.put("url", r.url());
            m.put("status", r.status());
            m.put("fetchedAt", r.fetchedAt().toString());
            m.put("expiresAt", Instant.MAX.equals(r.expiresAt()) ? "never" : r.expiresAt().toString());
            m.put("length", bytes.length);
            m.put("sha256", HexFormat.of().formatHex(sha256(bytes)));
            ObjectNode h = m.putObject("headers");
            r.headers().forEach(h::put);
            atomicWrite(bodyFile(r.url()), bytes);
            atomicWrite(metaFile(r.url()), JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(m));
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, () -> "could not write disk cache entry for " + r.url() + ": " + e.getMessage());
        }
    }

    private void atomicWrite(Path target, byte[] bytes) throws IOException {
        Path tmp = Files.createTempFile(dir, target.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }
}
