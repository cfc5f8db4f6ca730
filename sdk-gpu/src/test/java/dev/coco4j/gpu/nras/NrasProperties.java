package dev.coco4j.gpu.nras;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of NRAS token verification: any change to signed bytes is refused, junk gives a typed error. */
class NrasProperties {
    static final NrasFixture FX = new NrasFixture();
    static final DetachedEat EAT = FX.eat(2);
    static final NrasTokenVerifier VERIFIER = NrasTokenVerifier.builder().jwks(NrasJwks.of(FX.jwks())).build();
    static final Instant AT = NrasFixture.NOW.plusSeconds(1);

    /** Flips one bit of the decoded header, payload or signature of token {@code which} (0 overall, 1..2 GPUs). */
    static DetachedEat flip(int which, int segment, int bit) {
        String token = which == 0 ? EAT.overallToken() : EAT.submodTokens().get("GPU-" + (which - 1));
        String[] parts = token.split("\\.");
        byte[] seg = Base64.getUrlDecoder().decode(parts[segment]);
        int b = Math.floorMod(bit, seg.length * 8);
        seg[b / 8] ^= (byte) (1 << (b % 8));
        parts[segment] = Base64.getUrlEncoder().withoutPadding().encodeToString(seg);
        String flipped = String.join(".", parts);
        if (which == 0) {
            return new DetachedEat(flipped, EAT.submodTokens());
        }
        Map<String, String> subs = new LinkedHashMap<>(EAT.submodTokens());
        subs.put("GPU-" + (which - 1), flipped);
        return new DetachedEat(EAT.overallToken(), subs);
    }

    @Property(tries = 300)
    void anySingleBitFlipInAnySignedTokenIsRefused(@ForAll @IntRange(min = 0, max = 2) int which,
                                                   @ForAll @IntRange(min = 0, max = 2) int segment,
                                                   @ForAll @IntRange(min = 0, max = 100_000) int bit) {
        DetachedEat bad = flip(which, segment, bit);
        try {
            VERIFIER.verify(bad, NrasFixture.NONCE, AT);
            throw new AssertionError("accepted a flipped token");
        } catch (CocoException e) {
            assertThat(e.reason()).isIn(Reason.SIGNATURE_INVALID, Reason.MALFORMED_EVIDENCE, Reason.CHAIN_INVALID);
        }
    }

    @Provide
    Arbitrary<String> junk() {
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300),
                Arbitraries.strings().withChars("[]{}\",:JWT.GPU-0abc").ofMaxLength(120));
    }

    @Property(tries = 400)
    void randomAnswersGiveATypedError(@ForAll("junk") String s) {
        try {
            DetachedEat eat = DetachedEat.parse(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            VERIFIER.verify(eat, NrasFixture.NONCE, AT);
            throw new AssertionError("accepted junk " + s);
        } catch (CocoException e) {
            assertThat(e.reason()).isNotNull();
        }
    }

    @Property(tries = 200)
    void truncatedAnswersGiveATypedError(@ForAll @IntRange(min = 0, max = 100_000) int cut) {
        byte[] json = EAT.toJson();
        int n = Math.floorMod(cut, json.length);
        byte[] truncated = java.util.Arrays.copyOf(json, n);
        try {
            VERIFIER.verify(DetachedEat.parse(truncated), NrasFixture.NONCE, AT);
            throw new AssertionError("accepted a truncated answer");
        } catch (CocoException e) {
            assertThat(e.reason()).isNotNull();
        }
    }

    @Property(tries = 200)
    void randomTokensGiveATypedError(@ForAll @Size(max = 400) byte[] bytes) {
        String t = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).replace('A', '.');
        try {
            VERIFIER.verify(new DetachedEat(t, EAT.submodTokens()), NrasFixture.NONCE, AT);
            throw new AssertionError("accepted " + t);
        } catch (CocoException e) {
            assertThat(e.reason()).isNotNull();
        }
    }
}
