package dev.coco4j.core.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Any change to a ciphertext is rejected, and a decrypting stream never hands out a byte that is not part of a
 * verified segment: whatever it returned before failing is a whole-segment prefix of the true plaintext.
 */
class EnvelopeTamperProperties {
    static final int SEG = 64;
    static final EnvelopeCipher CIPHER = EnvelopeCipher.builder()
            .kek(LocalKeyEncryptionKey.of("kek", new byte[32])).segmentSize(SEG).context(Map.of("p", "1")).build();

    static byte[] plaintext(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Decrypts through the stream; returns what was released before the failure, or fails if none happened. */
    static byte[] releasedBeforeFailure(byte[] ct) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        assertThatThrownBy(() -> {
            try (InputStream in = CIPHER.decryptingStream(new ByteArrayInputStream(ct))) {
                byte[] buf = new byte[37];
                int n;
                while ((n = in.read(buf)) >= 0) {
                    got.write(buf, 0, n);
                }
            }
        }).isInstanceOf(CiphertextException.class);
        return got.toByteArray();
    }

    static void assertRejected(byte[] ct, byte[] pt) {
        assertThatThrownBy(() -> CIPHER.decrypt(ct)).isInstanceOf(CiphertextException.class);
        byte[] released = releasedBeforeFailure(ct);
        assertThat(released.length % SEG).isZero();
        assertThat(released.length).isLessThan(Math.max(pt.length, 1));
        assertThat(released).isEqualTo(Arrays.copyOf(pt, released.length));
    }

    @Property(tries = 300)
    void anyBitFlipIsRejected(@ForAll @IntRange(max = 600) int size, @ForAll long seed,
            @ForAll @IntRange(max = Integer.MAX_VALUE - 1) int where, @ForAll @IntRange(max = 7) int bit) {
        byte[] pt = plaintext(size, seed);
        byte[] ct = CIPHER.encrypt(pt);
        int i = where % ct.length;
        ct[i] ^= (byte) (1 << bit);
        assertRejected(ct, pt);
    }

    @Property(tries = 200)
    void anyTruncationIsRejected(@ForAll @IntRange(max = 600) int size, @ForAll long seed,
            @ForAll @IntRange(max = Integer.MAX_VALUE - 1) int where) {
        byte[] pt = plaintext(size, seed);
        byte[] ct = CIPHER.encrypt(pt);
        assertRejected(Arrays.copyOf(ct, where % ct.length), pt);
    }

