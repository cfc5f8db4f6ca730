package dev.coco4j.kbs;

import java.util.Arrays;
import java.util.Objects;
import javax.security.auth.Destroyable;

/**
 * A secret a KBS released: the plaintext resource bytes. {@link #toString()} never shows the content;
 * {@link #close()} / {@link #destroy()} zero the bytes, after which every accessor refuses. Thread-safe.
 */
public final class KbsSecret implements Destroyable, AutoCloseable {
    private final String path;
    private byte[] bytes;

    /** Takes ownership of {@code bytes} (no copy): the caller must not keep the array. */
    KbsSecret(String path, byte[] bytes) {
        this.path = Objects.requireNonNull(path, "path");
        this.bytes = Objects.requireNonNull(bytes, "bytes");
    }

    /**
     * Wraps a copy of {@code bytes} (for secrets obtained elsewhere, such as an unsealed vault secret).
     *
     * @param path the resource path the secret belongs to ({@code repo/type/tag}); not null, shown by
     *     {@code toString()}
     * @param bytes the secret bytes; not null, copied (the caller keeps and should zero its own array)
     * @return a new live secret owning a private copy of {@code bytes}
     */
    public static KbsSecret copyOf(String path, byte[] bytes) {
        return new KbsSecret(path, bytes.clone());
    }

    /**
     * The resource path it was released for ({@code repo/type/tag}); not secret.
     *
     * @return the resource path, never null; still available after {@link #destroy()}
     */
    public String path() {
        return path;
    }

    /**
     * A copy of the secret bytes; the caller should zero it when done.
     *
     * @return a fresh copy of the secret bytes (a new array on every call)
     * @throws IllegalStateException if destroyed
     */
    public synchronized byte[] bytes() {
        return live().clone();
    }

    /**
     * The length in bytes.
     *
     * @return the number of secret bytes
     * @throws IllegalStateException if destroyed
     */
    public synchronized int length() {
        return live().length;
    }

    private byte[] live() {
        if (bytes == null) {
            throw new IllegalStateException("secret destroyed");
        }
        return bytes;
    }

    /** Zeroes the bytes. Idempotent. */
    @Override
    public synchronized void destroy() {
        if (bytes != null) {
            Arrays.fill(bytes, (byte) 0);
            bytes = null;
        }
    }

    @Override
    public synchronized boolean isDestroyed() {
        return bytes == null;
    }

    /** Same as {@link #destroy()}. */
    @Override
    public void close() {
        destroy();
    }

    @Override
    public synchronized String toString() {
        return "KbsSecret[" + path + ", " + (bytes == null ? "destroyed" : bytes.length + " bytes, content not shown")
                + "]";
    }
}
