package dev.coco4j.core.internal;

import dev.coco4j.core.CollateralException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.core.collateral.RetryAfter;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * One HTTP exchange with retries, shared by the collateral fetcher and the service clients of the coco4j modules.
 *
 * <p>HTTP 429, 5xx, connection failures, timeouts and any {@link IOException} from the handler (a body that breaks
 * off) are retried up to {@code maxAttempts} requests in all, waiting what {@code Retry-After} asks for (capped at
 * {@code maxRetryAfter}) or an exponential backoff from {@code initialBackoff} up to {@code maxBackoff}, with jitter
 * (half of the step plus a random part). Every other status goes to the caller's {@link Handler}, which turns it into
 * a result or a typed exception. When the attempts run out, or the wait is interrupted,
 * {@link Reason#SERVICE_UNAVAILABLE}. Logs name the method, URL, status, attempt and timings only, never headers or
 * bodies, so credentials in the request never reach a log or a message. Immutable and thread-safe.
 */
public final class RetryingHttp {
    private final OkHttpClient client;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxRetryAfter;
    private final Clock clock;
    private final CollateralFetcher.Sleeper sleeper;
    private final System.Logger log;

    /**
     * Reads a response that is not retried (any status but 429 and 5xx) into a result or a typed exception.
     *
     * @param <T> the result
     */
    @FunctionalInterface
    public interface Handler<T> {
        /**
         * Handles the response of one attempt.
         *
         * @param response the response (closed by the caller afterwards)
         * @param attempt the attempt, from 1
         * @param elapsedMillis how long the request took until the response headers arrived
         * @return the result of the exchange
         * @throws IOException to have the attempt counted as failed and retried
         */
        T handle(Response response, int attempt, long elapsedMillis) throws IOException;
    }

    /**
     * An executor.
     *
     * @param client the HTTP client every attempt goes through
     * @param maxAttempts requests in all, including the first (at least 1)
     * @param initialBackoff the first wait without {@code Retry-After}, doubled per attempt
     * @param maxBackoff the longest backoff step
     * @param maxRetryAfter the longest wait a {@code Retry-After} can impose
     * @param clock the clock an HTTP-date {@code Retry-After} is read against
     * @param sleeper how to wait between attempts
     * @param log where attempts are logged (the caller's logger, so logs keep their source)
     */
    public RetryingHttp(OkHttpClient client, int maxAttempts, Duration initialBackoff, Duration maxBackoff,
            Duration maxRetryAfter, Clock clock, CollateralFetcher.Sleeper sleeper, System.Logger log) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        this.client = Objects.requireNonNull(client, "client");
        this.maxAttempts = maxAttempts;
        this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
        this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
        this.maxRetryAfter = Objects.requireNonNull(maxRetryAfter, "maxRetryAfter");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        this.log = Objects.requireNonNull(log, "log");
    }

    /**
     * Requests in all, including the first.
     *
     * @return at least 1
     */
    public int maxAttempts() {
        return maxAttempts;
    }

    /**
     * Sends the request until the handler accepts a response or the attempts run out.
     *
     * @param <T> the result
     * @param request the request, sent as is on every attempt
     * @param handler what to make of the first response that is not retried
     * @return what the handler made of the first response that is neither 429 nor 5xx
     * @throws CollateralException {@link Reason#SERVICE_UNAVAILABLE} when every attempt failed or the wait between
     *     two was interrupted; whatever the handler throws otherwise (except {@link IOException}, which is retried)
     */
    public <T> T execute(Request request, Handler<T> handler) {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(handler, "handler");
        String what = request.method() + " " + request.url();
        String lastProblem = "no attempt";
        IOException lastCause = null;
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Duration retryAfter = null;
            long started = System.nanoTime();
            try (Response response = client.newCall(request).execute()) {
                int code = response.code();
                if (code != 429 && code < 500) {
                    return handler.handle(response, attempt, (System.nanoTime() - started) / 1_000_000);
                }
                lastProblem = "HTTP " + code;
                lastCause = null;
                retryAfter = RetryAfter.parse(response.header("Retry-After"), clock.instant()).orElse(null);
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName();
                lastCause = e;
            }
            if (attempt == maxAttempts) {
                break;
            }
            Duration wait = retryAfter != null ? min(retryAfter, maxRetryAfter) : backoff(attempt);
            int n = attempt;
            String problem = lastProblem;
            log.log(Level.INFO, () -> what + " failed (" + problem + ", attempt " + n + " of " + maxAttempts
                    + "); retrying in " + wait.toMillis() + " ms");
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CollateralException(Reason.SERVICE_UNAVAILABLE, "interrupted while waiting to retry " + what,
                        e);
            }
        }
        String problem = lastProblem;
        log.log(Level.WARNING, () -> what + " failed after " + maxAttempts + " attempts: " + problem);
        throw new CollateralException(Reason.SERVICE_UNAVAILABLE,
                what + " failed after " + maxAttempts + " attempts; last: " + lastProblem, lastCause);
    }

    /** The backoff before attempt {@code attempt + 1}: half the step plus up to the other half at random. */
    Duration backoff(int attempt) {
        long base = initialBackoff.toMillis();
        long cap = maxBackoff.toMillis();
        int shift = Math.min(attempt - 1, 30);
        long exp = base > (cap >> shift) ? cap : Math.min(cap, base << shift);
        if (exp <= 0) {
            return Duration.ZERO;
        }
        long half = exp / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(exp - half + 1));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
