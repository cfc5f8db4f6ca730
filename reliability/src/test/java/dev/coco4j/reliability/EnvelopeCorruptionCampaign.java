package dev.coco4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.envelope.EnvelopeCipher;
import dev.coco4j.core.envelope.LocalKeyEncryptionKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Corruption campaigns over many random envelopes (random plaintext sizes and segment sizes, random contexts): bit
 * flips anywhere, truncation at random points and at segment boundaries (the first, the last and one at random), segment swaps, duplications and
 * deletions, appended bytes, and a header from another envelope spliced onto a body. Every corrupted envelope must be
 * refused with a typed exception by both the one-shot API ({@link EnvelopeCipher#decrypt(byte[], Map)}) and the
 * streaming API; the stream may release the plaintext of segments before the damage, but every byte it released must
 * equal the original plaintext at that offset. CI: 150 envelopes; full: 2,000.
 */
class EnvelopeCorruptionCampaign {
    static final long SEED = Long.getLong("coco4j.reliability.seed", 20261204L);
    static final int[] SEGMENTS = {64, 100, 1024, 4096, 65536};

    record Corrupted(String kind, byte[] bytes) {
    }

    @Test
    void noCorruptedEnvelopeIsAccepted() {
        long started = System.nanoTime();
        SplittableRandom random = new SplittableRandom(SEED);
        byte[] kek = new byte[32];
        random.nextBytes(kek);
        int envelopes = Campaigns.full() ? 2_000 : 150;
        Campaigns.Tally kinds = new Campaigns.Tally();
        List<String> accepted = new ArrayList<>();
        List<String> untyped = new ArrayList<>();
        List<String> wrongRelease = new ArrayList<>();
        long released = 0;
        for (int e = 0; e < envelopes; e++) {
            int segment = SEGMENTS[random.nextInt(SEGMENTS.length)];
            EnvelopeCipher cipher = EnvelopeCipher.builder().kek(LocalKeyEncryptionKey.of("kek-" + (e % 3), kek))
                    .segmentSize(segment).build();
            int size = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0, 2 * segment + 1);
                case 1 -> segment * (1 + random.nextInt(4)); // exact multiples: the last segment is full
                default -> random.nextInt(0, 200_000);
            };
            byte[] plain = new byte[size];
            random.nextBytes(plain);
            Map<String, String> context = Map.of("tenant", "t" + random.nextInt(1000), "purpose", "campaign");
            byte[] ct = cipher.encrypt(plain, context);
            byte[] other = cipher.encrypt(plain, context);
            assertThat(cipher.decrypt(ct, context)).isEqualTo(plain);
            for (Corrupted c : corruptions(ct, other, segment, random)) {
                kinds.add(c.kind());
                String where = "envelope " + e + " (" + size + " bytes, segment " + segment + ") " + c.kind();
                try {
                    cipher.decrypt(c.bytes(), context);
                    accepted.add(where + " [one-shot]");
                } catch (CocoException ex) {
                    // refused
                } catch (RuntimeException ex) {
                    untyped.add(where + " [one-shot]: " + ex);
                }
                byte[] buf = new byte[plain.length + 64];
                int got = 0;
                try (InputStream in = cipher.decryptingStream(new ByteArrayInputStream(c.bytes()), context)) {
                    int r;
                    while ((r = in.read(buf, got, Math.min(4096, buf.length - got))) > 0) {
                        got += r;
                        if (got == buf.length) {
                            break;
                        }
                    }
                    accepted.add(where + " [stream]");
                } catch (CocoException ex) {
                    // refused
                } catch (IOException | RuntimeException ex) {
                    untyped.add(where + " [stream]: " + ex);
                }
                released += got;
                if (got > plain.length || !Arrays.equals(buf, 0, got, plain, 0, got)) {
                    wrongRelease.add(where + ": the stream released " + got + " bytes that are not the plaintext");
                }
            }
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        Campaigns.record("envelope corruption", envelopes + " random envelopes, " + kinds.total()
                + " corrupted copies, each decrypted one-shot and streaming; accepted " + accepted.size()
                + ", untyped " + untyped.size() + ", non-plaintext bytes released " + wrongRelease.size()
                + " (authentic prefix bytes released by streams before the damage: " + released + "); by kind: "
                + kinds + " (" + ms + " ms)");
        assertThat(accepted).isEmpty();
        assertThat(untyped).isEmpty();
        assertThat(wrongRelease).isEmpty();
    }

    static List<Corrupted> corruptions(byte[] ct, byte[] other, int segment, SplittableRandom random) {
        List<Corrupted> out = new ArrayList<>();
        int header = EnvelopeCipher.headerLength(ct);
        List<int[]> segs = new ArrayList<>(); // [offset, length] of each sealed segment
        for (int off = header; off < ct.length; off += segment + 16) {
            segs.add(new int[] {off, Math.min(segment + 16, ct.length - off)});
        }
        for (int i = 0; i < 3; i++) {
            byte[] m = ct.clone();
            int bit = random.nextInt(m.length * 8);
            m[bit / 8] ^= (byte) (1 << (bit % 8));
            out.add(new Corrupted(bit / 8 < header ? "bit flip (header)" : "bit flip (body)", m));
        }
        out.add(new Corrupted("truncation (random)", Arrays.copyOf(ct, random.nextInt(ct.length))));
        if (segs.size() > 1) { // at the first and the last boundary, and at one more at random
            java.util.TreeSet<Integer> at = new java.util.TreeSet<>(List.of(1, segs.size() - 1,
                    1 + random.nextInt(segs.size() - 1)));
            for (int s : at) {
                out.add(new Corrupted("truncation (segment boundary)", Arrays.copyOf(ct, segs.get(s)[0])));
            }
        }
        out.add(new Corrupted("truncation (header only)", Arrays.copyOf(ct, header)));
        byte[] tail = new byte[1 + random.nextInt(32)];
        random.nextBytes(tail);
        byte[] appended = Arrays.copyOf(ct, ct.length + tail.length);
        System.arraycopy(tail, 0, appended, ct.length, tail.length);
        out.add(new Corrupted("append", appended));
        if (segs.size() >= 2) {
            // duplicate and delete a non-last segment; swap two segments of equal length
            int i = random.nextInt(segs.size() - 1);
            out.add(new Corrupted("segment duplication", splice(ct, segs.get(i)[0] + segs.get(i)[1],
                    Arrays.copyOfRange(ct, segs.get(i)[0], segs.get(i)[0] + segs.get(i)[1]), 0)));
            out.add(new Corrupted("segment deletion", splice(ct, segs.get(i)[0], new byte[0], segs.get(i)[1])));
            int j = random.nextInt(segs.size());
            if (j != i && segs.get(j)[1] == segs.get(i)[1]) {
                byte[] m = ct.clone();
                System.arraycopy(ct, segs.get(i)[0], m, segs.get(j)[0], segs.get(i)[1]);
                System.arraycopy(ct, segs.get(j)[0], m, segs.get(i)[0], segs.get(j)[1]);
                out.add(new Corrupted("segment swap", m));
            } else if (segs.size() >= 3) {
                byte[] m = ct.clone(); // swap the first two (both full)
                System.arraycopy(ct, segs.get(0)[0], m, segs.get(1)[0], segs.get(0)[1]);
                System.arraycopy(ct, segs.get(1)[0], m, segs.get(0)[0], segs.get(1)[1]);
                out.add(new Corrupted("segment swap", m));
            }
        }
        // another envelope's header (same KEK, same plaintext and context) on this body
        int otherHeader = EnvelopeCipher.headerLength(other);
        byte[] m = new byte[otherHeader + ct.length - header];
        System.arraycopy(other, 0, m, 0, otherHeader);
        System.arraycopy(ct, header, m, otherHeader, ct.length - header);
        out.add(new Corrupted("header from another envelope", m));
        return out;
    }

    /** {@code b} with {@code remove} bytes at {@code at} replaced by {@code insert}. */
    static byte[] splice(byte[] b, int at, byte[] insert, int remove) {
        byte[] m = new byte[b.length - remove + insert.length];
        System.arraycopy(b, 0, m, 0, at);
        System.arraycopy(insert, 0, m, at, insert.length);
        System.arraycopy(b, at + remove, m, at + insert.length, b.length - at - remove);
        return m;
    }
}
