package dev.coco4j.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.CiphertextException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Multi-GiB round trips in constant memory. Only in the {@code reliability} Maven profile, which runs this class in a
 * JVM with {@code -Xmx64m}: the streams must never hold more than a couple of segments.
 */
@Tag("reliability")
class EnvelopeReliabilityTest {
    static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    static EnvelopeCipher cipher(int segmentSize) {
        return EnvelopeCipher.builder().kek(LocalKeyEncryptionKey.of("rel", new byte[32])).segmentSize(segmentSize)
                .context(Map.of("test", "reliability")).build();
    }

    /** Writes {@code size} pseudo-random bytes; returns their SHA-256. */
    static byte[] pump(OutputStream out, long size, long seed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom r = new SplittableRandom(seed);
        byte[] buf = new byte[1 << 20];
        for (long done = 0; done < size; ) {
            int n = (int) Math.min(buf.length, size - done);
            for (int i = 0; i < n; i += 8) {
                long v = r.nextLong();
                for (int j = 0; j < 8 && i + j < n; j++) {
                    buf[i + j] = (byte) (v >>> (8 * j));
                }
            }
            sha.update(buf, 0, n);
            out.write(buf, 0, n);
            done += n;
        }
        return sha.digest();
    }

    static byte[] drain(InputStream in, long[] count) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[100_000];
        int n;
        while ((n = in.read(buf)) > 0) {
            sha.update(buf, 0, n);
            count[0] += n;
        }
        return sha.digest();
    }

    @Test
    void fourGibFileRoundTripIn64MibHeap() throws Exception {
        EnvelopeCipher c = cipher(EnvelopeCipher.DEFAULT_SEGMENT_SIZE);
        Path file = dir.resolve("big.c4je");
        long size = 4 * GIB + 12345;
        byte[] expected;
        try (OutputStream out = c.encryptingStream(Files.newOutputStream(file))) {
            expected = pump(out, size, 1);
        }
        long[] count = {0};
        try (InputStream in = c.decryptingStream(Files.newInputStream(file))) {
            assertThat(drain(in, count)).isEqualTo(expected);
        }
        assertThat(count[0]).isEqualTo(size);

        // a bit flipped near the end is still caught after 4 GiB of good segments
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(raf.length() - 5000);
            int b = raf.read();
            raf.seek(raf.length() - 5000);
            raf.write(b ^ 0x10);
        }
        assertThatThrownBy(() -> {
            try (InputStream in = c.decryptingStream(Files.newInputStream(file))) {
                drain(in, new long[1]);
            }
        }).isInstanceOf(CiphertextException.class);
        Files.delete(file);
    }

    @Test
    void multiGibPipedRoundTripsAtSeveralSegmentSizes() throws Exception {
        // Each stream holds two segment buffers, so an encrypting and a decrypting stream in one JVM need about four
        // segments of heap: 16 MiB segments cannot fit a 64 MiB heap beside the test harness; 4 MiB can.
        for (int seg : new int[] {4096, 1 << 20, 4 << 20}) {
            EnvelopeCipher c = cipher(seg);
            PipedOutputStream pipeOut = new PipedOutputStream();
            PipedInputStream pipeIn = new PipedInputStream(pipeOut, 1 << 16);
            long size = 2 * GIB + seg / 2;
            CompletableFuture<byte[]> writer = CompletableFuture.supplyAsync(() -> {
                try (OutputStream out = c.encryptingStream(pipeOut)) {
                    return pump(out, size, seg);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long[] count = {0};
            byte[] got;
            try (InputStream in = c.decryptingStream(pipeIn)) {
                got = drain(in, count);
            } catch (IOException e) {
                throw e;
            }
            assertThat(got).isEqualTo(writer.join());
            assertThat(count[0]).isEqualTo(size);
        }
    }
}