    @Property(tries = 100)
    void appendedDataIsRejected(@ForAll @IntRange(max = 600) int size, @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 200) int extra) {
        byte[] pt = plaintext(size, seed);
        byte[] ct = CIPHER.encrypt(pt);
        byte[] longer = Arrays.copyOf(ct, ct.length + extra);
        byte[] junk = new byte[extra];
        new Random(seed).nextBytes(junk); // unrelated bytes
        System.arraycopy(junk, 0, longer, ct.length, extra);
        assertThatThrownBy(() -> CIPHER.decrypt(longer)).isInstanceOf(CiphertextException.class);
        byte[] released = releasedBeforeFailure(longer);
        assertThat(released).isEqualTo(Arrays.copyOf(pt, released.length));
        assertThat(released.length % SEG).isZero();
    }

    @Property(tries = 100)
    void appendingAWholeMessageOrItsLastSegmentIsRejected(@ForAll @IntRange(min = 1, max = 600) int size,
            @ForAll long seed) {
        byte[] pt = plaintext(size, seed);
        byte[] ct = CIPHER.encrypt(pt);
        int h = EnvelopeCipher.headerLength(ct);
        int lastStart = h + ((ct.length - h - 1) / (SEG + 16)) * (SEG + 16);
        byte[] dupLast = concat(ct, Arrays.copyOfRange(ct, lastStart, ct.length));
        assertRejected(dupLast, pt);
        assertThatThrownBy(() -> CIPHER.decrypt(concat(ct, ct))).isInstanceOf(CiphertextException.class);
    }

    @Property(tries = 100)
    void segmentSwapAndDuplicationAreRejected(@ForAll @IntRange(min = 2 * SEG + 1, max = 900) int size,
            @ForAll long seed, @ForAll @IntRange(max = 1000) int a, @ForAll @IntRange(max = 1000) int b) {
        byte[] pt = plaintext(size, seed);
        byte[] ct = CIPHER.encrypt(pt);
        int h = EnvelopeCipher.headerLength(ct);
        int sealed = SEG + 16;
        int full = (ct.length - h) / sealed; // whole segments (the last may be among them)
        int i = a % full;
        int j = b % full;
        if (i == j) {
            j = (i + 1) % full;
        }
        byte[] swapped = ct.clone();
        System.arraycopy(ct, h + i * sealed, swapped, h + j * sealed, sealed);
        System.arraycopy(ct, h + j * sealed, swapped, h + i * sealed, sealed);
        assertRejected(swapped, pt);

        // duplicate segment i in place of the following one (same length)
        byte[] dup = ct.clone();
        int k = Math.min(i, full - 2);
        System.arraycopy(ct, h + k * sealed, dup, h + (k + 1) * sealed, sealed);
        assertRejected(dup, pt);

        // insert a copy of segment i after itself (longer message)
        byte[] inserted = concat(Arrays.copyOf(ct, h + (i + 1) * sealed),
                concat(Arrays.copyOfRange(ct, h + i * sealed, h + (i + 1) * sealed),
                        Arrays.copyOfRange(ct, h + (i + 1) * sealed, ct.length)));
        assertRejected(inserted, pt);
    }

    @Provide
    Arbitrary<Integer> headerFieldOffsets() {
        // segmentSize, contextLength, the context count and first key length, kekIdLength, wrappedKeyLength
        return Arbitraries.of(7, 11, 47, 51, 53);
    }

    @Property(tries = 300)
    void fuzzedHeaderLengthFieldsGiveTypedErrorsWithoutHugeAllocation(@ForAll("headerFieldOffsets") int field,
            @ForAll int value, @ForAll @IntRange(max = 300) int size) throws IOException {
        byte[] ct = CIPHER.encrypt(plaintext(size, value));
        if (ByteBuffer.wrap(ct, field, 4).getInt() == value) {
            return; // not a change: the ciphertext is still authentic
        }
        ByteBuffer.wrap(ct, field, 4).putInt(value);
        long before = usedHeap();
        assertThatThrownBy(() -> CIPHER.decrypt(ct)).isInstanceOf(CiphertextException.class)
                .extracting(e -> ((CiphertextException) e).reason()).isIn(Reason.CIPHERTEXT_INVALID,
                        Reason.UNSUPPORTED_VERSION);
        assertThatThrownBy(() -> CIPHER.decryptingStream(new ByteArrayInputStream(ct)).readAllBytes())
                .isInstanceOf(CiphertextException.class);
        assertThatThrownBy(() -> CIPHER.rewrap(ct)).isInstanceOf(CiphertextException.class);
        assertThat(usedHeap() - before).isLessThan(64L << 20);
    }

    @Property(tries = 200)
    void fuzzedKekIdAndWrappedKeyLengths(@ForAll @IntRange(max = 255) int kekIdLength,
            @ForAll @IntRange(max = 65535) int wrappedLength) {
        byte[] ct = CIPHER.encrypt(new byte[10]);
        int c = ByteBuffer.wrap(ct, 47, 4).getInt();
        int k = 51 + c + 32;
        byte[] a = ct.clone();
        a[k] = (byte) kekIdLength;
        byte[] b = ct.clone();
        int w = k + 1 + (ct[k] & 0xFF);
        ByteBuffer.wrap(b, w, 2).putShort((short) wrappedLength);
        if (kekIdLength != (ct[k] & 0xFF)) {
            assertThatThrownBy(() -> CIPHER.decrypt(a)).isInstanceOf(CiphertextException.class);
        }
        if (wrappedLength != (ByteBuffer.wrap(ct, w, 2).getShort() & 0xFFFF)) {
            assertThatThrownBy(() -> CIPHER.decrypt(b)).isInstanceOf(CiphertextException.class);
        }
    }

    static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
