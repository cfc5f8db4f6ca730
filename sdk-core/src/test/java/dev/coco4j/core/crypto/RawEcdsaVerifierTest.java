package dev.coco4j.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.ConfigurationException;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.security.KeyPair;
import java.security.Signature;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RawEcdsaVerifierTest {
    static final byte[] MESSAGE = "coco4j raw ecdsa".getBytes();

    /** Signs with the JDK (P1363 r||s, big-endian) so BC's verification is checked against another implementation. */
    static byte[][] sign(KeyPair kp, String alg, int len, byte[] msg) throws Exception {
        Signature s = Signature.getInstance(alg);
        s.initSign(kp.getPrivate());
        s.update(msg);
        byte[] rs = s.sign();
        return new byte[][] {Arrays.copyOfRange(rs, 0, len), Arrays.copyOfRange(rs, len, 2 * len)};
    }

    static byte[] reverse(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return r;
    }

    @Test
    void verifiesJdkSignaturesOnEveryCurveInBothByteOrders() throws Exception {
        Object[][] cases = {{"secp256r1", "SHA256withECDSAinP1363Format", 32, RawEcdsaVerifier.Hash.SHA256},
            {"secp384r1", "SHA384withECDSAinP1363Format", 48, RawEcdsaVerifier.Hash.SHA384},
            {"secp521r1", "SHA512withECDSAinP1363Format", 66, RawEcdsaVerifier.Hash.SHA512}};
        for (Object[] c : cases) {
            KeyPair kp = TestPki.ec((String) c[0]);
            byte[][] rs = sign(kp, (String) c[1], (int) c[2], MESSAGE);
            RawEcdsaVerifier v = RawEcdsaVerifier.forKey(kp.getPublic(), (RawEcdsaVerifier.Hash) c[3]);
            assertThat(v.verify(MESSAGE, rs[0], rs[1], ByteOrder.BIG_ENDIAN)).as((String) c[0]).isTrue();
            // little-endian, zero-padded to 72 bytes as SEV-SNP stores R and S
            byte[] rle = Arrays.copyOf(reverse(rs[0]), 72);
            byte[] sle = Arrays.copyOf(reverse(rs[1]), 72);
            assertThat(v.verify(MESSAGE, rle, sle, ByteOrder.LITTLE_ENDIAN)).isTrue();
            assertThat(v.verify(MESSAGE, rle, sle, ByteOrder.BIG_ENDIAN)).isFalse();
            byte[] other = MESSAGE.clone();
            other[0] ^= 1;
            assertThat(v.verify(other, rs[0], rs[1], ByteOrder.BIG_ENDIAN)).isFalse();
        }
    }

    @Test
    void outOfRangeIntegersAreInvalidNotExceptions() throws Exception {
        KeyPair kp = TestPki.ec("secp384r1");
        RawEcdsaVerifier v = RawEcdsaVerifier.forKey(kp.getPublic(), RawEcdsaVerifier.Hash.SHA384);
        byte[] zero = new byte[48];
        byte[] ff = new byte[48];
        Arrays.fill(ff, (byte) 0xff);
        assertThat(v.verify(MESSAGE, zero, zero, ByteOrder.BIG_ENDIAN)).isFalse();
        assertThat(v.verify(MESSAGE, ff, ff, ByteOrder.BIG_ENDIAN)).isFalse();
        assertThat(v.verify(MESSAGE, new byte[0], new byte[0], ByteOrder.BIG_ENDIAN)).isFalse();
        assertThat(new BigInteger(1, ff).bitLength()).isEqualTo(384);
    }

    @Test
    void rsaKeysAreRefused() throws Exception {
        assertThatThrownBy(() -> RawEcdsaVerifier.forKey(TestPki.rsa().getPublic(), RawEcdsaVerifier.Hash.SHA256))
                .isInstanceOf(ConfigurationException.class);
    }

    static final KeyPair P384;
    static final byte[][] GOOD;

    static {
        try {
            P384 = TestPki.ec("secp384r1");
            GOOD = sign(P384, "SHA384withECDSAinP1363Format", 48, MESSAGE);
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @Property(tries = 300)
    void anyBitFlipInMessageOrSignatureFails(@ForAll @IntRange(min = 0, max = (16 + 96) * 8 - 1) int bit) {
        byte[] msg = MESSAGE.clone();
        byte[] r = GOOD[0].clone();
        byte[] s = GOOD[1].clone();
        int b = bit / 8;
        byte mask = (byte) (1 << (bit % 8));
        if (b < msg.length) {
            msg[b] ^= mask;
        } else if (b < msg.length + 48) {
            r[b - msg.length] ^= mask;
        } else if (b < msg.length + 96) {
            s[b - msg.length - 48] ^= mask;
        } else {
            return;
        }
        RawEcdsaVerifier v = RawEcdsaVerifier.forKey(P384.getPublic(), RawEcdsaVerifier.Hash.SHA384);
        assertThat(v.verify(msg, r, s, ByteOrder.BIG_ENDIAN)).isFalse();
    }

    @Property(tries = 200)
    void randomSignaturesNeverThrow(@ForAll @Size(max = 100) byte[] r, @ForAll @Size(max = 100) byte[] s) {
        RawEcdsaVerifier v = RawEcdsaVerifier.forKey(P384.getPublic(), RawEcdsaVerifier.Hash.SHA384);
        assertThat(v.verify(MESSAGE, r, s, ByteOrder.LITTLE_ENDIAN)).isFalse();
    }
}
