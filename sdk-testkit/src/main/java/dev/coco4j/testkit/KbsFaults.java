package dev.coco4j.testkit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fault injection for client tests: the embedded KBS misbehaves on purpose, in explicit, countable ways, so a test can
 * check that a client fails closed (or retries) as it should. Obtained from {@link EmbeddedKbs#faults()}; every
 * method arms a fault and returns this handle, and {@link #reset()} disarms everything. Counted faults ("next N")
 * are consumed by the requests they apply to, in arrival order. Thread-safe.
 *
 * <p>Faults never make the KBS <em>less</em> strict: a fault can break a response, never turn a refusal into a release.
 * For development and tests, not production.
 */
public final class KbsFaults {
    private final AtomicInteger unavailable = new AtomicInteger();
    private final AtomicInteger malformed = new AtomicInteger();
    private final AtomicInteger corruptTag = new AtomicInteger();
    private final AtomicInteger otherKey = new AtomicInteger();
    private final AtomicInteger wrongNonce = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;

    KbsFaults() {
    }

    /** The next {@code n} requests, of any kind, are answered 503 with no body and are not processed. */
    public KbsFaults serviceUnavailable(int n) {
        unavailable.set(nonNegative(n));
        return this;
    }

    /** Every response is delayed by {@code delay} until {@link #reset()} (or a zero delay). */
    public KbsFaults delayResponses(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        this.delay = delay;
        return this;
    }

    /** The next {@code n} successful {@code /auth}, {@code /attest} or resource responses have a body that is not JSON. */
    public KbsFaults malformedJson(int n) {
        malformed.set(nonNegative(n));
        return this;
    }

    /** The next {@code n} released resources carry a JWE whose authentication tag has been altered. */
    public KbsFaults corruptJweTag(int n) {
        corruptTag.set(nonNegative(n));
        return this;
    }

    /** The next {@code n} released resources are encrypted to a fresh key that is not the attested TEE key. */
    public KbsFaults encryptToOtherKey(int n) {
        otherKey.set(nonNegative(n));
        return this;
    }

    /**
     * The next {@code n} challenges carry a nonce other than the one the session expects, so evidence bound to the
     * challenge is refused at {@code /attest} (as a replayed or confused client's would be).
     */
    public KbsFaults wrongNonceInChallenge(int n) {
        wrongNonce.set(nonNegative(n));
        return this;
    }

    /** Disarms every fault. */
    public KbsFaults reset() {
        unavailable.set(0);
        malformed.set(0);
        corruptTag.set(0);
        otherKey.set(0);
        wrongNonce.set(0);
        delay = Duration.ZERO;
        return this;
    }

    boolean takeUnavailable() {
        return take(unavailable);
    }

    boolean takeMalformed() {
        return take(malformed);
    }

    boolean takeCorruptTag() {
        return take(corruptTag);
    }

    boolean takeOtherKey() {
        return take(otherKey);
    }

    boolean takeWrongNonce() {
        return take(wrongNonce);
    }

    Duration delay() {
        return delay;
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0;
    }

    private static int nonNegative(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("count must not be negative");
        }
        return n;
    }

    @Override
    public String toString() {
        return "KbsFaults[unavailable=" + unavailable.get() + ", malformed=" + malformed.get() + ", corruptTag="
                + corruptTag.get() + ", otherKey=" + otherKey.get() + ", wrongNonce=" + wrongNonce.get() + ", delay="
                + delay + "]";
    }
}
