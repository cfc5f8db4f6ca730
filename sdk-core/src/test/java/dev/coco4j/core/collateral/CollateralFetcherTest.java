package dev.coco4j.core.collateral;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollateralFetcherTest {
    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    private MockWebServer server;
    private MutableClock clock;
    private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @TempDir
    Path tmp;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        clock = new MutableClock(T0);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private CollateralFetcher.Builder fetcher() {
        return CollateralFetcher.builder().clock(clock).sleeper(sleeps::add)
                .initialBackoff(Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1));
    }

    private String url(String path) {
        return server.url(path).toString();
    }

    private static MockResponse ok(String body) {
        return new MockResponse().setResponseCode(200).setBody(body);
    }

    private static String text(CollateralResponse r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void retriesAfter429HonouringRetryAfterSeconds() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "2"));
        server.enqueue(ok("chain"));
        CollateralResponse r = fetcher().build().fetch(CollateralRequest.of(url("/c"), CachePolicy.none()));
        assertThat(text(r)).isEqualTo("chain");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.source()).isEqualTo(CollateralResponse.Source.NETWORK);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(2));
    }

    @Test
    void retryAfterHttpDateIsHonouredAndCapped() {
        String in5s = DateTimeFormatter.RFC_1123_DATE_TIME.format(T0.plusSeconds(5).atOffset(ZoneOffset.UTC));
        String in1h = DateTimeFormatter.RFC_1123_DATE_TIME.format(T0.plusSeconds(3600).atOffset(ZoneOffset.UTC));
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", in5s));
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", in1h));
        server.enqueue(ok("x"));
        CollateralResponse r = fetcher().maxRetryAfter(Duration.ofSeconds(30)).build()
                .fetch(CollateralRequest.of(url("/d"), CachePolicy.none()));
        assertThat(text(r)).isEqualTo("x");
        assertThat(sleeps).containsExactly(Duration.ofSeconds(5), Duration.ofSeconds(30));
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void serverErrorsUntilExhaustionGiveServiceUnavailableAfterExactlyMaxAttempts() {
        for (int i = 0; i < 5; i++) {
            server.enqueue(new MockResponse().setResponseCode(503).setBody("secret-body-text"));
        }
        CollateralFetcher f = fetcher().maxAttempts(3).build();
        assertThatThrownBy(() -> f.fetch(CollateralRequest.of(url("/e"), CachePolicy.ttl(Duration.ofHours(1)))))
                .isInstanceOfSatisfying(CollateralException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("HTTP 503").contains("3 attempts").contains("/e")
                            .doesNotContain("secret-body-text");
                });
        assertThat(server.getRequestCount()).isEqualTo(3);
        // exponential backoff with jitter: attempt n waits within [base/2, base], base = 100 ms * 2^(n-1)
        assertThat(sleeps).hasSize(2);
        assertThat(sleeps.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
        assertThat(sleeps.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
    }

    @Test
    void defaultMaxAttemptsIsFour() {
        for (int i = 0; i < 6; i++) {
            server.enqueue(new MockResponse().setResponseCode(500));
        }
        assertThatThrownBy(() -> fetcher().build().fetch(CollateralRequest.of(url("/f"), CachePolicy.none())))
                .isInstanceOfSatisfying(CollateralException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE));
        assertThat(server.getRequestCount()).isEqualTo(4);
        assertThat(sleeps).hasSize(3);
        assertThat(sleeps).allSatisfy(d -> assertThat(d).isLessThanOrEqualTo(Duration.ofSeconds(1)));
    }

    @Test
    void notFoundIsNotRetriedAndNamesStatusAndUrlButNotBody() {
        server.enqueue(new MockResponse().setResponseCode(404).setBody("secret-body-text"));
        server.enqueue(ok("must not be fetched"));
        String u = url("/vcek/v1/Milan/abc");
        assertThatThrownBy(() -> fetcher().build().fetch(CollateralRequest.of(u, CachePolicy.immutable())))
                .isInstanceOfSatisfying(CollateralException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("404").contains(u).doesNotContain("secret-body-text");
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void otherClientErrorsAreNotRetriedAndNotCached() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(403));
        server.enqueue(ok("later"));
        CollateralFetcher f = fetcher().build();
        CollateralRequest req = CollateralRequest.of(url("/g"), CachePolicy.immutable());
        assertThatThrownBy(() -> f.fetch(req)).isInstanceOfSatisfying(CollateralException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE));
        assertThat(server.getRequestCount()).isEqualTo(1);
        // the 403 was not cached: the next fetch asks again and gets the 200
        assertThat(text(f.fetch(req))).isEqualTo("later");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void readTimeoutsAreRetriedThenServiceUnavailable() {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        CollateralFetcher f = fetcher().maxAttempts(2).readTimeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(() -> f.fetch(CollateralRequest.of(url("/slow"), CachePolicy.none())))
                .isInstanceOfSatisfying(CollateralException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
                    assertThat(e.getCause()).isInstanceOf(IOException.class);
                });
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(sleeps).hasSize(1);
    }

    @Test
    void timeoutThenSuccessRecovers() throws Exception {
        server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        server.enqueue(ok("late but fine"));
        CollateralFetcher f = fetcher().maxAttempts(2).readTimeout(Duration.ofMillis(300)).build();
        assertThat(text(f.fetch(CollateralRequest.of(url("/slow2"), CachePolicy.none())))).isEqualTo("late but fine");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void connectionRefusedIsRetriedThenServiceUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        CollateralFetcher f = fetcher().maxAttempts(3).connectTimeout(Duration.ofMillis(500)).build();
        assertThatThrownBy(() -> f.fetch(CollateralRequest.of("http://127.0.0.1:" + port + "/x", CachePolicy.none())))
                .isInstanceOfSatisfying(CollateralException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE));
        assertThat(sleeps).hasSize(2);
    }

    @Test
    void cacheHitMakesNoRequest() throws Exception {
        server.enqueue(ok("one"));
        CollateralFetcher f = fetcher().build();
        CollateralRequest req = CollateralRequest.of(url("/h"), CachePolicy.ttl(Duration.ofHours(1)));
        CollateralResponse first = f.fetch(req);
        CollateralResponse second = f.fetch(req);
        assertThat(first.fromCache()).isFalse();
        assertThat(second.fromCache()).isTrue();
        assertThat(second.source()).isEqualTo(CollateralResponse.Source.MEMORY_CACHE);
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(second.expiresAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void noCachePolicyAlwaysFetches() throws Exception {
        server.enqueue(ok("a"));
        server.enqueue(ok("b"));
        CollateralFetcher f = fetcher().build();
        CollateralRequest req = CollateralRequest.of(url("/n"), CachePolicy.none());
        assertThat(text(f.fetch(req))).isEqualTo("a");
        CollateralResponse r = f.fetch(req);
        assertThat(text(r)).isEqualTo("b");
        assertThat(r.expiresAt()).isEqualTo(r.fetchedAt());
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void expiryByInjectedClockTriggersRefetch() throws Exception {
        server.enqueue(ok("v1"));
        server.enqueue(ok("v2"));
        CollateralFetcher f = fetcher().build();
        CollateralRequest req = CollateralRequest.of(url("/t"), CachePolicy.ttl(Duration.ofHours(1)));
        assertThat(text(f.fetch(req))).isEqualTo("v1");
        clock.advance(Duration.ofMinutes(59));
        assertThat(text(f.fetch(req))).isEqualTo("v1");
        assertThat(server.getRequestCount()).isEqualTo(1);
        clock.advance(Duration.ofMinutes(1));
        CollateralResponse again = f.fetch(req);
        assertThat(text(again)).isEqualTo("v2");
        assertThat(again.fromCache()).isFalse();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void absoluteExpiryAndImmutablePolicies() throws Exception {
        server.enqueue(ok("until"));
        server.enqueue(ok("forever"));
        server.enqueue(ok("until-2"));
        CollateralFetcher f = fetcher().build();
        CollateralRequest until = CollateralRequest.of(url("/u"), CachePolicy.until(T0.plus(Duration.ofDays(1))));
        CollateralRequest forever = CollateralRequest.of(url("/i"), CachePolicy.immutable());
        assertThat(f.fetch(until).expiresAt()).isEqualTo(T0.plus(Duration.ofDays(1)));
        assertThat(f.fetch(forever).expiresAt()).isEqualTo(Instant.MAX);
        clock.advance(Duration.ofDays(3650));
        assertThat(f.fetch(forever).source()).isEqualTo(CollateralResponse.Source.MEMORY_CACHE);
        assertThat(text(f.fetch(until))).isEqualTo("until-2");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void computedExpiryReadsTheResponseAndNullMeansNotCached() throws Exception {
        server.enqueue(ok("2026-01-16T00:00:00Z"));
        server.enqueue(ok("no-date"));
        server.enqueue(ok("no-date-again"));
        CollateralFetcher f = fetcher().build();
        CachePolicy fromBody = CachePolicy.computed(r -> {
            String s = new String(r.body(), StandardCharsets.US_ASCII);
            return s.startsWith("20") ? Instant.parse(s) : null;
        });
        CollateralResponse dated = f.fetch(CollateralRequest.of(url("/dated"), fromBody));
        assertThat(dated.expiresAt()).isEqualTo(Instant.parse("2026-01-16T00:00:00Z"));
        assertThat(f.fetch(CollateralRequest.of(url("/dated"), fromBody)).fromCache()).isTrue();
        CollateralRequest undated = CollateralRequest.of(url("/undated"), fromBody);
        assertThat(f.fetch(undated).fromCache()).isFalse();
        assertThat(text(f.fetch(undated))).isEqualTo("no-date-again");
        assertThat(server.getRequestCount()).isEqualTo(3);
    }

    @Test
    void failingExpiryFunctionRefusesTheBody() {
        server.enqueue(ok("garbage"));
        CollateralFetcher f = fetcher().build();
        CachePolicy broken = CachePolicy.computed(r -> {
            throw new IllegalArgumentException("not a CRL");
        });
        assertThatThrownBy(() -> f.fetch(CollateralRequest.of(url("/crl"), broken)))
                .isInstanceOfSatisfying(CollateralException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_INVALID));
    }

    @Test
    void validatorRefusalIsCollateralInvalidAndNotCached() throws Exception {
        server.enqueue(ok("bad"));
        server.enqueue(ok("good"));
        CollateralFetcher f = fetcher().build();
        CollateralRequest req = CollateralRequest.builder(url("/v")).cachePolicy(CachePolicy.immutable())
                .validator(b -> {
                    if (!new String(b, StandardCharsets.UTF_8).equals("good")) {
                        throw new IllegalStateException("nope");
                    }
                }).build();
        assertThatThrownBy(() -> f.fetch(req)).isInstanceOfSatisfying(CollateralException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_INVALID));
        assertThat(text(f.fetch(req))).isEqualTo("good");
        assertThat(f.fetch(req).fromCache()).isTrue();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void diskCacheSurvivesANewFetcherInstance() throws Exception {
        server.enqueue(ok("persisted").setHeader("ETag", "\"abc\""));
        Path dir = tmp.resolve("cache");
        String u = url("/disk");
        CollateralRequest req = CollateralRequest.of(u, CachePolicy.ttl(Duration.ofDays(1)));
        CollateralResponse first = fetcher().cacheDirectory(dir).build().fetch(req);
        assertThat(first.header("etag")).contains("\"abc\"");
        String key = DiskCache.key(u);
        assertThat(dir.resolve(key + ".bin")).hasContent("persisted");
        assertThat(dir.resolve(key + ".json")).exists();

        CollateralResponse second = fetcher().cacheDirectory(dir).build().fetch(req);
        assertThat(second.source()).isEqualTo(CollateralResponse.Source.DISK_CACHE);
        assertThat(text(second)).isEqualTo("persisted");
        assertThat(second.header("ETag")).contains("\"abc\"");
        assertThat(second.expiresAt()).isEqualTo(first.expiresAt());
        assertThat(server.getRequestCount()).isEqualTo(1);

        // a third instance offline still answers from disk, and after expiry it does not
        CollateralFetcher offline = fetcher().cacheDirectory(dir).offline(true).build();
        assertThat(text(offline.fetch(req))).isEqualTo("persisted");
        clock.advance(Duration.ofDays(2));
        assertThatThrownBy(() -> fetcher().cacheDirectory(dir).offline(true).build().fetch(req))
                .isInstanceOfSatisfying(CollateralException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE));
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void corruptDiskEntriesAreIgnoredNotFatal() throws Exception {
        Path dir = tmp.resolve("cache");
        String u = url("/corrupt");
        CollateralRequest req = CollateralRequest.of(u, CachePolicy.immutable());
        server.enqueue(ok("original"));
        fetcher().cacheDirectory(dir).build().fetch(req);
        String key = DiskCache.key(u);

        // body tampered: digest mismatch
        Files.writeString(dir.resolve(key + ".bin"), "tampered");
        server.enqueue(ok("refetched-1"));
        CollateralResponse r1 = fetcher().cacheDirectory(dir).build().fetch(req);
        assertThat(text(r1)).isEqualTo("refetched-1");
        assertThat(r1.source()).isEqualTo(CollateralResponse.Source.NETWORK);

        // metadata garbage
        Files.writeString(dir.resolve(key + ".json"), "{not json");
        server.enqueue(ok("refetched-2"));
        assertThat(text(fetcher().cacheDirectory(dir).build().fetch(req))).isEqualTo("refetched-2");

        // metadata for another URL under this file name
        String meta = Files.readString(dir.resolve(key + ".json")).replace(u, u + "/other");
        Files.writeString(dir.resolve(key + ".json"), meta);
        server.enqueue(ok("refetched-3"));
        assertThat(text(fetcher().cacheDirectory(dir).build().fetch(req))).isEqualTo("refetched-3");
        assertThat(server.getRequestCount()).isEqualTo(4);

        // the rewritten entry is good again
        assertThat(fetcher().cacheDirectory(dir).build().fetch(req).source())
                .isEqualTo(CollateralResponse.Source.DISK_CACHE);
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void offlineWithPreloadWorksAndTouchesNoNetwork() throws Exception {
        String u = url("/pre");
        CollateralFetcher f = fetcher().offline(true).preload(u, "preloaded".getBytes(StandardCharsets.UTF_8),
                T0.plus(Duration.ofDays(1))).build();
        CollateralResponse r = f.fetch(CollateralRequest.of(u, CachePolicy.none()));
        assertThat(text(r)).isEqualTo("preloaded");
        assertThat(r.source()).isEqualTo(CollateralResponse.Source.PRELOADED);
        assertThat(r.fromCache()).isTrue();
        assertThat(f.offline()).isTrue();
        clock.advance(Duration.ofDays(1));
        assertThatThrownBy(() -> f.fetch(CollateralRequest.of(u, CachePolicy.none())))
                .isInstanceOfSatisfying(CollateralException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void offlineWithoutCopyIsUnavailableAndMakesZeroRequests() {
        server.enqueue(ok("must not be fetched"));
        CollateralFetcher f = fetcher().offline(true).build();
        String u = url("/missing");
        assertThatThrownBy(() -> f.fetch(CollateralRequest.of(u, CachePolicy.immutable())))
                .isInstanceOfSatisfying(CollateralException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("offline").contains(u);
                });
        CollateralFetcher online = fetcher().build();
        assertThatThrownBy(() -> online.fetch(CollateralRequest.builder(u).offline(true).build()))
                .isInstanceOfSatisfying(CollateralException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void preloadIsServedOnlineWithoutARequest() throws Exception {
        String u = url("/pre2");
        CollateralFetcher f = fetcher().preload(u, new byte[] {1, 2, 3}).build();
        CollateralResponse r = f.fetch(CollateralRequest.of(u, CachePolicy.ttl(Duration.ofMinutes(5))));
        assertThat(r.body()).containsExactly(1, 2, 3);
        assertThat(r.expiresAt()).isEqualTo(Instant.MAX);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void oversizedBodyIsRefusedAndNotRetried() {
        server.enqueue(ok("x".repeat(2048)));
        server.enqueue(new MockResponse().setChunkedBody("y".repeat(4096), 512));
        CollateralFetcher f = fetcher().maxResponseBytes(1024).build();
        assertThatThrownBy(() -> f.fetch(CollateralRequest.of(url("/big"), CachePolicy.immutable())))
                .isInstanceOfSatisfying(CollateralException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_INVALID);
                    assertThat(e.getMessage()).contains("1024");
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
        // chunked: no Content-Length, refused while reading
        assertThatThrownBy(() -> f.fetch(CollateralRequest.of(url("/big2"), CachePolicy.immutable())))
                .isInstanceOfSatisfying(CollateralException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_INVALID));
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void bodyExactlyAtTheLimitIsAccepted() throws Exception {
        server.enqueue(new MockResponse().setChunkedBody("z".repeat(1024), 100));
        CollateralResponse r = fetcher().maxResponseBytes(1024).build()
                .fetch(CollateralRequest.of(url("/edge"), CachePolicy.none()));
        assertThat(r.bodyLength()).isEqualTo(1024);
    }

    @Test
    void requestHeadersAreSentButNeverShownAndChosenResponseHeadersKept() throws Exception {
        server.enqueue(ok("k").setHeader("SGX-TCB-Info-Issuer-Chain", "pem").setHeader("X-Other", "dropped"));
        CollateralRequest req = CollateralRequest.builder(url("/hdr")).header("Ocp-Apim-Subscription-Key", "s3cr3t")
                .keepHeader("SGX-TCB-Info-Issuer-Chain").build();
        CollateralResponse r = fetcher().build().fetch(req);
        RecordedRequest recorded = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(recorded.getHeader("Ocp-Apim-Subscription-Key")).isEqualTo("s3cr3t");
        assertThat(req.toString()).doesNotContain("s3cr3t");
        assertThat(r.header("sgx-tcb-info-issuer-chain")).contains("pem");
        assertThat(r.header("X-Other")).isEmpty();
        assertThat(r.toString()).doesNotContain("k\"");
    }

    @Test
    void responseIsImmutable() throws Exception {
        server.enqueue(ok("abc"));
        CollateralResponse r = fetcher().build().fetch(CollateralRequest.of(url("/imm"), CachePolicy.none()));
        byte[] b = r.body();
        b[0] = 'X';
        assertThat(text(r)).isEqualTo("abc");
        assertThatThrownBy(() -> r.headers().put("a", "b")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void bundleDirectoryPreloadsByUrl() throws Exception {
        Path bundle = tmp.resolve("bundle");
        Files.createDirectories(bundle.resolve("sub"));
        Files.writeString(bundle.resolve("sub/chain.pem"), "chain-bytes");
        Files.writeString(bundle.resolve("crl.der"), "crl-bytes");
        String chainUrl = url("/vcek/v1/Milan/cert_chain");
        String crlUrl = url("/vcek/v1/Milan/crl");
        Files.writeString(bundle.resolve(CollateralFetcher.BUNDLE_INDEX), """
                {"version": 1, "entries": [
                  {"url": "%s", "file": "sub/chain.pem"},
                  {"url": "%s", "file": "crl.der", "expiresAt": "2026-01-20T00:00:00Z"}
                ]}""".formatted(chainUrl, crlUrl));
        CollateralFetcher f = fetcher().offline(true).preloadDirectory(bundle).build();
        assertThat(text(f.fetch(CollateralRequest.of(chainUrl, CachePolicy.none())))).isEqualTo("chain-bytes");
        CollateralResponse crl = f.fetch(CollateralRequest.of(crlUrl, CachePolicy.none()));
        assertThat(text(crl)).isEqualTo("crl-bytes");
        assertThat(crl.expiresAt()).isEqualTo(Instant.parse("2026-01-20T00:00:00Z"));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void bundleRefusesFilesOutsideTheDirectoryAndMalformedIndexes() throws Exception {
        Path bundle = tmp.resolve("evil");
        Files.createDirectories(bundle);
        Files.writeString(tmp.resolve("outside.txt"), "x");
        Files.writeString(bundle.resolve(CollateralFetcher.BUNDLE_INDEX),
                "{\"version\":1,\"entries\":[{\"url\":\"https://example.test/a\",\"file\":\"../outside.txt\"}]}");
        assertThatThrownBy(() -> CollateralFetcher.builder().preloadDirectory(bundle))
                .isInstanceOfSatisfying(ConfigurationException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
                    assertThat(e.getMessage()).contains("outside");
                });
        Files.writeString(bundle.resolve(CollateralFetcher.BUNDLE_INDEX), "{\"entries\": 3}");
        assertThatThrownBy(() -> CollateralFetcher.builder().preloadDirectory(bundle))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> CollateralFetcher.builder().preloadDirectory(tmp.resolve("absent")))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void invalidOptionsAreConfigurationErrors() {
        assertThatThrownBy(() -> CollateralFetcher.builder().maxAttempts(0)).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> CollateralFetcher.builder().maxResponseBytes(0))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> CollateralFetcher.builder().initialBackoff(Duration.ofSeconds(5))
                .maxBackoff(Duration.ofSeconds(1)).build()).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> CollateralRequest.of("ftp://x/y", CachePolicy.none()))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION));
        assertThatThrownBy(() -> CachePolicy.ttl(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void concurrentFetchesOfOneUrlCostOneRequest() throws Exception {
        server.enqueue(ok("shared").setHeadersDelay(200, TimeUnit.MILLISECONDS));
        server.enqueue(ok("second request must not happen"));
        CollateralFetcher f = fetcher().build();
        CollateralRequest req = CollateralRequest.of(url("/burst"), CachePolicy.ttl(Duration.ofHours(1)));
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            List<java.util.concurrent.Future<CollateralResponse>> results = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> f.fetch(req)));
            }
            for (var r : results) {
                assertThat(text(r.get(10, TimeUnit.SECONDS))).isEqualTo("shared");
            }
        }
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void interruptedRetryWaitIsServiceUnavailableAndKeepsTheInterruptFlag() {
        server.enqueue(new MockResponse().setResponseCode(503));
        CollateralFetcher f = CollateralFetcher.builder().clock(clock).sleeper(d -> {
            throw new InterruptedException();
        }).build();
        try {
            assertThatThrownBy(() -> f.fetch(CollateralRequest.of(url("/int"), CachePolicy.none())))
                    .isInstanceOfSatisfying(CollateralException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE));
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
            assertThat(server.getRequestCount()).isEqualTo(1);
        } finally {
            Thread.interrupted();
        }
    }
}
