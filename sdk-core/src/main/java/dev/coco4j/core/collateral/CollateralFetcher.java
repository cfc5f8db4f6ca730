package dev.coco4j.core.collateral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.internal.RetryingHttp;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.ResponseBody;

/**
 * Fetches collateral (certificates, CRLs, TCB info, RIMs, ...) over HTTP GET, with bounded retries, a memory cache,
 * an optional disk cache, preloaded collateral and an offline mode. Every coco4j collateral client (AMD KDS, Intel
 * PCS, NVIDIA RIM) goes through one instance, so one place configures timeouts, retries and caching. Thread-safe;
 * concurrent fetches of the same URL are serialized so that a burst of callers costs one request.
 *
 * <p>What a {@link #fetch(CollateralRequest)} guarantees:
 * <ol>
 *   <li>Lookup order: preloaded collateral (unless expired), then, unless the request's policy is
 *       {@link CachePolicy.NoCache}, the memory cache and the disk cache (unexpired entries only, by the injected
 *       {@link Clock}), then the network.</li>
 *   <li>Offline (the fetcher's {@link Builder#offline(boolean)} or the request's) never touches the network: without a
 *       usable preloaded or cached copy it throws {@link CollateralException} with
 *       {@link Reason#COLLATERAL_UNAVAILABLE}.</li>
 *   <li>Only 2xx answers are returned or cached. 404 and other 4xx (except 429) throw
 *       {@link Reason#COLLATERAL_UNAVAILABLE} at once, naming the status and URL (never the body).</li>
 *   <li>HTTP 429, 5xx, connection failures and timeouts are retried up to {@code maxAttempts} requests in all, waiting
 *       an exponential backoff with jitter between them (attempt {@code n} waits a uniformly random time between half
 *       and all of {@code min(maxBackoff, initialBackoff * 2^(n-1))}), or what {@code Retry-After} asks for
 *       (delta-seconds or HTTP-date) capped at {@code maxRetryAfter}. When attempts run out:
 *       {@link Reason#SERVICE_UNAVAILABLE}.</li>
 *   <li>A body larger than {@code maxResponseBytes} is refused ({@link Reason#COLLATERAL_INVALID}) without being read
 *       past the limit, and not retried.</li>
 *   <li>The body passes the request's {@link CollateralRequest.BodyValidator} before it is returned or cached.</li>
 * </ol>
 *
 * <p>Logging goes through {@link System.Logger} (name {@code dev.coco4j.core.collateral.CollateralFetcher}): URLs,
 * statuses and timings only, never bodies or request header values.
 *
 * <h2>Bundle directories</h2>
 * {@link Builder#preloadDirectory(Path)} reads a directory holding a file {@value #BUNDLE_INDEX}:
 * <pre>{@code
 * {
 *   "version": 1,
 *   "entries": [
 *     { "url": "https://kdsintf.amd.com/vcek/v1/Milan/cert_chain", "file": "milan_cert_chain.pem" },
 *     { "url": "https://kdsintf.amd.com/vcek/v1/Milan/crl", "file": "milan.crl",
 *       "expiresAt": "2030-01-01T00:00:00Z" }
 *   ]
 * }
 * }</pre>
 * {@code file} is relative to the directory and must stay inside it; {@code expiresAt} (ISO-8601) is optional and
 * defaults to never. Every entry is loaded as if by {@link Builder#preload(String, byte[], Instant)}.
 */
public final class CollateralFetcher {
    /** The index file name of a bundle directory. */
    public static final String BUNDLE_INDEX = "index.json";
    /** The default bound on a response body: 16 MiB. */
    public static final long DEFAULT_MAX_RESPONSE_BYTES = 16L << 20;

    private static final System.Logger LOG = System.getLogger(CollateralFetcher.class.getName());
    private static final long MAX_ALLOWED_RESPONSE_BYTES = 1L << 30;
    private static final int LOCK_STRIPES = 64;

    /** Waits between retries; tests inject one that does not really sleep. */
    @FunctionalInterface
    public interface Sleeper {
        /**
         * Waits for {@code duration}.
         *
         * @param duration how long to wait; not negative
         * @throws InterruptedException if the waiting thread is interrupted; the fetch then fails with {@link
         *     Reason#SERVICE_UNAVAILABLE}
         */
        void sleep(Duration duration) throws InterruptedException;
    }

