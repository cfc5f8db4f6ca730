package dev.coco4j.tdx.abi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.tdx.Vectors;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Random, truncated and mutated inputs give typed parse errors and never another exception. */
class TdxQuoteProperties {
    static final byte[] A = Vectors.bytes(Vectors.SET_A_QUOTE);

    @Property(tries = 300)
    void randomBytesAreATypedError(@ForAll @Size(max = 6000) byte[] input) {
        try {
            TdxQuote.parse(input);
        } catch (AttestationException e) {
            assertThat(e.reason()).isIn(Reason.MALFORMED_EVIDENCE, Reason.UNSUPPORTED_VERSION);
        }
    }

    @Property(tries = 300)
    void truncationsAreTypedErrors(@ForAll @IntRange(min = 0, max = 4935) int length) {
        try {
            TdxQuote.parse(Arrays.copyOf(A, length));
            throw new AssertionError("a quote truncated to " + length + " bytes parsed");
        } catch (AttestationException e) {
            assertThat(e.reason()).isIn(Reason.MALFORMED_EVIDENCE, Reason.UNSUPPORTED_VERSION);
        }
    }

    @Property(tries = 500)
    void byteChangesNeverThrowAnythingElse(@ForAll @IntRange(min = 0, max = 5005) int at, @ForAll byte value) {
        byte[] m = A.clone();
        m[at] = value;
        try {
            TdxQuote.parse(m);
        } catch (AttestationException e) {
            assertThat(e.reason()).isIn(Reason.MALFORMED_EVIDENCE, Reason.UNSUPPORTED_VERSION);
        }
    }
}
