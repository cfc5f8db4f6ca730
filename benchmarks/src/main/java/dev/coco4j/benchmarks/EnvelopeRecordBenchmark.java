package dev.coco4j.benchmarks;

import dev.coco4j.core.envelope.EnvelopeCipher;
import dev.coco4j.core.envelope.LocalKeyEncryptionKey;
import dev.coco4j.core.envelope.RecordDecryptor;
import dev.coco4j.core.envelope.RecordEncryptor;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * 1 KiB records under a cached data key ({@link RecordEncryptor}: self-contained records carrying the header) against
 * raw JDK AES-256-GCM of 1 KiB with a random IV and an allocated {@code iv || ct || tag} output. Target: sdk /
 * baseline ≥ 0.5.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EnvelopeRecordBenchmark {
    /**
     * Creates the benchmark state; JMH instantiates it once per trial ({@code Scope.Benchmark}) and calls the
     * {@code @Setup} method.
     */
    public EnvelopeRecordBenchmark() {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private byte[] record;
    private byte[] aad;
    private RecordEncryptor encryptor;
    private RecordDecryptor decryptor;
    private byte[] encryptedRecord;
    private SecretKeySpec rawKey;
    private Cipher gcm;
    private byte[] rawCiphertext;

    /**
     * A random 1 KiB record and AAD, a record encryptor and decryptor over a cached data key, and one SDK record and
     * one raw GCM ciphertext to decrypt.
     *
     * @throws Exception if the JDK lacks AES/GCM or the envelope cipher cannot be built (the run is then invalid)
     */
    @Setup
    public void setUp() throws Exception {
        record = new byte[1024];
        RANDOM.nextBytes(record);
        aad = "row-42".getBytes();
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        EnvelopeCipher cipher = EnvelopeCipher.builder().kek(LocalKeyEncryptionKey.of("bench", k))
                .dataKeyCache(Duration.ofHours(1), 1L << 32).build();
        encryptor = cipher.recordEncryptor();
        decryptor = cipher.recordDecryptor();
        encryptedRecord = encryptor.encrypt(record, aad);
        rawKey = new SecretKeySpec(k, "AES");
        gcm = Cipher.getInstance("AES/GCM/NoPadding");
        rawCiphertext = baselineJdkEncrypt1KiB();
    }

    /**
     * The SDK: one 1 KiB record.
     *
     * @return the encrypted record (header, IV, ciphertext and tag), returned so JMH consumes it
     */
    @Benchmark
    public byte[] sdkEncryptRecord() {
        return encryptor.encrypt(record, aad);
    }

    /**
     * The SDK: decrypt one 1 KiB record (data key cached by header).
     *
     * @return the 1 KiB plaintext, returned so JMH consumes it
     */
    @Benchmark
    public byte[] sdkDecryptRecord() {
        return decryptor.decrypt(encryptedRecord, aad);
    }

    /**
     * Raw JDK: random 96-bit IV, AES-256-GCM, allocated output.
     *
     * @return a new array {@code iv || ciphertext || tag} (12 + 1024 + 16 bytes)
     * @throws GeneralSecurityException if the JDK's AES/GCM provider rejects the key or IV (not expected)
     */
    @Benchmark
    public byte[] baselineJdkEncrypt1KiB() throws GeneralSecurityException {
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        gcm.init(Cipher.ENCRYPT_MODE, rawKey, new GCMParameterSpec(128, iv));
        gcm.updateAAD(aad);
        byte[] out = new byte[12 + record.length + 16];
        System.arraycopy(iv, 0, out, 0, 12);
        gcm.doFinal(record, 0, record.length, out, 12);
        return out;
    }

    /**
     * Raw JDK: AES-256-GCM decryption of 1 KiB.
     *
     * @return the 1 KiB plaintext in a new array
     * @throws GeneralSecurityException if the tag does not verify (not expected: the ciphertext is fixed at setup)
     */
    @Benchmark
    public byte[] baselineJdkDecrypt1KiB() throws GeneralSecurityException {
        gcm.init(Cipher.DECRYPT_MODE, rawKey, new GCMParameterSpec(128, rawCiphertext, 0, 12));
        gcm.updateAAD(aad);
        return gcm.doFinal(rawCiphertext, 12, rawCiphertext.length - 12);
    }
}
