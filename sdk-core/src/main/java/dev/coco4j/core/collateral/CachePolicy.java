package dev.coco4j.core.collateral;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How long a fetched piece of collateral may be served from the cache. The caller chooses one per
 * {@link CollateralRequest}; the policy decides the response's {@link CollateralResponse#expiresAt() expiry} and
 * whether the response is stored at all. A cached copy is served only while the clock is strictly before its expiry.
 * Non-2xx answers are never cached, whatever the policy.
 *
 * <p>The policies are immutable values: {@link NoCache} (never stored, never read from the cache), {@link Ttl} (a
 * duration from the fetch instant), {@link Until} (an absolute instant), {@link Immutable} (forever, for content
 * addressed by its URL such as an AMD VCEK for one chip and TCB) and {@link Computed} (a function of the fresh
 * response, e.g. a CRL's or TCB info's {@code nextUpdate}).
 */
public sealed interface CachePolicy {

    /** Never stored and never read from the memory or disk cache (preloaded collateral is still used). */
    record NoCache() implements CachePolicy {
    }

    /**
     * Cached for a fixed time after the fetch.
     *
     * @param ttl a positive duration
     */
    record Ttl(Duration ttl) implements CachePolicy {
        /**
         * Checks the components.
         *
         * @throws IllegalArgumentException if the duration is not positive
         */
        public Ttl {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("ttl must be positive");
            }
        }
    }

    /**
     * Cached until an absolute instant; if that instant is not after the fetch, the response is not cached.
     *
     * @param expiresAt the instant the cached copy stops being served
     */
    record Until(Instant expiresAt) implements CachePolicy {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if the instant is null
         */
        public Until {
            Objects.requireNonNull(expiresAt, "expiresAt");
        }
    }

    /** Cached forever ({@link Instant#MAX}): the URL names content that never changes. */
    record Immutable() implements CachePolicy {
    }

    /**
     * The expiry is computed from the fresh response by a function. The function sees the response with
     * {@code expiresAt == fetchedAt}; it returns the expiry, or {@code null} to leave the response uncached. If it
     * throws, the response is refused (a {@link dev.coco4j.core.CocoException} passes through, anything else becomes a
     * {@link dev.coco4j.core.CollateralException} with {@link dev.coco4j.core.Reason#COLLATERAL_INVALID}).
     *
     * @param function computes the expiry
     */
    record Computed(ExpiryFunction function) implements CachePolicy {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if the function is null
         */
        public Computed {
            Objects.requireNonNull(function, "function");
        }
    }

    /** Computes the cache expiry of a freshly fetched response. */
    @FunctionalInterface
    interface ExpiryFunction {
        /**
         * The instant the response stops being served from the cache, or {@code null} to not cache it.
         *
         * @param fresh the response as fetched from the network
         * @return the expiry instant, or {@code null} to leave the response uncached
         */
        Instant expiresAt(CollateralResponse fresh);
    }

    /**
     * Never cache.
     *
     * @return the {@link NoCache} policy
     */
    static CachePolicy none() {
        return new NoCache();
    }

    /**
     * Cache for {@code ttl} after the fetch.
     *
     * @param ttl how long after the fetch the copy is served; positive, not null
     * @return a {@link Ttl} policy
     * @throws IllegalArgumentException if {@code ttl} is zero or negative
     */
    static CachePolicy ttl(Duration ttl) {
        return new Ttl(ttl);
    }

    /**
     * Cache until {@code expiresAt}.
     *
     * @param expiresAt the instant the cached copy stops being served; not null (an instant not after the fetch means
     *     not cached)
     * @return an {@link Until} policy
     */
    static CachePolicy until(Instant expiresAt) {
        return new Until(expiresAt);
    }

    /**
     * Cache forever.
     *
     * @return the {@link Immutable} policy
     */
    static CachePolicy immutable() {
        return new Immutable();
    }

    /**
     * Cache until the instant a function computes from the fresh response.
     *
     * @param function computes the expiry from the fresh response; not null
     * @return a {@link Computed} policy
     */
    static CachePolicy computed(ExpiryFunction function) {
        return new Computed(function);
    }
}
