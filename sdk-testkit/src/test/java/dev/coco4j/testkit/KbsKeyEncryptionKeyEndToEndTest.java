package dev.coco4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.envelope.EnvelopeCipher;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.envelope.KbsKeyEncryptionKey;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** KbsKeyEncryptionKey end to end: simulated SNP attestation → KEK released by the embedded KBS → envelope. */
class KbsKeyEncryptionKeyEndToEndTest {
    static final byte[] KEK = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static SimulatedSnpPlatform sim;
    static EmbeddedKbs kbs;
    static final AtomicInteger releases = new AtomicInteger();

    @BeforeAll
    static void start() {
        sim = SimulatedSnpPlatform.builder().build();
        kbs = EmbeddedKbs.builder().trustSnpRoots(sim.trustRoots())
                .resource("default/kek/app", KEK)
                .resource("default/kek/hex", (HexFormat.of().formatHex(KEK) + "\n").getBytes(StandardCharsets.US_ASCII))
                .resource("default/kek/short", new byte[16])
                .resourcePolicy((claims, path) -> !path.tag().equals("denied") && ResourcePolicy.trusteeDefault()
                        .allows(claims, path))
                .resource("default/kek/denied", KEK)
                .listener(e -> {
                    if (e instanceof KbsEvent.ResourceReleased) {
                        releases.incrementAndGet();
                    }
                })
                .start();
    }

    @AfterAll
    static void stop() {
        kbs.close();
    }

    static KbsClient client() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", kbs.caCertificate());
        String url = kbs.baseUri().toString();
        return KbsClient.builder().baseUrl(url.substring(0, url.length() - 1)).trustStore(trust)
                .attester(new SimulatedSnpAttester(sim)).build();
    }

    @Test
    void releasedKekEncryptsAndDecrypts() throws Exception {
        byte[] plain = "patient record".getBytes(StandardCharsets.UTF_8);
        byte[] sealed;
        try (KbsClient c = client();
             KbsKeyEncryptionKey kek = KbsKeyEncryptionKey.builder().client(c).resource("default/kek/app").build()) {
            assertThat(kek.id()).isEqualTo("kbs:///default/kek/app");
            sealed = EnvelopeCipher.builder().kek(kek).build().encrypt(plain);
            assertThat(kek.toString()).contains("kbs:///default/kek/app").doesNotContain(HexFormat.of().formatHex(KEK));
        }
        // a different client (fresh attestation) releases the same KEK and decrypts
        try (KbsClient c = client();
             KbsKeyEncryptionKey kek = KbsKeyEncryptionKey.builder().client(c).resource("kbs:///default/kek/app")
                     .build()) {
            assertThat(EnvelopeCipher.builder().kek(kek).build().decrypt(sealed)).isEqualTo(plain);
            kek.destroy();
            assertThat(kek.isDestroyed()).isTrue();
            assertThatThrownBy(() -> kek.wrap(new byte[32], new byte[0])).isInstanceOf(CocoException.class);
        }
    }

    @Test
    void hexKeyResourceIsTheSameKey() throws Exception {
        byte[] plain = {1, 2, 3};
        try (KbsClient c = client();
             KbsKeyEncryptionKey raw = KbsKeyEncryptionKey.builder().client(c).resource("default/kek/app").build();
             KbsKeyEncryptionKey hex = KbsKeyEncryptionKey.builder().client(c).resource("default/kek/hex").build()) {
            byte[] wrapped = raw.wrap(new byte[32], plain);
            assertThat(hex.unwrap(wrapped, plain)).isEqualTo(new byte[32]);
        }
    }

    @Test
    void fetchedOnceAndAgainAfterMaxAge() throws Exception {
        AtomicReference<Instant> now = new AtomicReference<>(Instant.now());
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now.get();
            }
        };
        try (KbsClient c = client();
             KbsKeyEncryptionKey kek = KbsKeyEncryptionKey.builder().client(c).resource("default/kek/app")
                     .maxAge(Duration.ofMinutes(1)).clock(clock).build()) {
            int before = releases.get();
            EnvelopeCipher cipher = EnvelopeCipher.builder().kek(kek).build();
            for (int i = 0; i < 5; i++) {
                cipher.decrypt(cipher.encrypt(new byte[] {(byte) i}));
            }
            assertThat(releases.get() - before).isEqualTo(1);
            now.set(now.get().plus(Duration.ofMinutes(2)));
            cipher.decrypt(cipher.encrypt(new byte[] {9}));
            assertThat(releases.get() - before).isEqualTo(2);
        }
    }

    @Test
    void policyDeniedKekDecryptsNothing() throws Exception {
        byte[] sealed;
        try (KbsClient c = client();
             KbsKeyEncryptionKey kek = KbsKeyEncryptionKey.builder().client(c).resource("default/kek/app").build()) {
            sealed = EnvelopeCipher.builder().kek(kek).build().encrypt(new byte[] {42});
        }
        kbs.resourcePolicy(ResourcePolicy.denyAll());
        try (KbsClient c = client();
             KbsKeyEncryptionKey kek = KbsKeyEncryptionKey.builder().client(c).resource("default/kek/app").build()) {
            EnvelopeCipher cipher = EnvelopeCipher.builder().kek(kek).build();
            assertThatThrownBy(() -> cipher.decrypt(sealed)).isInstanceOf(KeyReleaseException.class)
                    .satisfies(e -> assertThat(((CocoException) e).reason()).isEqualTo(Reason.KEY_RELEASE_DENIED));
            assertThatThrownBy(() -> cipher.encrypt(new byte[] {1})).isInstanceOf(KeyReleaseException.class);
            assertThat(kek.toString()).doesNotContain("cached");
        } finally {
            kbs.resourcePolicy((claims, path) -> !path.tag().equals("denied")
                    && ResourcePolicy.trusteeDefault().allows(claims, path));
        }
        try (KbsClient c = client();
             KbsKeyEncryptionKey kek = KbsKeyEncryptionKey.builder().client(c).resource("default/kek/denied").build()) {
            assertThatThrownBy(kek::fetch).isInstanceOf(KeyReleaseException.class)
                    .satisfies(e -> assertThat(((CocoException) e).reason()).isEqualTo(Reason.KEY_RELEASE_DENIED));
        }
    }

    @Test
    void aResourceThatIsNotA256BitKeyIsRefused() throws Exception {
        try (KbsClient c = client();
             KbsKeyEncryptionKey kek = KbsKeyEncryptionKey.builder().client(c).resource("default/kek/short").build()) {
            assertThatThrownBy(kek::fetch).isInstanceOf(CocoException.class)
                    .satisfies(e -> assertThat(((CocoException) e).reason()).isEqualTo(Reason.CONFIGURATION));
        }
        assertThatThrownBy(() -> KbsKeyEncryptionKey.builder().resource("a/b")).isInstanceOf(CocoException.class);
    }
}
