package dev.coco4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One KbsClient shared by 64 threads fetching 10,000 resources: no error, every secret right, exactly one handshake.
 * Plain HTTP on loopback: the subject is the client's session sharing, not TLS, and TLS handshakes for 64 connections
 * would dominate the run time on a small machine.
 */
class KbsClientConcurrencyTest {
    static final int THREADS = 64;
    /**
     * The full scenario, 10,000 (each fetch is a fresh ECDH-ES JWE on both sides, CPU-bound: 14.6 s on an idle
     * 2-core box since Bouncy Castle does the ECDH); {@code -Dcoco4j.test.kbsFetches=N} changes it.
     */
    static final int FETCHES = Integer.getInteger("coco4j.test.kbsFetches", 10_000);
    static final int RESOURCES = 50;

    @Test
    @Timeout(300)
    void sixtyFourThreadsShareOneHandshake() throws Exception {
        SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().build();
        AtomicInteger auths = new AtomicInteger();
        AtomicInteger attests = new AtomicInteger();
        AtomicInteger released = new AtomicInteger();
        AtomicInteger denied = new AtomicInteger();
        EmbeddedKbs.Builder b = EmbeddedKbs.builder().insecureHttp(true).trustSnpRoots(sim.trustRoots())
                .listener(e -> {
                    switch (e) {
                        case KbsEvent.AuthIssued a -> auths.incrementAndGet();
                        case KbsEvent.AttestationAccepted a -> attests.incrementAndGet();
                        case KbsEvent.ResourceReleased r -> released.incrementAndGet();
                        default -> denied.incrementAndGet();
                    }
                });
        for (int i = 0; i < RESOURCES; i++) {
            b.resource("default/key/k" + i, ("secret-" + i).getBytes(StandardCharsets.UTF_8));
        }
        try (EmbeddedKbs kbs = b.start();
             KbsClient client = KbsClient.builder().baseUrl("http://127.0.0.1:" + kbs.port())
                     .attester(new SimulatedSnpAttester(sim)).build();
             ExecutorService pool = Executors.newFixedThreadPool(THREADS)) {
            AtomicInteger next = new AtomicInteger();
            long started = System.nanoTime();
            List<Future<Integer>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    int done = 0;
                    for (int i = next.getAndIncrement(); i < FETCHES; i = next.getAndIncrement()) {
                        int k = i % RESOURCES;
                        try (KbsSecret s = client.getResource("default/key/k" + k)) {
                            if (!new String(s.bytes(), StandardCharsets.UTF_8).equals("secret-" + k)) {
                                throw new AssertionError("wrong secret for k" + k);
                            }
                        }
                        done++;
                    }
                    return done;
                }));
            }
            int total = 0;
            for (Future<Integer> f : futures) {
                total += f.get();
            }
            assertThat(total).isEqualTo(FETCHES);
            System.out.printf("KbsClientConcurrencyTest: %d fetches by %d threads in %d ms%n", FETCHES, THREADS,
                    (System.nanoTime() - started) / 1_000_000);
        }
        assertThat(auths.get()).as("handshakes (/auth)").isEqualTo(1);
        assertThat(attests.get()).isEqualTo(1);
        assertThat(released.get()).isEqualTo(FETCHES);
        assertThat(denied.get()).isZero();
    }
}
