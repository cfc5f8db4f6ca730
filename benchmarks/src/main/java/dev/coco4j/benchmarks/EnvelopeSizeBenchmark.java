package dev.coco4j.benchmarks;

import dev.coco4j.core.envelope.EnvelopeCipher;
import dev.coco4j.core.envelope.LocalKeyEncryptionKey;
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

/**
 * Whole-message envelope encryption and decryption ({@link EnvelopeCipher#encrypt(byte[])}: header, fresh data key
 * wrapped by a local KEK, key commitment, 64 KiB segments) by message size, against one raw JDK AES-256-GCM
 * {@code doFinal} over the same bytes with a fresh random IV (no header, no key management, no segmentation). One op
 * is one message, so throughput in bytes per second is {@code ops/s × size}; the report runner plots it by size.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class EnvelopeSizeBenchmark {
    /**
     * Creates the benchmark state; JMH instantiates it once per trial and {@link #size} value and calls
     * {@link #setUp()}.
     */
    public EnvelopeSizeBenchmark() {
    }

    /** Message size in bytes: 1 KiB to 16 MiB. */
    @Param({"1024", "16384", "262144", "4194304", "16777216"})
    public int size;

    private final SecureRandom random = new SecureRandom();
    private byte[] plaintext;
    private byte[] ciphertext;
    private EnvelopeCipher cipher;
    private SecretKeySpec rawKey;
    private byte[] rawIv;
    private byte[] rawCiphertext;
    private Cipher gcm;

    /**
     * Random plaintext of {@link #size} bytes, an envelope cipher and the raw GCM key over the same KEK bytes.
     *
     * @throws GeneralSecurityException if the JDK lacks AES/GCM (the run is then invalid)
     */
    @Setup
    public void setUp() throws GeneralSecurityException {
        plaintext = new byte[size];
        random.nextBytes(plaintext);
        byte[] k = new byte[32];
        random.nextBytes(k);
        cipher = EnvelopeCipher.builder().kek(LocalKeyEncryptionKey.of("bench", k))
                .context(Map.of("tenant", "bench")).build();
        ciphertext = cipher.encrypt(plaintext);
        rawKey = new SecretKeySpec(k, "AES");
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        rawIv = new byte[12];
        random.nextBytes(rawIv);
        gcm.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, rawIv));
        rawCiphertext = gcm.doFinal(plaintext);
        // Both sides run on the JDK's AES-GCM; compile its intrinsic paths before measuring, so that a few large
        // one-shot calls (the baseline at 16 MiB makes a handful per second) are not timed in the interpreter.
        byte[] block = new byte[16 * 1024];
        byte[] iv = new byte[12];
        for (int i = 0; i < 4000; i++) {
            random.nextBytes(iv);
            gcm.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, iv));
            byte[] sealed = gcm.doFinal(block);
            gcm.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, iv));
            gcm.doFinal(sealed);
        }
    }

    /**
     * The SDK: one whole envelope message.
     *
     * @return the envelope (header and segments) in a new array, returned so JMH consumes it
     */
    @Benchmark
    public byte[] sdkEncrypt() {
        return cipher.encrypt(plaintext);
    }

    /**
     * The SDK: verify and decrypt one whole envelope message.
     *
     * @return the {@link #size}-byte plaintext in a new array
     */
    @Benchmark
    public byte[] sdkDecrypt() {
        return cipher.decrypt(ciphertext);
    }

    /**
     * Raw JDK AES-256-GCM, one fresh IV and one doFinal over the whole message into a new array.
     *
     * @return ciphertext and tag ({@link #size} + 16 bytes), without the IV
     * @throws GeneralSecurityException if the JDK's AES/GCM provider rejects the key or IV (not expected)
     */
    @Benchmark
    public byte[] baselineJdkEncrypt() throws GeneralSecurityException {
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        gcm.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, iv));
        return gcm.doFinal(plaintext);
    }

    /**
     * Raw JDK AES-256-GCM decryption of the whole message into a new array.
     *
     * @return the {@link #size}-byte plaintext
     * @throws GeneralSecurityException if the tag does not verify (not expected: the ciphertext is fixed at setup)
     */
    @Benchmark
    public byte[] baselineJdkDecrypt() throws GeneralSecurityException {
        gcm.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, rawIv));
        return gcm.doFinal(rawCiphertext);
    }
}
