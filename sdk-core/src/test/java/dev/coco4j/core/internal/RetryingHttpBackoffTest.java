package dev.coco4j.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import okhttp3.OkHttpClient;

class RetryingHttpBackoffTest {
    private static final OkHttpClient CLIENT = new OkHttpClient();

    @Property(tries = 300)
    void backoffIsHalfToAllOfTheCappedDoubling(@ForAll @IntRange(min = 1, max = 100) int attempt,
            @ForAll @LongRange(min = 0, max = 120_000) long initialMs, @ForAll @LongRange(min = 0, max = 120_000)
            long capMs) {
        RetryingHttp http = new RetryingHttp(CLIENT, 3, Duration.ofMillis(initialMs), Duration.ofMillis(capMs),
                Duration.ofSeconds(60), Clock.systemUTC(), d -> { }, System.getLogger("test"));
        // the step doubles per attempt (the shift stops at 30) and never passes the cap
        long step = Math.min(capMs, initialMs << Math.min(attempt - 1, 30));
        Duration wait = http.backoff(attempt);
        assertThat(wait.toMillis()).isBetween(step / 2, step);
    }
}
