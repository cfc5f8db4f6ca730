package dev.coco4j.reliability;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Structure-blind mutations of real inputs for the parser fuzz campaign: bit flips, interesting byte values, 16/32-bit
 * length-like fields set to extremes, truncation, extension, deletion and duplication of chunks, splices of two seeds,
 * and (for text) character-level edits. Seeded, so a failing input is reproducible from the printed seed.
 */
final class Mutator {
    private static final byte[] INTERESTING = {0, 1, (byte) 0x7f, (byte) 0x80, (byte) 0xff, '"', '{', '[', ',', '\\',
        '0', '-', 'e', '<', '>', '/', '=', '.', ' ', '\n'};
    private final SplittableRandom random;

    Mutator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** One mutated input: 1 to 4 stacked mutations of a random seed, or (1 in 16) fully random bytes. */
    byte[] next(List<byte[]> seeds) {
        if (random.nextInt(16) == 0) {
            byte[] r = new byte[random.nextInt(0, 2048)];
            random.nextBytes(r);
            return r;
        }
        byte[] b = seeds.get(random.nextInt(seeds.size())).clone();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            b = mutate(b, seeds);
        }
        return b;
    }

    private byte[] mutate(byte[] b, List<byte[]> seeds) {
        if (b.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        int at = random.nextInt(b.length);
        switch (random.nextInt(10)) {
            case 0, 1 -> b[at] ^= (byte) (1 << random.nextInt(8));
            case 2 -> b[at] = INTERESTING[random.nextInt(INTERESTING.length)];
            case 3 -> { // a little- or big-endian 32-bit field to an extreme
                if (b.length >= at + 4) {
                    int v = switch (random.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> -1;
                        case 2 -> Integer.MAX_VALUE;
                        default -> b.length + random.nextInt(-8, 9);
                    };
                    for (int k = 0; k < 4; k++) {
                        b[at + k] = (byte) (v >>> (8 * (random.nextBoolean() ? k : 3 - k)));
                    }
                }
            }
            case 4 -> { // 16-bit field to an extreme
                if (b.length >= at + 2) {
                    int v = random.nextBoolean() ? 0xffff : random.nextInt(0x10000);
                    b[at] = (byte) v;
                    b[at + 1] = (byte) (v >>> 8);
                }
            }
            case 5 -> b = java.util.Arrays.copyOf(b, at); // truncate
            case 6 -> { // extend with random or repeated bytes
                int extra = 1 + random.nextInt(64);
                byte[] e = java.util.Arrays.copyOf(b, b.length + extra);
                for (int k = b.length; k < e.length; k++) {
                    e[k] = random.nextBoolean() ? (byte) random.nextInt(256) : b[random.nextInt(b.length)];
                }
                b = e;
            }
            case 7 -> { // delete a chunk
                int len = 1 + random.nextInt(Math.min(64, b.length - at));
                byte[] e = new byte[b.length - len];
                System.arraycopy(b, 0, e, 0, at);
                System.arraycopy(b, at + len, e, at, b.length - at - len);
                b = e;
            }
            case 8 -> { // duplicate a chunk in place
                int len = 1 + random.nextInt(Math.min(64, b.length - at));
                byte[] e = new byte[b.length + len];
                System.arraycopy(b, 0, e, 0, at + len);
                System.arraycopy(b, at, e, at + len, b.length - at);
                b = e;
            }
            default -> { // splice: this seed's head with another seed's tail
                byte[] other = seeds.get(random.nextInt(seeds.size()));
                int from = other.length == 0 ? 0 : random.nextInt(other.length);
                byte[] e = new byte[at + other.length - from];
                System.arraycopy(b, 0, e, 0, at);
                System.arraycopy(other, from, e, at, other.length - from);
                b = e;
            }
        }
        return b;
    }
}
