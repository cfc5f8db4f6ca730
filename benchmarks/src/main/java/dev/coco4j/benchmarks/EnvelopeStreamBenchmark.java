package dev.coco4j.benchmarks;

import dev.coco4j.core.envelope.EnvelopeCipher;
import dev.coco4j.core.envelope.LocalKeyEncryptionKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Streaming envelope encryption and decryption of 64 MiB (one op = one whole message, including header, data-key
 * generation/unwrap and commitment) against raw JDK AES-256-GCM over the same segments (one init + doFinal per segment
 * into a reused buffer, no header, no key management). Target: sdk / baseline ≥ 0.9.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EnvelopeStreamBenchmark {
    /**
     * Creates the benchmark state; JMH instantiates it once per trial and {@link #segmentSize} value and calls
     * {@link #setUp()}.
     */
    public EnvelopeStreamBenchmark() {
    }

    static final int SIZE = 64 << 20;

    /** Envelope segment size in bytes, 64 KiB or 1 MiB; the baseline seals segments of the same size. */
    @Param({"65536", "1048576"})
    public int segmentSize;

    private byte[] plaintext;
    private byte[] ciphertext;
    private byte[] rawCiphertext;
    private EnvelopeCipher cipher;
    private SecretKeySpec rawKey;
    private byte[] buffer;
    private byte[] sealedBuffer;
    private Cipher gcm;

    /**
     * 64 MiB of random plaintext, an envelope cipher with {@link #segmentSize} segments and its ciphertext, and the
     * raw GCM key, buffers and per-segment ciphertext the baseline decrypts.
     *
     * @throws Exception if the JDK lacks AES/GCM or encryption fails (the run is then invalid)
     */
    @Setup
    public void setUp() throws Exception {
        plaintext = new byte[SIZE];
        new SecureRandom().nextBytes(plaintext);
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        cipher = EnvelopeCipher.builder().kek(LocalKeyEncryptionKey.of("bench", k)).segmentSize(segmentSize)
                .context(Map.of("tenant", "bench")).build();
        ciphertext = cipher.encrypt(plaintext);
        rawKey = new SecretKeySpec(k, "AES");
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        buffer = new byte[1 << 20];
        sealedBuffer = new byte[segmentSize + 16];
        rawCiphertext = new byte[SIZE + (SIZE / segmentSize) * 16];
        baselineEncrypt(new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous."), true);
    }

    /**
     * The SDK: stream 64 MiB through an encrypting stream into a discarding sink.
     *
     * @return the number of envelope bytes written to the sink (header, segments and tags)
     * @throws IOException if the encrypting stream fails (not expected: the sink discards)
     */
    @Benchmark
    public long sdkEncryptStream() throws IOException {
        Counting sink = new Counting();
        try (OutputStream out = cipher.encryptingStream(sink)) {
            for (int off = 0; off < SIZE; off += buffer.length) {
                out.write(plaintext, off, Math.min(buffer.length, SIZE - off));
            }
        }
        return sink.count;
    }

    /**
     * The SDK: read 64 MiB of verified plaintext from a decrypting stream.
     *
     * @return the number of plaintext bytes read, 64 MiB when the envelope verifies
     * @throws IOException if the stream fails or a segment does not verify (not expected)
     */
    @Benchmark
    public long sdkDecryptStream() throws IOException {
        long n = 0;
        try (InputStream in = cipher.decryptingStream(new ByteArrayInputStream(ciphertext))) {
            int r;
            while ((r = in.read(buffer)) > 0) {
                n += r;
            }
        }
        return n;
    }

    /**
     * Raw JDK AES-256-GCM per segment (counter nonces) into a reused buffer.
     *
     * @param bh JMH's blackhole, which consumes each sealed segment so the work is not eliminated
     * @return the number of sealed bytes (ciphertext and tags) produced
     * @throws GeneralSecurityException if the JDK's AES/GCM provider rejects the key or IV (not expected)
     */
    @Benchmark
    public long baselineJdkEncryptSegments(Blackhole bh) throws GeneralSecurityException {
        return baselineEncrypt(bh, false);
    }

    private long baselineEncrypt(Blackhole bh, boolean keep) throws GeneralSecurityException {
        long n = 0;
        byte[] iv = new byte[12];
        int o = 0;
        for (int off = 0, i = 0; off < SIZE; off += segmentSize, i++) {
            iv[8] = (byte) (i >>> 24);
            iv[9] = (byte) (i >>> 16);
            iv[10] = (byte) (i >>> 8);
            iv[11] = (byte) i;
            gcm.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, iv));
            int len = gcm.doFinal(plaintext, off, Math.min(segmentSize, SIZE - off), sealedBuffer, 0);
            if (keep) {
                System.arraycopy(sealedBuffer, 0, rawCiphertext, o, len);
                o += len;
            }
            bh.consume(sealedBuffer);
            n += len;
        }
        return n;
    }

    /**
     * Raw JDK AES-256-GCM decryption per segment into a reused buffer.
     *
     * @param bh JMH's blackhole, which consumes each decrypted segment so the work is not eliminated
     * @return the number of plaintext bytes produced, 64 MiB
     * @throws GeneralSecurityException if a segment's tag does not verify (not expected: fixed at setup)
     */
    @Benchmark
    public long baselineJdkDecryptSegments(Blackhole bh) throws GeneralSecurityException {
        long n = 0;
        byte[] iv = new byte[12];
        int sealed = segmentSize + 16;
        for (int off = 0, i = 0; off < rawCiphertext.length; off += sealed, i++) {
            iv[8] = (byte) (i >>> 24);
            iv[9] = (byte) (i >>> 16);
            iv[10] = (byte) (i >>> 8);
            iv[11] = (byte) i;
            gcm.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, iv));
            n += gcm.doFinal(rawCiphertext, off, Math.min(sealed, rawCiphertext.length - off), sealedBuffer, 0);
            bh.consume(sealedBuffer);
        }
        return n;
    }

    /** Counts and discards. */
    static final class Counting extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
