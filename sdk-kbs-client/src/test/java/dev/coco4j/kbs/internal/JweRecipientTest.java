package dev.coco4j.kbs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.kbs.TeeKeyAlgorithm;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.HashSet;
import java.util.Set;
import javax.crypto.KeyAgreement;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JweRecipientTest {
    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    @ParameterizedTest
    @EnumSource(value = TeeKeyAlgorithm.class, names = {"EC_P256", "EC_P521", "RSA_OAEP_256"})
    void everySealToOneRecipientDecryptsWithTheTeeKeyAndUsesAFreshEphemeralKey(TeeKeyAlgorithm alg) {
        TeeKeyPair tee = TeeKeyPair.generate(alg);
        JweRecipient recipient = JweRecipient.parse(tee.publicJwk());
        Set<String> headers = new HashSet<>();
        // the first seal takes the generic constant-time path, the later ones the recipient's comb table
        for (int i = 0; i < 6; i++) {
            byte[] msg = ("resource " + i).getBytes(StandardCharsets.UTF_8);
            ObjectNode jwe = recipient.seal(msg);
            assertThat(tee.decrypt(jwe)).isEqualTo(msg);
            headers.add(jwe.get("protected").asText());
            assertThat(jwe.has("aad")).isFalse();
        }
        // EC: a fresh epk in every protected header; RSA: the same header, fresh CEK and IV
        assertThat(headers).hasSize(alg == TeeKeyAlgorithm.RSA_OAEP_256 ? 1 : 6);
    }

    @Test
    void sealedResponsesDecryptWithNimbusOnTheJdkProvider() throws Exception {
        // an independent ECDH (SunEC through nimbus's default JCA context) opens what the comb path sealed
        ECKey key = new ECKeyGenerator(Curve.P_256).algorithm(com.nimbusds.jose.JWEAlgorithm.ECDH_ES_A256KW)
                .generate();
        JweRecipient recipient = JweRecipient.of(key.toPublicJWK());
        for (int i = 0; i < 4; i++) {
            ObjectNode o = recipient.seal(new byte[] {(byte) i, 1, 2, 3});
            JWEObject jwe = new JWEObject(new Base64URL(o.get("protected").asText()),
                    new Base64URL(o.get("encrypted_key").asText()), new Base64URL(o.get("iv").asText()),
                    new Base64URL(o.get("ciphertext").asText()), new Base64URL(o.get("tag").asText()));
            jwe.decrypt(new ECDHDecrypter(key.toECPrivateKey()));
            assertThat(jwe.getPayload().toBytes()).containsExactly((byte) i, 1, 2, 3);
        }
    }

    /** Z from both multipliers equals the JDK's ECDH of the same scalar and point. */
    @Property(tries = 40)
    void agreementMatchesTheJdkKeyAgreement(@ForAll @IntRange(min = 1) int seed) throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).algorithm(com.nimbusds.jose.JWEAlgorithm.ECDH_ES_A256KW)
                .generate().toPublicJWK();
        JweRecipient.EphemeralEcdhEncrypter enc = (JweRecipient.EphemeralEcdhEncrypter)
                JweRecipient.of(key).encrypter();
        BigInteger e = new BigInteger(256, new java.util.Random(seed)).mod(P256_ORDER.subtract(BigInteger.ONE))
                .add(BigInteger.ONE);
        byte[] expected = jdkAgreement(e, key.toECPublicKey());
        for (int i = 0; i <= JweRecipient.PRECOMPUTE_AFTER + 1; i++) {
            assertThat(enc.agree(e)).as("seal %d", i).isEqualTo(expected);
        }
    }

    @Test
    void keysTrusteeDoesNotServeAreRefused() throws Exception {
        ECKey p384 = new ECKeyGenerator(Curve.P_384).algorithm(com.nimbusds.jose.JWEAlgorithm.ECDH_ES_A256KW)
                .generate();
        assertThatThrownBy(() -> JweRecipient.of(p384.toPublicJWK())).isInstanceOf(KeyReleaseException.class)
                .hasMessageContaining("unsupported");
        assertThatThrownBy(() -> JweRecipient.of(p384)).isInstanceOf(KeyReleaseException.class)
                .hasMessageContaining("public");
        ECKey noAlg = new ECKeyGenerator(Curve.P_256).generate().toPublicJWK();
        assertThatThrownBy(() -> JweRecipient.of(noAlg)).isInstanceOf(KeyReleaseException.class);
        JsonNode offCurve = Json.parse("{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ECDH-ES+A256KW\","
                + "\"x\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\","
                + "\"y\":\"AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", "jwk");
        assertThatThrownBy(() -> JweRecipient.parse(offCurve)).isInstanceOf(KeyReleaseException.class);
        ECKey ok = new ECKeyGenerator(Curve.P_256).algorithm(com.nimbusds.jose.JWEAlgorithm.ECDH_ES_A256KW)
                .generate().toPublicJWK();
        assertThat(JweRecipient.of(ok).toString()).isEqualTo("JweRecipient[ECDH-ES+A256KW]");
    }

    private static byte[] jdkAgreement(BigInteger d, ECPublicKey peer) throws Exception {
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec("secp256r1"));
        ECParameterSpec spec = p.getParameterSpec(ECParameterSpec.class);
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, spec)));
        ka.doPhase(peer, true);
        return ka.generateSecret();
    }
}
