package dev.coco4j.core.collateral;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Parses an HTTP {@code Retry-After} value: delta-seconds or an HTTP-date (RFC 9110 §10.2.3). Used by
 * {@link CollateralFetcher} and by coco4j's other HTTP clients that retry (e.g. NVIDIA's attestation service client),
 * so every client honours the header the same way.
 */
public final class RetryAfter {
    private static final Duration LONGEST = Duration.ofDays(365);

    private RetryAfter() {
    }

    /**
     * The wait the value asks for, relative to {@code now}; a date in the past gives zero. Empty if absent or not
     * parseable (the caller then uses its own backoff). Waits are capped at 365 days; callers cap them further.
     *
     * @param value the header value, or null
     * @param now the current instant, for HTTP-dates
     * @return the wait asked for, if any
     */
    public static Optional<Duration> parse(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (v.length() > 9) {
                return Optional.of(LONGEST);
            }
            Duration d = Duration.ofSeconds(Long.parseLong(v));
            return Optional.of(d.compareTo(LONGEST) > 0 ? LONGEST : d);
        }
        try {
            Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration d = Duration.between(now, at);
            if (d.isNegative()) {
                return Optional.of(Duration.ZERO);
            }
            return Optional.of(d.compareTo(LONGEST) > 0 ? LONGEST : d);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
