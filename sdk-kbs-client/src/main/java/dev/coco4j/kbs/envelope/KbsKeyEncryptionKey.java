package dev.coco4j.kbs.envelope;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.envelope.KeyEncryptionKey;
import dev.coco4j.core.envelope.LocalKeyEncryptionKey;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * A 256-bit key-encryption key released by a Trustee KBS: the resource {@code repo/type/tag} fetched through a
 * {@link KbsClient} (which attests first) and used as an AES-256-GCM KEK exactly like a {@link LocalKeyEncryptionKey}
 * ({@code iv || ciphertext || tag}). The released resource must be 32 raw bytes or 64 hex characters (surrounding
 * whitespace ignored); anything else is refused with {@link Reason#CONFIGURATION} and the bytes are zeroed.
 *
 * <p>The key is fetched lazily on first use (or by {@link #fetch()}), cached for at most {@link Builder#maxAge} and
 * fetched again after that, so a key the KBS stops releasing (policy change, revoked TCB) stops working within that
 * bound. A failed fetch is never cached and never falls back to an older key: {@code wrap}/{@code unwrap} throw the
 * client's {@link dev.coco4j.core.KeyReleaseException} ({@code KEY_RELEASE_DENIED}, {@code RESOURCE_NOT_FOUND},
 * {@code SERVICE_UNAVAILABLE}, ...).
 *
 * <p>The {@link #id()} is the resource URI {@code kbs:///repo/type/tag} (not secret). {@link #toString()} shows only
 * the id. {@link #destroy()} / {@link #close()} zero the cached key; they do not close the {@link KbsClient}, which
 * the caller owns. Thread-safe.
 *
 * <pre>{@code
 * try (KbsClient kbs = KbsClient.builder().baseUrl(url).trustCaFile(ca).build();
 *      KbsKeyEncryptionKey kek = KbsKeyEncryptionKey.builder().client(kbs).resource("default/kek/app").build()) {
 *     EnvelopeCipher cipher = EnvelopeCipher.builder().kek(kek).build();
 *     byte[] sealed = cipher.encrypt(plaintext);
 * }
 * }</pre>
 */
public final class KbsKeyEncryptionKey implements KeyEncryptionKey, AutoCloseable {
    private static final Pattern SEGMENT = Pattern.compile("^[A-Za-z0-9_-]+[A-Za-z0-9_.-]*$");
    private static final Duration DEFAULT_MAX_AGE = Duration.ofMinutes(5);

    private final KbsClient client;
    private final String path;
    private final String id;
    private final Duration maxAge;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Cached current;
    /** The previous generation, kept alive for wraps in flight when the key was refreshed; destroyed on the next. */
    private Cached retired;
    private volatile boolean destroyed;

    private record Cached(LocalKeyEncryptionKey key, Instant expires) {
    }

    private KbsKeyEncryptionKey(Builder b) {
        this.client = b.client;
        this.path = b.path;
        this.id = "kbs:///" + b.path;
        this.maxAge = b.maxAge;
        this.clock = b.clock;
    }

    /**
     * A new builder.
     *
     * @return a new builder (max age 5 minutes, system UTC clock; client and resource must be set)
     */
    public static Builder builder() {
        return new Builder();
    }

    /** {@code kbs:///repo/type/tag}. */
    @Override
    public String id() {
        return id;
    }

    /**
     * The resource path {@code repo/type/tag}.
     *
     * @return the path {@code repo/type/tag} without the {@code kbs:///} prefix, never null
     */
    public String resourcePath() {
        return path;
    }

    /**
     * Fetches the key now if there is no fresh cached one (attesting through the client if it has no session).
     *
     * @throws dev.coco4j.core.KeyReleaseException if the KBS does not release it
     * @throws ConfigurationException if the released resource is not a 256-bit key, or this KEK is destroyed
     */
    public void fetch() {
        key();
    }

    @Override
    public byte[] wrap(byte[] dataKey, byte[] aad) {
        return key().wrap(dataKey, aad);
    }

    @Override
    public byte[] unwrap(byte[] wrappedKey, byte[] aad) {
        return key().unwrap(wrappedKey, aad);
    }

    private LocalKeyEncryptionKey key() {
        checkLive();
        Cached c = current;
        if (c != null && clock.instant().isBefore(c.expires())) {
            return c.key();
        }
        lock.lock();
        try {
            checkLive();
            c = current;
            Instant now = clock.instant();
            if (c != null && now.isBefore(c.expires())) {
                return c.key();
            }
            Cached fresh = new Cached(load(), now.plus(maxAge));
            if (retired != null) {
                retired.key().destroy();
            }
            retired = c;
            current = fresh;
            return fresh.key();
        } finally {
            lock.unlock();
        }
    }

    private LocalKeyEncryptionKey load() {
        byte[] raw;
        try (KbsSecret secret = client.getResource(path)) {
            raw = secret.bytes();
        }
        byte[] key = null;
        try {
            key = decode(raw);
            if (key == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "KBS resource " + id
                        + " is not a 256-bit key (32 raw bytes or 64 hex characters)");
            }
            return LocalKeyEncryptionKey.of(id, key);
        } finally {
            Arrays.fill(raw, (byte) 0);
            if (key != null && key != raw) {
                Arrays.fill(key, (byte) 0);
            }
        }
    }

    /** 32 raw bytes (returned as is) or 64 hex characters with optional surrounding whitespace; else null. */
    private static byte[] decode(byte[] raw) {
        if (raw.length == 32) {
            return raw;
        }
        if (raw.length < 64 || raw.length > 256) {
            return null;
        }
        int from = 0;
        int to = raw.length;
        while (from < to && Character.isWhitespace(raw[from])) {
            from++;
        }
        while (to > from && Character.isWhitespace(raw[to - 1])) {
            to--;
        }
        if (to - from != 64) {
            return null;
        }
        for (int i = from; i < to; i++) {
            if (Character.digit(raw[i], 16) < 0) {
                return null;
            }
        }
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            out[i] = (byte) ((Character.digit(raw[from + 2 * i], 16) << 4) | Character.digit(raw[from + 2 * i + 1],
                    16));
        }
        return out;
    }

    private void checkLive() {
        if (destroyed) {
            throw new ConfigurationException(Reason.CONFIGURATION, "key-encryption key " + id + " is destroyed");
        }
    }

    /** Zeroes every cached key generation; afterwards {@code wrap}/{@code unwrap}/{@link #fetch()} throw. */
    @Override
    public void destroy() {
        lock.lock();
        try {
            destroyed = true;
            if (current != null) {
                current.key().destroy();
                current = null;
            }
            if (retired != null) {
                retired.key().destroy();
                retired = null;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Same as {@link #destroy()}; does not close the {@link KbsClient}. */
    @Override
    public void close() {
        destroy();
    }

    /** Only the id and state, never key material. */
    @Override
    public String toString() {
        return "KbsKeyEncryptionKey[id=" + id + (destroyed ? ", destroyed" : current != null ? ", cached" : "") + "]";
    }

    /** Configures a {@link KbsKeyEncryptionKey}. Not thread-safe. */
    public static final class Builder {
        private KbsClient client;
        private String path;
        private Duration maxAge = DEFAULT_MAX_AGE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The client that attests and fetches the key (required; owned by the caller).
         *
         * @param client the KBS client; not null, kept by reference and never closed by this KEK
         * @return this builder
         */
        public Builder client(KbsClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * The resource holding the key: {@code repo/type/tag} or {@code kbs:///repo/type/tag} (required).
         *
         * @param resource {@code repo/type/tag} or {@code kbs:///repo/type/tag}; not null; each segment letters,
         *     digits, {@code _}, {@code -}, {@code .}, not starting with {@code .}; the URI at most 255 UTF-8 bytes
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if the resource is not of that form
         */
        public Builder resource(String resource) {
            Objects.requireNonNull(resource, "resource");
            String p = resource.startsWith("kbs:///") ? resource.substring("kbs:///".length()) : resource;
            String[] seg = p.split("/", -1);
            if (seg.length != 3 || !Arrays.stream(seg).allMatch(s -> SEGMENT.matcher(s).matches())
                    || ("kbs:///" + p).getBytes(StandardCharsets.UTF_8).length > 255) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "a KBS key resource is repo/type/tag, got '" + resource + "'");
            }
            this.path = p;
            return this;
        }

        /**
         * How long a fetched key is used before it is fetched again (default 5 minutes; must be positive).
         *
         * @param maxAge the longest time a fetched key is reused; not null, positive
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code maxAge} is zero or negative
         */
        public Builder maxAge(Duration maxAge) {
            Objects.requireNonNull(maxAge, "maxAge");
            if (maxAge.isZero() || maxAge.isNegative()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "maxAge must be positive");
            }
            this.maxAge = maxAge;
            return this;
        }

        /**
         * The clock for {@link #maxAge} (default system UTC).
         *
         * @param clock the clock compared with the fetch time plus {@code maxAge}; not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the KEK; nothing is fetched until first use or {@link KbsKeyEncryptionKey#fetch()}.
         *
         * @return a new KEK holding no key yet; the caller should {@link KbsKeyEncryptionKey#close() close} it
         * @throws ConfigurationException if the client or resource is missing
         */
        public KbsKeyEncryptionKey build() {
            if (client == null || path == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "a KBS KEK needs a client and a resource");
            }
            return new KbsKeyEncryptionKey(this);
        }
    }
}
