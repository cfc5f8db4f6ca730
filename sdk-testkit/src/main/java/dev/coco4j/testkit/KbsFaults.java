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
    private final AtomicInteger drop = new AtomicInteger();
    private final AtomicInteger partial = new AtomicInteger();
    private final AtomicInteger slow = new AtomicInteger();
    private final AtomicInteger duplicateCookie = new AtomicInteger();
    private volatile Duration delay = Duration.ZERO;
    private volatile Duration slowChunkDelay = Duration.ZERO;

    KbsFaults() {
    }

    /**
     * The next {@code n} requests, of any kind, are answered 503 with no body and are not processed.
     *
     * @param n how many requests to affect, 0 or more; replaces any count still armed (0 disarms this fault)
     * @return this handle, for chaining
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public KbsFaults serviceUnavailable(int n) {
        unavailable.set(nonNegative(n));
        return this;
    }

    /**
     * Every response is delayed by {@code delay} until {@link #reset()} (or a zero delay).
     *
     * @param delay how long to wait before each response, not null, zero or positive; {@link Duration#ZERO} stops
     *     delaying
     * @return this handle, for chaining
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public KbsFaults delayResponses(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative");
        }
        this.delay = delay;
        return this;
    }

    /**
     * The next {@code n} successful {@code /auth}, {@code /attest} or resource responses have a body that is not
     * JSON.
     *
     * @param n how many successful responses to affect, 0 or more; replaces any count still armed (0 disarms this
     *     fault)
     * @return this handle, for chaining
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public KbsFaults malformedJson(int n) {
        malformed.set(nonNegative(n));
        return this;
    }

    /**
     * The next {@code n} released resources carry a JWE whose authentication tag has been altered.
     *
     * @param n how many resource releases to affect, 0 or more; replaces any count still armed (0 disarms this fault)
     * @return this handle, for chaining
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public KbsFaults corruptJweTag(int n) {
        corruptTag.set(nonNegative(n));
        return this;
    }

    /**
     * The next {@code n} released resources are encrypted to a fresh key that is not the attested TEE key.
     *
     * @param n how many resource releases to affect, 0 or more; replaces any count still armed (0 disarms this fault)
     * @return this handle, for chaining
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public KbsFaults encryptToOtherKey(int n) {
        otherKey.set(nonNegative(n));
        return this;
    }

    /**
     * The next {@code n} challenges carry a nonce other than the one the session expects, so evidence bound to the
     * challenge is refused at {@code /attest} (as a replayed or confused client's would be).
     *
     * @param n how many {@code /auth} challenges to affect, 0 or more; replaces any count still armed (0 disarms this
     *     fault)
     * @return this handle, for chaining
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public KbsFaults wrongNonceInChallenge(int n) {
        wrongNonce.set(nonNegative(n));
        return this;
    }

    /**
     * The next {@code n} requests, of any kind, are read and then answered with nothing: the server closes the
     * connection without a status line (a dropped connection, as a crashing or overloaded server produces).
     *
     * @param n how many requests to affect, 0 or more; replaces any count still armed (0 disarms this fault)
     * @return this handle, for chaining
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public KbsFaults dropConnections(int n) {
        drop.set(nonNegative(n));
        return this;
    }

    /**
     * The next {@code n} JSON responses (challenges, tokens, resources, errors) announce their full
     * {@code Content-Length} but only the first half of the body is sent before the connection is closed.
     *
     * @param n how many JSON responses to affect, 0 or more; replaces any count still armed (0 disarms this fault)
     * @return this handle, for chaining
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public KbsFaults partialBodies(int n) {
        partial.set(nonNegative(n));
        return this;
    }

    /**
     * The next {@code n} JSON responses send their body in 8 chunks with {@code chunkDelay} before each (headers
     * first), so the whole body takes {@code 8 × chunkDelay}: a slow or stalling server.
     *
     * @param n how many JSON responses to affect, 0 or more; replaces any count still armed (0 disarms this fault)
     * @param chunkDelay the pause before each of the 8 chunks, not null, zero or positive; it applies to every slow
     *     body still to come
     * @return this handle, for chaining
     * @throws IllegalArgumentException if {@code n} or {@code chunkDelay} is negative
     */
    public KbsFaults slowBodies(int n, Duration chunkDelay) {
        Objects.requireNonNull(chunkDelay, "chunkDelay");
        if (chunkDelay.isNegative()) {
            throw new IllegalArgumentException("chunkDelay must not be negative");
        }
        slowChunkDelay = chunkDelay;
        slow.set(nonNegative(n));
        return this;
    }

    /**
     * The next {@code n} {@code /auth} responses set a second {@code kbs-session-id} cookie, with a random value the
     * KBS does not know, after the real one (an ambiguous session, as a confused proxy or a cookie injection produces).
     *
     * @param n how many {@code /auth} responses to affect, 0 or more; replaces any count still armed (0 disarms this
     *     fault)
     * @return this handle, for chaining
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public KbsFaults duplicateSessionCookies(int n) {
        duplicateCookie.set(nonNegative(n));
        return this;
    }

    /**
     * Disarms every fault.
     *
     * @return this handle, for chaining; every count is 0 and both delays are {@link Duration#ZERO} afterwards
     */
    public KbsFaults reset() {
        drop.set(0);
        partial.set(0);
        slow.set(0);
        duplicateCookie.set(0);
        slowChunkDelay = Duration.ZERO;
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

    boolean takeDrop() {
        return take(drop);
    }

    boolean takePartial() {
        return take(partial);
    }

    boolean takeSlow() {
        return take(slow);
    }

    boolean takeDuplicateCookie() {
        return take(duplicateCookie);
    }

    Duration slowChunkDelay() {
        return slowChunkDelay;
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
                + corruptTag.get() + ", otherKey=" + otherKey.get() + ", wrongNonce=" + wrongNonce.get() + ", drop=" + drop.get() + ", partial=" + partial.get() + ", slow="
                + slow.get() + ", duplicateCookie=" + duplicateCookie.get() + ", delay=" + delay + "]";
    }
}