    private final RetryingHttp http;
    private final Clock clock;
    private final boolean offline;
    private final long maxResponseBytes;
    private final DiskCache disk;
    private final Map<String, CollateralResponse> preloaded;
    private final Map<String, CollateralResponse> memory;
    private final ReentrantLock[] locks = new ReentrantLock[LOCK_STRIPES];

    private CollateralFetcher(Builder b) {
        this.clock = b.clock;
        this.offline = b.offline;
        this.maxResponseBytes = b.maxResponseBytes;
        OkHttpClient client = b.client != null ? b.client : new OkHttpClient.Builder()
                .connectTimeout(b.connectTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(b.readTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(b.callTimeout.toMillis(), TimeUnit.MILLISECONDS)
                // no silent https -> http downgrade; our own retry loop owns retries so counts are exact
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .build();
        this.http = new RetryingHttp(client, b.maxAttempts, b.initialBackoff, b.maxBackoff, b.maxRetryAfter, b.clock,
                b.sleeper, LOG);
        this.disk = b.cacheDirectory == null ? null : new DiskCache(b.cacheDirectory, b.maxResponseBytes);
        this.preloaded = Map.copyOf(b.preloaded);
        int maxEntries = b.maxMemoryEntries;
        this.memory = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CollateralResponse> eldest) {
                return size() > maxEntries;
            }
        });
        for (int i = 0; i < LOCK_STRIPES; i++) {
            locks[i] = new ReentrantLock();
        }
    }

    /**
     * A builder with the defaults: online, 4 attempts, 500 ms to 30 s backoff, no disk cache, system UTC clock.
     *
     * @return a new builder; each call returns an independent one
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * True if this fetcher never touches the network.
     *
     * @return true if the fetcher was built {@link Builder#offline(boolean) offline}
     */
    public boolean offline() {
        return offline;
    }

    /**
     * The clock that decides cache expiry.
     *
     * @return the injected clock (system UTC by default)
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Fetches the request's URL, from the preloaded collateral, the cache or the network (see the class comment).
     *
     * @param request what to fetch, with its cache policy, headers and validator; not null
     * @return the response; {@link CollateralResponse#fromCache()} says whether the network was skipped
     * @throws CollateralException {@link Reason#COLLATERAL_UNAVAILABLE} (offline without a copy, 404 or another 4xx),
     *     {@link Reason#SERVICE_UNAVAILABLE} (429, 5xx or I/O failures after all attempts, or interrupted),
     *     {@link Reason#COLLATERAL_INVALID} (oversized body, or refused by the validator or expiry function)
     */
    public CollateralResponse fetch(CollateralRequest request) {
        Objects.requireNonNull(request, "request");
        String url = request.url();
        CollateralResponse pre = preloaded.get(url);
        if (pre != null && !pre.isExpiredAt(clock.instant())) {
            check(request, pre.bodyNoCopy());
            LOG.log(Level.DEBUG, () -> "collateral " + url + " from preloaded");
            return pre;
        }
        boolean useCache = !(request.cachePolicy() instanceof CachePolicy.NoCache);
        ReentrantLock lock = locks[Math.floorMod(url.hashCode(), LOCK_STRIPES)];
        lock.lock();
        try {
            if (useCache) {
                Optional<CollateralResponse> cached = fromCaches(request);
                if (cached.isPresent()) {
                    return cached.get();
                }
            }
            if (offline || request.offline()) {
                throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE,
                        "offline and no unexpired preloaded or cached copy of " + url);
            }
            CollateralResponse fresh = download(request);
            check(request, fresh.bodyNoCopy());
            Instant expiry = expiry(request.cachePolicy(), fresh);
            CollateralResponse result = fresh.withExpiresAt(expiry);
            if (useCache && expiry.isAfter(fresh.fetchedAt())) {
                memory.put(url, result);
                if (disk != null) {
                    disk.write(result);
                }
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    private Optional<CollateralResponse> fromCaches(CollateralRequest request) {
        String url = request.url();
        Instant now = clock.instant();
        CollateralResponse mem = memory.get(url);
        if (mem != null) {
            if (!mem.isExpiredAt(now)) {
                LOG.log(Level.DEBUG, () -> "collateral " + url + " from memory cache");
                return Optional.of(mem.withSource(CollateralResponse.Source.MEMORY_CACHE));
            }
            memory.remove(url, mem);
        }
        if (disk != null) {
            Optional<CollateralResponse> d = disk.read(url);
            if (d.isPresent() && !d.get().isExpiredAt(now)) {
                try {
                    request.validator().check(d.get().bodyNoCopy());
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, () -> "ignoring disk cache entry for " + url + " that fails validation");
                    return Optional.empty();
                }
                memory.put(url, d.get());
                LOG.log(Level.DEBUG, () -> "collateral " + url + " from disk cache");
                return d;
            }
        }
        return Optional.empty();
    }

    private static void check(CollateralRequest request, byte[] body) {
        try {
            request.validator().check(body);
        } catch (CocoException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CollateralException(Reason.COLLATERAL_INVALID,
                    "collateral from " + request.url() + " refused by its validator", e);
        }
    }

    private static Instant expiry(CachePolicy policy, CollateralResponse fresh) {
        Instant at = fresh.fetchedAt();
        return switch (policy) {
            case CachePolicy.NoCache n -> at;
            case CachePolicy.Ttl t -> at.plus(t.ttl());
            case CachePolicy.Until u -> u.expiresAt().isAfter(at) ? u.expiresAt() : at;
            case CachePolicy.Immutable i -> Instant.MAX;
            case CachePolicy.Computed c -> {
                Instant e;
                try {
                    e = c.function().expiresAt(fresh);
                } catch (CocoException ex) {
                    throw ex;
                } catch (RuntimeException ex) {
                    throw new CollateralException(Reason.COLLATERAL_INVALID,
                            "cannot compute the expiry of collateral from " + fresh.url(), ex);
                }
                yield e != null && e.isAfter(at) ? e : at;
            }
        };
    }

    private CollateralResponse download(CollateralRequest request) {
        String url = request.url();
        Request.Builder rb = new Request.Builder().url(url).get();
        request.headers().forEach(rb::header);
        return http.execute(rb.build(), (response, attempt, ms) -> {
            int code = response.code();
            if (code < 200 || code > 299) {
                LOG.log(Level.DEBUG, () -> "GET " + url + " -> " + code + ", not retried");
                throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE, "GET " + url + " answered HTTP " + code);
            }
            byte[] body = readBounded(response.body(), url);
            Map<String, String> kept = new LinkedHashMap<>();
            for (String name : response.headers().names()) {
                String lower = name.toLowerCase(java.util.Locale.ROOT);
                if (CollateralRequest.DEFAULT_KEPT_HEADERS.contains(lower) || request.keepHeaders().contains(lower)) {
                    kept.put(lower, response.header(name));
                }
            }
            LOG.log(Level.DEBUG, () -> "GET " + url + " -> " + code + ", " + body.length + " bytes in " + ms
                    + " ms (attempt " + attempt + ")");
            Instant now = clock.instant();
            return new CollateralResponse(url, code, body, kept, now, now, CollateralResponse.Source.NETWORK);
        });
    }

    private byte[] readBounded(ResponseBody body, String url) throws IOException {
        long declared = body.contentLength();
        if (declared > maxResponseBytes) {
            throw tooLarge(url);
        }
        try (InputStream in = body.byteStream()) {
            byte[] bytes = in.readNBytes((int) maxResponseBytes + 1);
            if (bytes.length > maxResponseBytes) {
                throw tooLarge(url);
            }
            return bytes;
        }
    }

    private CollateralException tooLarge(String url) {
        return new CollateralException(Reason.COLLATERAL_INVALID,
                "response from " + url + " exceeds the limit of " + maxResponseBytes + " bytes");
    }

    /**
     * Options for a {@link CollateralFetcher}. Not thread-safe; {@link #build()} copies everything, so a builder can
     * be reused.
     */
    public static final class Builder {
        private OkHttpClient client;
        private Duration connectTimeout = Duration.ofSeconds(10);
        private Duration readTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(60);
        private int maxAttempts = 4;
        private Duration initialBackoff = Duration.ofMillis(500);
        private Duration maxBackoff = Duration.ofSeconds(30);
        private Duration maxRetryAfter = Duration.ofSeconds(60);
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Thread::sleep;
        private Path cacheDirectory;
        private boolean offline;
        private long maxResponseBytes = DEFAULT_MAX_RESPONSE_BYTES;
        private int maxMemoryEntries = 1024;
        private final Map<String, CollateralResponse> preloaded = new ConcurrentHashMap<>();

        private Builder() {
        }

        /**
         * Uses this client (its timeouts, proxy, TLS and interceptors) instead of the default one. The timeout options
         * below then do not apply.
         *
         * @param client the client to use; not null, kept (not copied)
         * @return this builder
         */
        public Builder httpClient(OkHttpClient client) {
            this.client = Objects.requireNonNull(client, "client");
            return this;
        }

        /**
         * Connect timeout of the default client (default 10 s).
         *
         * @param timeout the connect timeout; positive, not null
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code timeout} is zero or negative
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Read timeout of the default client (default 30 s).
         *
         * @param timeout the read timeout; positive, not null
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code timeout} is zero or negative
         */
        public Builder readTimeout(Duration timeout) {
            this.readTimeout = positive(timeout, "readTimeout");
            return this;
        }

        /**
         * Whole-call timeout of the default client, per attempt (default 60 s).
         *
         * @param timeout the timeout of one whole attempt; positive, not null
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code timeout} is zero or negative
         */
        public Builder callTimeout(Duration timeout) {
            this.callTimeout = positive(timeout, "callTimeout");
            return this;
        }

        /**
         * Requests per fetch, the first included (default 4, at least 1).
         *
         * @param maxAttempts the number of requests per fetch, 1 to 100
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code maxAttempts} is outside 1..100
         */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 100) {
                throw new ConfigurationException(Reason.CONFIGURATION, "maxAttempts must be 1..100");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        /**
         * The backoff before the second attempt, doubled for each later one (default 500 ms).
         *
         * @param backoff the first backoff; zero or more, not null, at most {@link #maxBackoff(Duration)}
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code backoff} is negative
         */
        public Builder initialBackoff(Duration backoff) {
            this.initialBackoff = nonNegative(backoff, "initialBackoff");
            return this;
        }

        /**
         * The largest backoff between attempts (default 30 s).
         *
         * @param backoff the backoff cap; zero or more, not null
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code backoff} is negative
         */
        public Builder maxBackoff(Duration backoff) {
            this.maxBackoff = nonNegative(backoff, "maxBackoff");
            return this;
        }

        /**
         * The longest wait a {@code Retry-After} header can impose (default 60 s).
         *
         * @param max the cap on a server-requested wait; zero or more, not null
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code max} is negative
         */
        public Builder maxRetryAfter(Duration max) {
            this.maxRetryAfter = nonNegative(max, "maxRetryAfter");
            return this;
        }

        /**
         * The clock that decides expiry (default system UTC).
         *
         * @param clock the clock for cache expiry and preload timestamps; not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * How to wait between attempts (default {@link Thread#sleep(Duration)}).
         *
         * @param sleeper the waiting strategy between attempts; not null
         * @return this builder
         */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /**
         * Enables the disk cache in this directory (created on first write). Default: memory cache only.
         *
         * @param dir the cache directory; not null, need not exist yet
         * @return this builder
         */
        public Builder cacheDirectory(Path dir) {
            this.cacheDirectory = Objects.requireNonNull(dir, "dir");
            return this;
        }

        /**
         * Never touch the network; answer from preloaded and cached collateral only (default false).
         *
         * @param offline true to never use the network
         * @return this builder
         */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * The largest accepted response body (default 16 MiB, at most 1 GiB).
         *
         * @param max the body limit in bytes, 1 to 1 GiB
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code max} is outside 1 byte..1 GiB
         */
        public Builder maxResponseBytes(long max) {
            if (max < 1 || max > MAX_ALLOWED_RESPONSE_BYTES) {
                throw new ConfigurationException(Reason.CONFIGURATION, "maxResponseBytes must be 1..1 GiB");
            }
            this.maxResponseBytes = max;
            return this;
        }

        /**
         * The most entries the memory cache holds; the least recently used goes first (default 1024).
         *
         * @param max the memory cache capacity in entries; at least 1
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code max} is less than 1
         */
        public Builder maxMemoryEntries(int max) {
            if (max < 1) {
                throw new ConfigurationException(Reason.CONFIGURATION, "maxMemoryEntries must be positive");
            }
            this.maxMemoryEntries = max;
            return this;
        }

        /**
         * Preloads collateral for a URL that never expires.
         *
         * @param url the absolute http(s) URL the bytes answer; normalized as a cache key
         * @param body the collateral bytes; not null, copied, at most {@link #maxResponseBytes(long)} long
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the body is too large or the URL is not
         *     an absolute http(s) URL
         */
        public Builder preload(String url, byte[] body) {
            return preload(url, body, Instant.MAX);
        }

        /**
         * Preloads collateral for a URL: fetches of that URL return these bytes (source
         * {@link CollateralResponse.Source#PRELOADED}) until {@code expiresAt}, online or offline, whatever the
         * request's cache policy. The request's validator still checks them.
         *
         * @param url the absolute http(s) URL the bytes answer; normalized as a cache key
         * @param body the collateral bytes; not null, copied, at most {@link #maxResponseBytes(long)} long
         * @param expiresAt the instant the preloaded copy stops being served; not null, {@link Instant#MAX} for never
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the body is too large or the URL is not
         *     an absolute http(s) URL
         */
        public Builder preload(String url, byte[] body, Instant expiresAt) {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(expiresAt, "expiresAt");
            if (body.length > maxResponseBytes) {
                throw new ConfigurationException(Reason.CONFIGURATION, "preloaded collateral for " + url
                        + " exceeds maxResponseBytes");
            }
            String normalized = CollateralRequest.normalize(url);
            Instant at = clock.instant();
            preloaded.put(normalized, new CollateralResponse(normalized, 200, body, Map.of(),
                    at.isBefore(expiresAt) ? at : expiresAt, expiresAt, CollateralResponse.Source.PRELOADED));
            return this;
        }

        /**
         * Preloads every entry of a bundle directory (see the class comment for the {@value #BUNDLE_INDEX} format).
         *
         * @param dir the bundle directory holding {@value #BUNDLE_INDEX} and the files it names; not null
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the index is missing or malformed, a file
         *     is missing, too large, or outside the directory
         */
        public Builder preloadDirectory(Path dir) {
            Objects.requireNonNull(dir, "dir");
            try {
                Path root = dir.toRealPath();
                Path index = root.resolve(BUNDLE_INDEX);
                JsonNode json = new ObjectMapper().readTree(Files.readAllBytes(index));
                if (json == null || json.path("version").asInt(-1) != 1 || !json.path("entries").isArray()) {
                    throw bad(dir, "index must be {\"version\":1,\"entries\":[...]}");
                }
                for (JsonNode e : json.path("entries")) {
                    String url = e.path("url").asText(null);
                    String file = e.path("file").asText(null);
                    if (url == null || file == null) {
                        throw bad(dir, "every entry needs \"url\" and \"file\"");
                    }
                    Path p = root.resolve(file).normalize();
                    if (!p.startsWith(root) || !Files.isRegularFile(p) || !p.toRealPath().startsWith(root)) {
                        throw bad(dir, "entry file " + file + " is missing or outside the bundle");
                    }
                    if (Files.size(p) > maxResponseBytes) {
                        throw bad(dir, "entry file " + file + " exceeds maxResponseBytes");
                    }
                    Instant expiresAt = e.hasNonNull("expiresAt") ? Instant.parse(e.get("expiresAt").asText())
                            : Instant.MAX;
                    preload(url, Files.readAllBytes(p), expiresAt);
                }
                return this;
            } catch (IOException | DateTimeParseException e) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "cannot read collateral bundle " + dir + ": " + e.getClass().getSimpleName(), e);
            }
        }

        private static ConfigurationException bad(Path dir, String detail) {
            return new ConfigurationException(Reason.CONFIGURATION, "collateral bundle " + dir + ": " + detail);
        }

        /**
         * The fetcher.
         *
         * @return a new fetcher with this builder's settings; later builder changes do not affect it
         * @throws ConfigurationException if {@code initialBackoff > maxBackoff}
         */
        public CollateralFetcher build() {
            if (initialBackoff.compareTo(maxBackoff) > 0) {
                throw new ConfigurationException(Reason.CONFIGURATION, "initialBackoff exceeds maxBackoff");
            }
            return new CollateralFetcher(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new ConfigurationException(Reason.CONFIGURATION, name + " must be positive");
            }
            return d;
        }

        private static Duration nonNegative(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative()) {
                throw new ConfigurationException(Reason.CONFIGURATION, name + " must not be negative");
            }
            return d;
        }
    }
}
