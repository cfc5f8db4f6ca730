package dev.coco4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.CocoException;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import dev.coco4j.kbs.evidence.InsecureSampleAttester;
import dev.coco4j.testkit.EmbeddedKbs;
import dev.coco4j.testkit.KbsFaults;
import dev.coco4j.testkit.ResourcePolicy;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * KBS fault injection against the testkit's embedded KBS: dropped connections, connection resets (a raw socket server
 * that answers with a TCP RST, before or after a partial status line), partial bodies, slow bodies, duplicate session
 * cookies, 5xx, malformed JSON, corrupted or misdirected JWEs and wrong challenge nonces, each armed before the
 * handshake or after it (so it hits the resource request). The client must either return exactly the secret the KBS
 * holds (a transient fault it recovered from by retrying) or throw a typed {@link CocoException}; faults that outlast
 * the retries or break integrity must never release a secret. After every client is closed no platform thread may be
 * left behind except OkHttp's shared, idle TaskRunner threads (at most a few; they exit on their own after 60 s).
 * CI: every scenario once over plain HTTP on loopback; full: 5 rounds, over HTTP and HTTPS.
 */
class KbsFaultCampaign {
    static final String PATH = "default/key/faults";
    static final int ATTEMPTS = 3;

    enum Phase { HANDSHAKE, RESOURCE }

    enum Expect { MAY_RECOVER, MUST_FAIL }

    record Scenario(String name, Phase phase, Consumer<KbsFaults> arm, Expect expect) {
    }

    static List<Scenario> scenarios() {
        Duration chunk = Duration.ofMillis(200); // 8 chunks: 1.6 s, over the client's 1 s timeout
        List<Scenario> s = new ArrayList<>();
        for (Phase p : Phase.values()) {
            s.add(new Scenario("drop 1", p, f -> f.dropConnections(1), Expect.MAY_RECOVER));
            s.add(new Scenario("drop all", p, f -> f.dropConnections(ATTEMPTS * 3), Expect.MUST_FAIL));
            s.add(new Scenario("partial body 1", p, f -> f.partialBodies(1), Expect.MAY_RECOVER));
            s.add(new Scenario("partial body all", p, f -> f.partialBodies(ATTEMPTS * 3), Expect.MUST_FAIL));
            s.add(new Scenario("slow body 1", p, f -> f.slowBodies(1, chunk), Expect.MAY_RECOVER));
            s.add(new Scenario("slow body all", p, f -> f.slowBodies(ATTEMPTS * 3, chunk), Expect.MUST_FAIL));
            s.add(new Scenario("503 all", p, f -> f.serviceUnavailable(ATTEMPTS * 3), Expect.MUST_FAIL));
            s.add(new Scenario("malformed JSON", p, f -> f.malformedJson(ATTEMPTS * 3), Expect.MUST_FAIL));
        }
        s.add(new Scenario("duplicate session cookie", Phase.HANDSHAKE, f -> f.duplicateSessionCookies(1),
                Expect.MUST_FAIL));
        s.add(new Scenario("wrong challenge nonce", Phase.HANDSHAKE, f -> f.wrongNonceInChallenge(1),
                Expect.MUST_FAIL));
        s.add(new Scenario("corrupt JWE tag", Phase.RESOURCE, f -> f.corruptJweTag(1), Expect.MUST_FAIL));
        s.add(new Scenario("JWE to another key", Phase.RESOURCE, f -> f.encryptToOtherKey(1), Expect.MUST_FAIL));
        return s;
    }

