package dev.coco4j.kbs.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.crypto.SignatureRule;
import dev.coco4j.kbs.Vectors;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KbsTokenVerifierTest {
    private static final Clock AT_2026 = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);
    private final JsonNode tokens = Vectors.json("derived/ear-tokens.json");

    private KbsTokenVerifier verifier(Clock clock) {
        return KbsTokenVerifier.builder().clock(clock).signatureRule(SignatureRule.ecdsa())
                .trustAnchors(Certificates.parseAll(Vectors.bytes("trustee/token/as-cert-chain.pem"))).build();
    }

    @Test
    void validEarTokenVerifiesAndYieldsTeePubkey() {
        VerifiedToken t = verifier(AT_2026).verify(tokens.get("valid_until_2100").textValue());
        assertThat(t.claims()).isEqualTo(tokens.get("claims_valid"));
        assertThat(t.teePubkey()).contains(Vectors.json("derived/runtime-data-binding.json").get("tee_pubkey"));
        assertThat(t.earStatus("cpu0")).contains("warning");
        assertThat(t.expiresAt()).isEqualTo(Instant.ofEpochSecond(4102444800L));
    }

    @Test
    void expiredTokenIsRefused() {
        assertThatThrownBy(() -> verifier(AT_2026).verify(tokens.get("expired").textValue()))
                .isInstanceOf(AttestationException.class)
                .satisfies(e -> assertThat(((CocoException) e).reason()).isEqualTo(Reason.COLLATERAL_EXPIRED));
    }

    @Test
    void tamperedOrForeignTokensAreRefused() {
        String t = tokens.get("valid_until_2100").textValue();
        String[] p = t.split("\\.");
        String tampered = p[0] + "." + p[1].substring(0, p[1].length() - 4) + "AAAA" + "." + p[2];
        assertThatThrownBy(() -> verifier(AT_2026).verify(tampered)).isInstanceOf(AttestationException.class);
        assertThatThrownBy(() -> verifier(AT_2026).verify("not-a-jwt")).isInstanceOf(AttestationException.class)
                .satisfies(e -> assertThat(((CocoException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE));
        KbsTokenVerifier other = KbsTokenVerifier.builder().clock(AT_2026).trustAnchors(
                Certificates.parseAll(Vectors.bytes("trustee/jwk-endorsement/scenario01-trust.pem"))).build();
        assertThatThrownBy(() -> other.verify(t)).satisfies(e -> assertThat(((CocoException) e).reason())
                .isEqualTo(Reason.CHAIN_INVALID));
    }

    @ParameterizedTest
    @CsvSource({"01, true", "02, false", "03, false", "04, false", "05, true", "06, true", "07, true"})
    void trusteeJwkEndorsementScenarios(String n, boolean accept) {
        KbsTokenVerifier v = KbsTokenVerifier.builder().clock(AT_2026).trustAnchors(Certificates.parseAll(
                Vectors.bytes("trustee/jwk-endorsement/scenario" + n + "-trust.pem"))).build();
        JsonNode jwk = Vectors.json("trustee/jwk-endorsement/scenario" + n + "-jwk.json");
        if (accept) {
            v.checkEndorsement(jwk);
        } else {
            assertThatThrownBy(() -> v.checkEndorsement(jwk)).isInstanceOf(AttestationException.class);
        }
    }
}
