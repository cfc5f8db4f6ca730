package dev.coco4j.kbs.internal;

import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Sends one HTTP request with bounded retries: connection failures, timeouts and 5xx answers are retried with
 * exponential backoff up to {@code maxAttempts}, then refused with {@link Reason#SERVICE_UNAVAILABLE}. TLS failures
 * are never retried ({@link Reason#TLS_UNTRUSTED}). Other statuses are returned for the caller to map.
 */
public final class Transport {
    private static final int MAX_BODY = 16 * 1024 * 1024;

    /**
     * A received answer.
     *
     * @param status the HTTP status, below 500 (5xx answers are retried, never returned)
     * @param headers the response headers
     * @param body the response body, at most 16 MiB, empty if there was none; the array is not copied
     */
    public record Answer(int status, Headers headers, byte[] body) {
    }

    private final OkHttpClient http;
    private final int maxAttempts;
    private final Duration backoff;

    /**
     * Creates the transport.
     *
     * @param http the OkHttp client the requests go through; not null, not closed by the transport
     * @param maxAttempts the total attempts per request; values below 1 are treated as 1
     * @param backoff the delay before the second attempt, doubled for each later one up to 64 times its value; not null
     */
    public Transport(OkHttpClient http, int maxAttempts, Duration backoff) {
        this.http = http;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.backoff = backoff;
    }

    /**
     * Executes {@code request}; {@code what} names the step in messages ("POST /kbs/v0/auth").
     *
     * @param request the request; sent again unchanged on a retry
     * @param what names the step in messages, e.g. {@code POST /kbs/v0/auth}; must not contain secrets
     * @return the first answer with a status below 500
     * @throws KeyReleaseException {@link Reason#TLS_UNTRUSTED} if the TLS handshake fails (never retried),
     *     {@link Reason#SERVICE_UNAVAILABLE} after {@code maxAttempts} 5xx answers, connection failures or timeouts, or
     *     when interrupted
     */
    public Answer execute(Request request, String what) {
        String last = "";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            if (attempt > 1) {
                sleep(backoff.multipliedBy(1L << Math.min(attempt - 2, 6)));
            }
            Call call = http.newCall(request);
            try (Response r = call.execute()) {
                ResponseBody b = r.body();
                byte[] body = b == null ? new byte[0] : readCapped(b);
                if (r.code() >= 500) {
                    last = "HTTP " + r.code();
                    continue;
                }
                return new Answer(r.code(), r.headers(), body);
            } catch (SSLException e) {
                throw new KeyReleaseException(Reason.TLS_UNTRUSTED,
                        what + ": TLS handshake with the KBS failed (" + e.getClass().getSimpleName() + ")", e);
            } catch (InterruptedIOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new KeyReleaseException(Reason.SERVICE_UNAVAILABLE, what + ": interrupted", e);
                }
                last = "timed out";
            } catch (IOException e) {
                if (e.getCause() instanceof SSLException ssl) {
                    throw new KeyReleaseException(Reason.TLS_UNTRUSTED, what + ": TLS handshake with the KBS failed",
                            ssl);
                }
                last = "connection failed (" + e.getClass().getSimpleName() + ")";
            }
        }
        throw new KeyReleaseException(Reason.SERVICE_UNAVAILABLE,
                what + ": KBS unavailable after " + maxAttempts + " attempt(s): " + last);
    }

    private static byte[] readCapped(ResponseBody b) throws IOException {
        long len = b.contentLength();
        if (len > MAX_BODY) {
            throw new IOException("response body too large");
        }
        byte[] bytes = b.bytes();
        if (bytes.length > MAX_BODY) {
            throw new IOException("response body too large");
        }
        return bytes;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KeyReleaseException(Reason.SERVICE_UNAVAILABLE, "interrupted while waiting to retry", e);
        }
    }
}
