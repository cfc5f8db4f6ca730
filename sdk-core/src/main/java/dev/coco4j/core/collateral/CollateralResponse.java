package dev.coco4j.core.collateral;

import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A successfully fetched piece of collateral. Immutable: the body is copied in and out, header names are lower-case.
 * Only 2xx answers ever become a {@code CollateralResponse}; it says nothing about whether the body is authentic, which
 * the verifier checks (signatures, chains) every time, also for cached copies.
 *
 * @param url the normalized URL the collateral was fetched from (also the cache key)
 * @param status the HTTP status of the answer that produced the body (2xx; 200 for preloaded collateral)
 * @param body the body bytes (a copy)
 * @param headers the response headers the request asked to keep, names in lower case
 * @param fetchedAt when the body was fetched from the network (or preloaded)
 * @param expiresAt until when the fetcher serves this copy from its cache; {@link Instant#MAX} means forever, and a
 *     value equal to {@code fetchedAt} means the copy was not cached
 * @param source where this answer came from
 */
public record CollateralResponse(String url, int status, byte[] body, Map<String, String> headers,
        Instant fetchedAt, Instant expiresAt, Source source) {

    /** Where a response came from. */
    public enum Source {
        /** Fetched from the network for this call. */
        NETWORK,
        /** Served from the in-memory cache. */
        MEMORY_CACHE,
        /** Served from the on-disk cache. */
        DISK_CACHE,
        /** Served from collateral preloaded into the fetcher (bytes or a bundle directory). */
        PRELOADED
    }

    /** Copies the body and headers; header names are lower-cased. */
    public CollateralResponse {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(body, "body");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(fetchedAt, "fetchedAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(source, "source");
        body = body.clone();
        TreeMap<String, String> h = new TreeMap<>();
        headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), Objects.requireNonNull(v, "header value")));
        headers = Map.copyOf(h);
    }

    /**
     * A copy of the body.
     *
     * @return a new array with the body bytes
     */
    @Override
    public byte[] body() {
        return body.clone();
    }

    /**
     * The body length in bytes, without copying the body.
     *
     * @return the number of body bytes
     */
    public int bodyLength() {
        return body.length;
    }

    /**
     * A kept response header by case-insensitive name.
     *
     * @param name the header name, any case; not null
     * @return the header value, or empty if the header was absent or not kept
     */
    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
    }

    /**
     * True if the response was served from the memory or disk cache or from preloaded collateral.
     *
     * @return true unless {@link #source()} is {@link Source#NETWORK}
     */
    public boolean fromCache() {
        return source != Source.NETWORK;
    }

    /**
     * True if a cached copy would no longer be served at {@code now}.
     *
     * @param now the instant to test; not null
     * @return true if {@code now} is at or after {@link #expiresAt()}
     */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** The same response, marked as coming from another source. */
    CollateralResponse withSource(Source newSource) {
        return new CollateralResponse(url, status, body, headers, fetchedAt, expiresAt, newSource);
    }

    /** The same response with another expiry. */
    CollateralResponse withExpiresAt(Instant newExpiry) {
        return new CollateralResponse(url, status, body, headers, fetchedAt, newExpiry, source);
    }

    /** Internal access to the body without a copy, for the fetcher's own cache writes. */
    byte[] bodyNoCopy() {
        return body;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CollateralResponse r && status == r.status && url.equals(r.url)
                && Arrays.equals(body, r.body) && headers.equals(r.headers) && fetchedAt.equals(r.fetchedAt)
                && expiresAt.equals(r.expiresAt) && source == r.source;
    }

    @Override
    public int hashCode() {
        return Objects.hash(url, status, Arrays.hashCode(body), headers, fetchedAt, expiresAt, source);
    }

    /** Describes the response without its body. */
    @Override
    public String toString() {
        return "CollateralResponse[" + url + " status=" + status + " " + body.length + " bytes from " + source
                + ", fetchedAt=" + fetchedAt + ", expiresAt=" + (Instant.MAX.equals(expiresAt) ? "never" : expiresAt)
                + "]";
    }
}