    static KbsClient client(String baseUrl, EmbeddedKbs kbs) throws Exception {
        KbsClient.Builder b = KbsClient.builder().baseUrl(baseUrl).attester(new InsecureSampleAttester())
                .retries(ATTEMPTS, Duration.ofMillis(5)).timeout(Duration.ofSeconds(1));
        if (kbs != null && kbs.isHttps()) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("kbs", kbs.caCertificate());
            b.trustStore(trust);
        }
        return b.build();
    }

    static String base(EmbeddedKbs kbs) {
        String u = kbs.baseUri().toString();
        return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
    }

    static Set<Thread> platformThreads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    @Test
    void faultsNeverReleaseAWrongSecretNeverEscapeUntypedAndLeakNoThreads() throws Exception {
        long started = System.nanoTime();
        Set<Thread> before = platformThreads();
        before.removeIf(KbsFaultCampaign::shared);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Campaigns.Tally outcomes = new Campaigns.Tally();
        List<String> violations = new ArrayList<>();
        int rounds = Campaigns.full() ? 5 : 1;
        List<Boolean> transports = Campaigns.full() ? List.of(false, true) : List.of(false);
        long runs = 0;
        for (boolean https : transports) {
            try (EmbeddedKbs kbs = EmbeddedKbs.builder().insecureHttp(!https).allowSample(true)
                    .resourcePolicy(ResourcePolicy.allowAll()).resource(PATH, secret).start()) {
                for (int round = 0; round < rounds; round++) {
                    for (Scenario sc : scenarios()) {
                        runs++;
                        kbs.faults().reset();
                        String label = (https ? "https " : "http ") + sc.phase() + " " + sc.name();
                        long t0 = System.nanoTime();
                        try (KbsClient c = client(base(kbs), kbs)) {
                            if (sc.phase() == Phase.RESOURCE) {
                                c.attestationToken();
                            }
                            sc.arm().accept(kbs.faults());
                            try (KbsSecret got = c.getResource(PATH)) {
                                if (!Arrays.equals(got.bytes(), secret)) {
                                    violations.add(label + ": released a different secret");
                                } else if (sc.expect() == Expect.MUST_FAIL) {
                                    violations.add(label + ": released the secret despite the fault");
                                }
                                outcomes.add("recovered");
                            } catch (CocoException e) {
                                outcomes.add(e.reason().name());
                            } catch (RuntimeException e) {
                                violations.add(label + ": untyped " + e);
                            }
                        } finally {
                            kbs.faults().reset();
                            System.out.println(label + ": " + (System.nanoTime() - t0) / 1_000_000 + " ms");
                        }
                    }
                }
                // the KBS still serves a clean client after all that
                try (KbsClient c = client(base(kbs), kbs); KbsSecret got = c.getResource(PATH)) {
                    assertThat(got.bytes()).isEqualTo(secret);
                }
            }
        }
        // connection resets: a raw server that reads the request and answers with a TCP RST
        for (boolean afterStatusLine : List.of(false, true)) {
            try (ResettingServer rst = new ResettingServer(afterStatusLine);
                 KbsClient c = client("http://127.0.0.1:" + rst.port(), null)) {
                runs++;
                try (KbsSecret got = c.getResource(PATH)) {
                    violations.add("reset server released " + got.length() + " bytes");
                } catch (CocoException e) {
                    outcomes.add(e.reason().name());
                } catch (RuntimeException e) {
                    violations.add("reset: untyped " + e);
                }
                assertThat(rst.connections()).as("the client reached the resetting server").isPositive();
            }
        }
        List<String> leaked = leakedThreads(before);
        long ms = (System.nanoTime() - started) / 1_000_000;
        Campaigns.record("KBS fault injection", runs + " faulty sessions (" + scenarios().size() + " scenarios × "
                + rounds + " round(s) over " + (transports.size() == 2 ? "HTTP and HTTPS" : "HTTP")
                + ", + 2 TCP-reset servers); wrong or forbidden releases " + violations.stream()
                .filter(v -> v.contains("released")).count() + ", untyped " + violations.stream()
                .filter(v -> v.contains("untyped")).count() + ", leaked threads " + leaked.size() + " (the JDK's virtual-thread scheduler and "
                + "pollers and OkHttp/Okio shared daemons excluded); outcomes: "
                + outcomes + " (" + ms + " ms)");
        assertThat(violations).isEmpty();
        assertThat(leaked).isEmpty();
    }

    /**
     * The leak check is not blind: an OkHttp client whose dispatcher is never shut down (as a {@link KbsClient} that
     * is never closed would leave it) keeps an {@code OkHttp Dispatcher} thread alive, and the check reports it.
     */
    @Test
    void theLeakCheckSeesALeftOverDispatcher() throws Exception {
        try (EmbeddedKbs kbs = EmbeddedKbs.builder().insecureHttp(true).allowSample(true)
                .resourcePolicy(ResourcePolicy.allowAll()).resource(PATH, new byte[16]).start()) {
            Set<Thread> before = platformThreads();
            before.removeIf(KbsFaultCampaign::shared);
            var async = new java.util.concurrent.CompletableFuture<Thread>();
            okhttp3.OkHttpClient http = new okhttp3.OkHttpClient();
            http.newCall(new okhttp3.Request.Builder().url(base(kbs) + "/healthz").build())
                    .enqueue(new okhttp3.Callback() {
                        @Override
                        public void onFailure(okhttp3.Call call, IOException e) {
                            async.completeExceptionally(e);
                        }

                        @Override
                        public void onResponse(okhttp3.Call call, okhttp3.Response response) {
                            response.close();
                            async.complete(Thread.currentThread());
                        }
                    });
            Thread worker = async.get();
            // OkHttp names the worker after the call while it runs one; wait until it is back in the idle pool
            for (int i = 0; i < 100 && !worker.getName().startsWith("OkHttp Dispatcher"); i++) {
                Thread.sleep(20);
            }
            assertThat(leakedThreads(before)).anySatisfy(n -> assertThat(n).startsWith("OkHttp Dispatcher"));
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        }
    }

    /**
     * Process-wide threads no client owns: the JDK's virtual-thread scheduler (carrier threads, its delay scheduler and
     * unblocker) and its I/O pollers ({@code MasterPoller}, {@code Read-Poller}, {@code Write-Poller}), all started by
     * the KBS's virtual-thread executor, and OkHttp's shared daemons (the TaskRunner pool and
     * Okio's timeout watchdog, which exit after 60 s idle).
     */
    static boolean shared(Thread t) {
        String n = t.getName();
        return t.getClass().getName().equals("jdk.internal.misc.CarrierThread") || n.equals("VirtualThread-unblocker")
                || n.equals("MasterPoller") || n.startsWith("Read-Poller") || n.startsWith("Write-Poller")
                || (n.startsWith("ForkJoinPool-") && n.endsWith("-delayScheduler")) || n.equals("Okio Watchdog")
                || isTaskRunner(t);
    }

    /**
     * OkHttp's shared TaskRunner threads: named {@code OkHttp TaskRunner} when idle and renamed to the task's queue
     * (e.g. {@code OkHttp ConnectionPool connection closer}) while running one. A client's own dispatcher threads
     * ({@code OkHttp Dispatcher}) are not shared: those are leaks when left behind.
     */
    static boolean isTaskRunner(Thread t) {
        return t.getName().startsWith("OkHttp ") && !t.getName().startsWith("OkHttp Dispatcher");
    }

    /** New platform threads still alive after a grace period, process-wide shared threads ({@link #shared}) excepted. */
    static List<String> leakedThreads(Set<Thread> before) throws InterruptedException {
        List<String> leaked = List.of();
        for (int i = 0; i < 50; i++) {
            List<Thread> fresh = platformThreads().stream().filter(t -> !before.contains(t) && t.isAlive()).toList();
            long taskRunners = fresh.stream().filter(KbsFaultCampaign::isTaskRunner).count();
            leaked = fresh.stream().filter(t -> !shared(t)).map(t -> t.getName() + " (" + t.getState() + ")")
                    .toList();
            if (taskRunners > 4) {
                leaked = new ArrayList<>(leaked);
                leaked.add(taskRunners + " OkHttp TaskRunner threads");
            }
            if (leaked.isEmpty()) {
                return leaked;
            }
            Thread.sleep(100);
        }
        return leaked;
    }

    /** Accepts connections, reads the request and resets the connection (optionally after a partial answer). */
    static final class ResettingServer implements AutoCloseable {
        private final ServerSocket server;
        private final Thread acceptor;
        private final boolean afterStatusLine;
        private volatile int connections;

        ResettingServer(boolean afterStatusLine) throws IOException {
            this.afterStatusLine = afterStatusLine;
            this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            this.acceptor = Thread.ofPlatform().name("resetting-server").daemon().start(this::serve);
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return connections;
        }

        private void serve() {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    connections++;
                    s.setSoTimeout(500);
                    InputStream in = s.getInputStream();
                    byte[] buf = new byte[8192];
                    try {
                        in.read(buf);
                    } catch (SocketTimeoutException e) {
                        // nothing sent: reset anyway
                    }
                    if (afterStatusLine) {
                        OutputStream out = s.getOutputStream();
                        out.write("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 400\r\n\r\n{\"n"
                                .getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                    s.setSoLinger(true, 0); // close() now sends RST
                } catch (IOException e) {
                    // closed, or the client went away first
                }
            }
        }

        @Override
        public void close() throws Exception {
            server.close();
            acceptor.join(5000);
        }
    }
}
