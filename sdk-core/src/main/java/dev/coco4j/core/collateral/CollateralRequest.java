package dev.coco4j.core.collateral;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import okhttp3.HttpUrl;

/**
 * One GET of collateral: the URL (the cache key), the {@link CachePolicy}, extra request headers, the response headers
 * to keep, whether the request may touch the network, and an optional body validator. Immutable; build it with
 * {@link #builder(String)} or {@link #of(String, CachePolicy)}.
 *
 * <p>Request header values (which may hold API keys) never appear in {@link #toString()}, logs or exception messages.
 *
 * @param url the absolute {@code http} or {@code https} URL, normalized
 * @param cachePolicy how long the answer may be served from the cache
 * @param headers extra request headers, sent as given
 * @param keepHeaders names (lower case) of response headers to keep in addition to {@link #DEFAULT_KEPT_HEADERS}
 * @param offline true if this request must be answered from preloaded or cached collateral only
 * @param validator checks a body before it is returned or cached; throwing refuses the body
 */
public record CollateralRequest(String url, CachePolicy cachePolicy, Map<String, String> headers,
        Set<String> keepHeaders, boolean offline, BodyValidator validator) {

    /** Response headers every response keeps (lower case). */
    public static final Set<String> DEFAULT_KEPT_HEADERS =
            Set.of("content-type", "etag", "last-modified", "cache-control", "expires", "date");

    /**
     * Checks a body before the fetcher returns or caches it (fresh, from disk, or preloaded). A body that fails is
     * never cached: from the network the failure propagates (a {@link dev.coco4j.core.CocoException} as is, anything
     * else as {@link Reason#COLLATERAL_INVALID}); a failing disk-cache entry is ignored and fetched again.
     */
    @FunctionalInterface
    public interface BodyValidator {
        /**
         * Throws if the body is not acceptable collateral.
         *
         * @param body the body bytes; not to be modified
         */
        void check(byte[] body);

        /**
         * Accepts every body.
         *
         * @return a validator that never throws
         */
        static BodyValidator acceptAll() {
            return body -> {
            };
        }
    }

    /** Validates and normalizes the URL, copies the maps. */
    public CollateralRequest {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(cachePolicy, "cachePolicy");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(keepHeaders, "keepHeaders");
        Objects.requireNonNull(validator, "validator");
        url = normalize(url);
        headers = Map.copyOf(headers);
        TreeSet<String> keep = new TreeSet<>();
        keepHeaders.forEach(h -> keep.add(h.toLowerCase(Locale.ROOT)));
        keepHeaders = Set.copyOf(keep);
    }

    /**
     * A plain request for {@code url} with a cache policy.
     *
     * @param url the absolute http(s) URL to fetch; not null
     * @param cachePolicy how long the answer may be cached; not null
     * @return the request, with default headers, validator and online mode
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the URL is not an absolute http(s) URL
     */
    public static CollateralRequest of(String url, CachePolicy cachePolicy) {
        return builder(url).cachePolicy(cachePolicy).build();
    }

    /**
     * A builder for a request of {@code url}; the default policy is {@link CachePolicy#none()}.
     *
     * @param url the absolute http(s) URL to fetch; not null (checked by {@link Builder#build()})
     * @return a new builder
     */
    public static Builder builder(String url) {
        return new Builder(url);
    }

    /** The canonical form of an http(s) URL, as used for cache keys. */
    static String normalize(String url) {
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) {
            throw new ConfigurationException(Reason.CONFIGURATION, "not an absolute http(s) URL: " + url);
        }
        return parsed.toString();
    }

    /** Names the URL and policy; header values are not shown. */
    @Override
    public String toString() {
        return "CollateralRequest[" + url + ", " + cachePolicy.getClass().getSimpleName() + ", headers="
                + headers.keySet() + (offline ? ", offline" : "") + "]";
    }

    /** Builds a {@link CollateralRequest}. Not thread-safe. */
    public static final class Builder {
        private final String url;
        private CachePolicy cachePolicy = CachePolicy.none();
        private final Map<String, String> headers = new LinkedHashMap<>();
        private final Set<String> keepHeaders = new TreeSet<>();
        private boolean offline;
        private BodyValidator validator = BodyValidator.acceptAll();

        private Builder(String url) {
            this.url = Objects.requireNonNull(url, "url");
        }

        /**
         * How long the answer may be cached (default: not cached).
         *
         * @param policy the cache policy; not null
         * @return this builder
         */
        public Builder cachePolicy(CachePolicy policy) {
            this.cachePolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * Adds a request header (e.g. {@code Accept} or an API key); its value is never logged.
         *
         * @param name the header name; not null
         * @param value the header value; not null, kept out of logs and exceptions
         * @return this builder
         */
        public Builder header(String name, String value) {
            headers.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /**
         * Keeps a response header in the response (and the disk cache), in addition to the defaults.
         *
         * @param name the response header name, any case; not null
         * @return this builder
         */
        public Builder keepHeader(String name) {
            keepHeaders.add(Objects.requireNonNull(name, "name"));
            return this;
        }

        /**
         * Answer only from preloaded or cached collateral; never touch the network (default false).
         *
         * @param offline true to never use the network for this request
         * @return this builder
         */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * Checks each body before it is returned or cached (default: accept all).
         *
         * @param validator the check applied to every body; not null
         * @return this builder
         */
        public Builder validator(BodyValidator validator) {
            this.validator = Objects.requireNonNull(validator, "validator");
            return this;
        }

        /**
         * The request.
         *
         * @return a new immutable request; header maps are copied
         * @throws ConfigurationException if the URL is not an absolute http(s) URL
         */
        public CollateralRequest build() {
            return new CollateralRequest(url, cachePolicy, headers, keepHeaders, offline, validator);
        }
    }
}
