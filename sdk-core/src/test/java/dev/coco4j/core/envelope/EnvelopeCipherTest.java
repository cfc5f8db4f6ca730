package dev.coco4j.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnvelopeCipherTest {
    static final int SEG = 4096;

    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static LocalKeyEncryptionKey kek(String id, int seed) {
        return LocalKeyEncryptionKey.of(id, random(32, seed));
    }

    static EnvelopeCipher cipher(KeyEncryptionKey kek) {
        return EnvelopeCipher.builder().kek(kek).segmentSize(SEG).build();
    }

    @Test
    void largeCallerBuffersGetOnlyVerifiedSegmentsAndAreWipedOnFailure() throws IOException {
        EnvelopeCipher c = cipher(kek("k1", 1));
        byte[] pt = random(3 * SEG, 3);
        byte[] ct = c.encrypt(pt, Map.of());
        byte[] tampered = ct.clone();
        int headerLength = ct.length - (3 * SEG + 3 * 16);
        tampered[headerLength + (SEG + 16) + 5] ^= 1;            // inside segment 2's ciphertext
        byte[] buf = new byte[4 * SEG];                            // large enough for the direct path
        try (InputStream in = c.decryptingStream(new ByteArrayInputStream(tampered))) {
            int n = in.read(buf, 0, buf.length);
            assertThat(n).isEqualTo(SEG);
            assertThat(Arrays.copyOf(buf, n)).isEqualTo(Arrays.copyOf(pt, SEG));
            Arrays.fill(buf, (byte) 0x55);
            assertThatThrownBy(() -> in.read(buf, 0, buf.length)).isInstanceOf(CiphertextException.class);
            assertThat(Arrays.copyOf(buf, SEG)).containsOnly((byte) 0);
        }
        try (InputStream in = c.decryptingStream(new ByteArrayInputStream(ct))) {
            assertThat(in.readNBytes(buf, 0, buf.length)).isEqualTo(pt.length);
            assertThat(Arrays.copyOf(buf, pt.length)).isEqualTo(pt);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, SEG - 1, SEG, SEG + 1, 2 * SEG, 10 * SEG + 7, 1 << 20})
    void oneShotAndStreamingRoundTrip(int size) throws IOException {
        EnvelopeCipher c = cipher(kek("k1", 1));
        byte[] pt = random(size, size);
        byte[] ct = c.encrypt(pt, Map.of("tenant", "t1"));
        assertThat(c.decrypt(ct, Map.of("tenant", "t1"))).isEqualTo(pt);
        assertThat(c.decrypt(ct, Map.of())).isEqualTo(pt);

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = c.encryptingStream(sink, Map.of("tenant", "t1"))) {
            // odd-sized writes cross segment boundaries
            for (int off = 0; off < pt.length; off += 1000) {
                out.write(pt, off, Math.min(1000, pt.length - off));
            }
        }
        byte[] streamed = sink.toByteArray();
        assertThat(streamed).hasSize(ct.length);
        assertThat(c.decrypt(streamed, Map.of("tenant", "t1"))).isEqualTo(pt);
        try (InputStream in = c.decryptingStream(new ByteArrayInputStream(ct), Map.of("tenant", "t1"))) {
            assertThat(in.readAllBytes()).isEqualTo(pt);
        }
    }

    @Test
    void defaultSegmentSizeAndSingleByteReadsAndWrites() throws IOException {
        EnvelopeCipher c = EnvelopeCipher.builder().kek(kek("k", 1)).build();
        assertThat(c.segmentSize()).isEqualTo(EnvelopeCipher.DEFAULT_SEGMENT_SIZE);
        byte[] pt = random(70_000, 3);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = c.encryptingStream(sink)) {
            for (byte b : pt) {
                out.write(b);
            }
        }
        try (InputStream in = c.decryptingStream(new ByteArrayInputStream(sink.toByteArray()))) {
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            int b;
            while ((b = in.read()) >= 0) {
                got.write(b);
            }
            assertThat(got.toByteArray()).isEqualTo(pt);
        }
    }

    @Test
    void sixtyFourMebibytesStreamInConstantMemory() throws Exception {
        EnvelopeCipher c = EnvelopeCipher.builder().kek(kek("k", 1)).build();
        long size = 64L << 20;
        MessageDigest plainDigest = MessageDigest.getInstance("SHA-256");
        Path file = Files.createTempFile("envelope", ".c4je");
        try {
            byte[] chunk = random(1 << 20, 9);
            try (OutputStream out = c.encryptingStream(Files.newOutputStream(file))) {
                for (long w = 0; w < size; w += chunk.length) {
                    chunk[0] = (byte) (w >>> 20);
                    plainDigest.update(chunk);
                    out.write(chunk);
                }
            }
            MessageDigest back = MessageDigest.getInstance("SHA-256");
            long n = 0;
            try (InputStream in = c.decryptingStream(Files.newInputStream(file))) {
                byte[] buf = new byte[50_000];
                int r;
                while ((r = in.read(buf)) > 0) {
                    back.update(buf, 0, r);
                    n += r;
                }
            }
            assertThat(n).isEqualTo(size);
            assertThat(back.digest()).isEqualTo(plainDigest.digest());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void channelsRoundTrip() throws IOException {
        EnvelopeCipher c = cipher(kek("k", 1));
        byte[] pt = random(3 * SEG + 11, 4);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (WritableByteChannel ch = c.encryptingChannel(Channels.newChannel(sink), Map.of("a", "b"))) {
            ch.write(ByteBuffer.wrap(pt));
        }
        try (ReadableByteChannel ch = c.decryptingChannel(
                Channels.newChannel(new ByteArrayInputStream(sink.toByteArray())), Map.of("a", "b"))) {
            ByteBuffer got = ByteBuffer.allocate(pt.length + 10);
            while (ch.read(got) > 0) {
                // keep reading
            }
            assertThat(Arrays.copyOf(got.array(), got.position())).isEqualTo(pt);
        }
    }

    @Test
    void wrongKekAndContextAreRejectedUniformly() {
        EnvelopeCipher c = cipher(kek("k1", 1));
        byte[] ct = c.encrypt(random(100, 1), Map.of("patient", "p-1", "purpose", "treatment"));

        // same id, different key bytes: unwrap fails
        assertNotAuthentic(() -> cipher(kek("k1", 2)).decrypt(ct, Map.of()));
        // different id: no key
        assertNotAuthentic(() -> cipher(kek("k2", 1)).decrypt(ct, Map.of()));
        // wrong value, missing pair
        assertNotAuthentic(() -> c.decrypt(ct, Map.of("patient", "p-2")));
        assertNotAuthentic(() -> c.decrypt(ct, Map.of("tenant", "x")));
        assertThat(c.decrypt(ct, Map.of("purpose", "treatment"))).hasSize(100);
    }

    static void assertNotAuthentic(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOf(CiphertextException.class)
                .hasMessage("CIPHERTEXT_INVALID: ciphertext is not authentic")
                .extracting(e -> ((CiphertextException) e).reason()).isEqualTo(Reason.CIPHERTEXT_INVALID);
    }

    @Test
    void contextBoundIntoKeyWrapAndHeader() {
        EnvelopeCipher c = cipher(kek("k1", 1));
        byte[] ct = c.encrypt(random(10, 1), Map.of("patient", "p-1"));
        // change one context byte "p-1" -> "p-2" in the header: both wrap AAD and core digest change
        String hex = HexFormat.of().formatHex(ct);
        String tampered = hex.replaceFirst(HexFormat.of().formatHex("p-1".getBytes()),
                HexFormat.of().formatHex("p-2".getBytes()));
        assertThat(tampered).isNotEqualTo(hex);
        assertNotAuthentic(() -> c.decrypt(HexFormat.of().parseHex(tampered), Map.of()));
    }

    @Test
    void truncatedStreamThrowsAtEndWithoutReleasingUnverifiedBytes() throws IOException {
        EnvelopeCipher c = cipher(kek("k", 1));
        byte[] pt = random(5 * SEG, 5);
        byte[] ct = c.encrypt(pt);
        // drop the final segment entirely: every remaining segment verifies, but none is marked last
        int cut = ct.length - (SEG + 16);
        InputStream in = c.decryptingStream(new ByteArrayInputStream(ct, 0, cut));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[1000];
        assertThatThrownBy(() -> {
            int n;
            while ((n = in.read(buf)) >= 0) {
                got.write(buf, 0, n);
            }
        }).isInstanceOf(CiphertextException.class);
        assertThat(got.size()).isEqualTo(3 * SEG); // segment 3 was read as "last" and failed
        assertThat(got.toByteArray()).isEqualTo(Arrays.copyOf(pt, 3 * SEG));
        assertThatThrownBy(() -> in.read(buf)).isInstanceOf(CiphertextException.class);
    }

    @Test
    void keyRotationRewrapsHeaderOnly() throws IOException {
        LocalKeyEncryptionKey oldKek = kek("kek-2025", 1);
        LocalKeyEncryptionKey newKek = kek("kek-2026", 2);
        byte[] pt = random(3 * SEG + 5, 6);
        byte[] ct = cipher(oldKek).encrypt(pt, Map.of("patient", "p-7"));
        List<AuditEvent> events = new ArrayList<>();
        EnvelopeCipher rotating = EnvelopeCipher.builder().kek(newKek).decryptionKey(oldKek).segmentSize(SEG)
                .auditSink(events::add).build();
        byte[] rewrapped = rotating.rewrap(ct);
        int oldH = EnvelopeCipher.headerLength(ct);
        int newH = EnvelopeCipher.headerLength(rewrapped);
        assertThat(Arrays.copyOfRange(rewrapped, newH, rewrapped.length))
                .isEqualTo(Arrays.copyOfRange(ct, oldH, ct.length));
        assertThat(events).extracting(AuditEvent::type).containsExactly(AuditEvent.Type.DATA_KEY_REWRAPPED);
        assertThat(events.getFirst().kekId()).isEqualTo("kek-2026");

        // only the new KEK is needed now
        assertThat(cipher(newKek).decrypt(rewrapped, Map.of("patient", "p-7"))).isEqualTo(pt);
        assertNotAuthentic(() -> cipher(oldKek).decrypt(rewrapped, Map.of()));

        // streaming re-wrap gives a message of the same length that decrypts
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        rotating.rewrap(new ByteArrayInputStream(ct), out);
        assertThat(cipher(newKek).decrypt(out.toByteArray(), Map.of())).isEqualTo(pt);

        // a header with a wrong commitment is not re-wrapped
        byte[] bad = ct.clone();
        int contextLength = ByteBuffer.wrap(ct, 47, 4).getInt();
        bad[51 + contextLength + 3] ^= 1; // inside the commitment
        assertThatThrownBy(() -> rotating.rewrap(bad)).isInstanceOf(CiphertextException.class);
    }

    @Test
    void cryptoShreddingOnePatient() {
        List<AuditEvent> events = new ArrayList<>();
        LocalKeyEncryptionKey alice = kek("patient-alice", 11);
        LocalKeyEncryptionKey bob = kek("patient-bob", 12);
        EnvelopeCipher ca = EnvelopeCipher.builder().kek(alice).auditSink(events::add).build();
        EnvelopeCipher cb = EnvelopeCipher.builder().kek(bob).auditSink(events::add).build();
        byte[] a1 = ca.encrypt("alice note 1".getBytes());
        byte[] a2 = ca.recordEncryptor().encrypt("alice lab".getBytes());
        byte[] b1 = cb.encrypt("bob note".getBytes());

        ca.destroyKey("patient-alice");
        assertThat(alice.isDestroyed()).isTrue();
        assertThat(events).extracting(AuditEvent::type).contains(AuditEvent.Type.KEY_DESTROYED);
        assertThatThrownBy(() -> ca.decrypt(a1)).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("destroyed");
        assertThatThrownBy(() -> ca.recordDecryptor().decrypt(a2)).isInstanceOf(ConfigurationException.class);
        assertThat(new String(cb.decrypt(b1))).isEqualTo("bob note");
    }

    @Test
    void auditEventsCarryIdsButNoSecrets() {
        List<AuditEvent> events = new ArrayList<>();
        EnvelopeCipher c = EnvelopeCipher.builder().kek(kek("kek-a", 1)).auditSink(events::add).build();
        byte[] ct = c.encrypt(random(10, 1));
        c.decrypt(ct);
        byte[] bad = ct.clone();
        bad[bad.length - 1] ^= 1;
        assertThatThrownBy(() -> c.decrypt(bad)).isInstanceOf(CiphertextException.class);
        assertThat(events).extracting(AuditEvent::type).containsExactly(AuditEvent.Type.DATA_KEY_GENERATED,
                AuditEvent.Type.DATA_KEY_UNWRAPPED, AuditEvent.Type.DATA_KEY_UNWRAPPED,
                AuditEvent.Type.DECRYPT_FAILED);
        assertThat(events).allSatisfy(e -> {
            assertThat(e.kekId()).isEqualTo("kek-a");
            assertThat(e.messageId()).hasSize(64);
        });
        // a throwing sink never changes the outcome
        EnvelopeCipher loud = EnvelopeCipher.builder().kek(kek("kek-a", 1)).auditSink(e -> {
            throw new IllegalStateException("sink down");
        }).build();
        assertThat(loud.decrypt(loud.encrypt(new byte[3]))).hasSize(3);
    }

    @Test
    void recordsShareOneDataKeyWithinCacheLimits() {
        List<AuditEvent> events = new ArrayList<>();
        EnvelopeCipher c = EnvelopeCipher.builder().kek(kek("k", 1)).auditSink(events::add)
                .dataKeyCache(Duration.ofHours(1), 3).context(Map.of("table", "labs")).build();
        RecordEncryptor enc = c.recordEncryptor();
        RecordDecryptor dec = c.recordDecryptor();
        List<byte[]> records = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            records.add(enc.encrypt(("record " + i).getBytes(), ("row-" + i).getBytes()));
        }
        assertThat(events.stream().filter(e -> e.type() == AuditEvent.Type.DATA_KEY_GENERATED)).hasSize(3);
        for (int i = 0; i < 7; i++) {
            assertThat(new String(dec.decrypt(records.get(i), ("row-" + i).getBytes()))).isEqualTo("record " + i);
        }
        assertThat(events.stream().filter(e -> e.type() == AuditEvent.Type.DATA_KEY_UNWRAPPED)).hasSize(3);
        // associated data, context and tampering
        assertNotAuthentic(() -> dec.decrypt(records.get(0), "row-1".getBytes()));
        assertNotAuthentic(() -> c.recordDecryptor(Map.of("table", "notes")).decrypt(records.get(0),
                "row-0".getBytes()));
        byte[] bad = records.get(0).clone();
        bad[bad.length - 20] ^= 4;
        assertNotAuthentic(() -> dec.decrypt(bad, "row-0".getBytes()));
        // a stream message is not a record and vice versa
        assertNotAuthentic(() -> dec.decrypt(c.encrypt(new byte[4])));
        assertNotAuthentic(() -> c.decrypt(Arrays.copyOfRange(records.get(0), 5, records.get(0).length)));
    }

    @Test
    void recordCacheExpiresByAge() {
        var clock = new java.util.concurrent.atomic.AtomicReference<>(java.time.Instant.parse("2026-01-01T00:00:00Z"));
        java.time.Clock ticking = new java.time.Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return java.time.ZoneOffset.UTC;
            }

            @Override
            public java.time.Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public java.time.Instant instant() {
                return clock.get();
            }
        };
        EnvelopeCipher c = EnvelopeCipher.builder().kek(kek("k", 1)).clock(ticking)
                .dataKeyCache(Duration.ofMinutes(1), 1000).build();
        RecordEncryptor enc = c.recordEncryptor();
        byte[] r1 = enc.encrypt(new byte[1]);
        byte[] r2 = enc.encrypt(new byte[1]);
        clock.set(clock.get().plusSeconds(61));
        byte[] r3 = enc.encrypt(new byte[1]);
        int h = EnvelopeCipher.headerLength(Arrays.copyOfRange(r1, 5, r1.length));
        assertThat(Arrays.copyOfRange(r1, 5, 5 + h)).isEqualTo(Arrays.copyOfRange(r2, 5, 5 + h));
        assertThat(Arrays.copyOfRange(r1, 5, 5 + h)).isNotEqualTo(Arrays.copyOfRange(r3, 5, 5 + h));
    }

    @Test
    void keyFilesKeyStoresAndNoSecretsInToString(@TempDir Path dir) throws Exception {
        byte[] raw = random(32, 42);
        Path rawFile = dir.resolve("raw.key");
        Files.write(rawFile, raw);
        Path hexFile = dir.resolve("hex.key");
        Files.writeString(hexFile, HexFormat.of().formatHex(raw) + "\n");
        LocalKeyEncryptionKey a = LocalKeyEncryptionKey.fromFile(rawFile);
        LocalKeyEncryptionKey b = LocalKeyEncryptionKey.fromFile(hexFile);
        assertThat(a.id()).isEqualTo(b.id()).startsWith("local:");
        byte[] ct = cipher(a).encrypt(new byte[] {1, 2, 3});
        assertThat(cipher(b).decrypt(ct)).containsExactly(1, 2, 3);
        assertThat(a.toString()).doesNotContain(HexFormat.of().formatHex(raw)).contains(a.id());

        Path bad = dir.resolve("bad.key");
        Files.writeString(bad, "not a key");
        assertThatThrownBy(() -> LocalKeyEncryptionKey.fromFile(bad)).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> LocalKeyEncryptionKey.fromFile(dir.resolve("missing")))
                .isInstanceOf(ConfigurationException.class);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        char[] pw = "changeit".toCharArray();
        ks.setEntry("phi-kek", new KeyStore.SecretKeyEntry(new SecretKeySpec(raw, "AES")),
                new KeyStore.PasswordProtection(pw));
        LocalKeyEncryptionKey k = LocalKeyEncryptionKey.fromKeyStore(ks, "phi-kek", pw);
        assertThat(k.id()).isEqualTo("keystore:phi-kek");
        byte[] wrapped = k.wrap(new byte[32], new byte[] {9});
        assertThat(a.unwrap(wrapped, new byte[] {9})).isEqualTo(new byte[32]); // same key bytes
        k.destroy();
        assertThatThrownBy(() -> k.wrap(new byte[32], new byte[0])).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void builderValidation() {
        assertThatThrownBy(() -> EnvelopeCipher.builder().build()).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> EnvelopeCipher.builder().segmentSize(10)).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> EnvelopeCipher.builder().context(Map.of("", "x")))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> LocalKeyEncryptionKey.of("id", new byte[16]))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void unsupportedVersionIsTyped() {
        byte[] ct = cipher(kek("k", 1)).encrypt(new byte[5]);
        ct[4] = 2;
        assertThatThrownBy(() -> cipher(kek("k", 1)).decrypt(ct)).isInstanceOf(CiphertextException.class)
                .extracting(e -> ((CiphertextException) e).reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
    }
}
