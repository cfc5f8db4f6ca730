package dev.coco4j.gpu.nras;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import dev.coco4j.gpu.Vectors;
import dev.coco4j.gpu.abi.GpuMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** NrasTokenVerifier over NRAS-shaped answers signed with a test key, and over NVIDIA's real sample EAT. */
class NrasTokenVerifierTest {
    static final NrasFixture FX = new NrasFixture();
    static final NrasTokenVerifier VERIFIER = NrasTokenVerifier.builder().jwks(NrasJwks.of(FX.jwks())).build();
    static final Instant AT = NrasFixture.NOW.plusSeconds(30);

    static CocoException refusal(DetachedEat eat) {
        return refusal(VERIFIER, eat, NrasFixture.NONCE, AT);
    }

    static CocoException refusal(NrasTokenVerifier v, DetachedEat eat, byte[] nonce, Instant at) {
        try {
            v.verify(eat, nonce, at);
        } catch (CocoException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    @Test
    void acceptsTwoGpusAndExposesTheRealClaimValues() {
        JsonNode vector = Vectors.json("nvtrust-eat-claims/detached_granular_claims_remote.json");
        NrasResult r = VERIFIER.verify(FX.eat(2), NrasFixture.NONCE, AT);
        assertThat(r.gpus()).extracting(NrasGpuClaims::submod).containsExactly("GPU-0", "GPU-1");
        NrasGpuClaims g = r.gpus().getFirst();
        assertThat(g.driverVersion()).contains(vector.get("x-nvidia-gpu-driver-version").asText());
        assertThat(g.vbiosVersion()).contains(vector.get("x-nvidia-gpu-vbios-version").asText());
        assertThat(g.hwModel()).contains(vector.get("hwmodel").asText());
        assertThat(g.measurementsMatch()).isTrue();
        assertThat(g.nonceMatch()).isTrue();
        assertThat(g.secureBoot()).contains(true);
        assertThat(g.debugStatus()).contains("disabled");
        assertThat(g.claims().get("x-nvidia-gpu-attestation-report-cert-chain")).isInstanceOf(Map.class);
        assertThat(r.claimsVersion()).isEqualTo("3.0");
        assertThat(r.nonceHex()).isEqualTo("931d8dd0add203ac3d8b4fbde75e115278eefcdceac5b87671a748f32364dfcb");
        assertThat(r.expiresAt()).isEqualTo(NrasFixture.NOW.plusSeconds(3600));
        AttestationResult ar = r.toAttestationResult();
        assertThat(ar.claim("gpu_count")).isEqualTo(2);
        assertThat(ar.claim("gpu1_driver_version")).isEqualTo(vector.get("x-nvidia-gpu-driver-version").asText());
        assertThat(ar.claim("gpu0_measres")).isEqualTo("success");
    }

    @Test
    void acceptsClaimsVersion2Payloads() {
        NrasFixture fx = FX;
        ObjectNode dev2 = (ObjectNode) Vectors.json("nvtrust-eat-claims/detached_claims_remote.json").deepCopy();
        dev2.put("iss", NrasTokenVerifier.NVIDIA_ISSUER);
        NrasFixture.times(dev2);
        String device = fx.sign(dev2);
        ObjectNode overall = (ObjectNode) Vectors.json("nvtrust-eat-claims/overall_claims_remote.json").deepCopy();
        overall.put("iss", NrasTokenVerifier.NVIDIA_ISSUER);
        NrasFixture.times(overall);
        overall.putObject("submods").putArray("GPU-0").add("DIGEST").addArray().add("SHA-256")
                .add(NrasFixture.sha256Hex(device));
        NrasResult r = VERIFIER.verify(new DetachedEat(fx.sign(overall), Map.of("GPU-0", device)),
                NrasFixture.NONCE, AT);
        assertThat(r.claimsVersion()).isEqualTo("2.0");
        assertThat(r.gpus().getFirst().driverVersion()).contains(dev2.get("x-nvidia-gpu-driver-version").asText());
    }

    @Test
    void wrongNonceIsRefused() {
        byte[] other = NrasFixture.NONCE.clone();
        other[0] ^= 1;
        assertThat(refusal(VERIFIER, FX.eat(1), other, AT).reason()).isEqualTo(Reason.NONCE_MISMATCH);
        CocoException e = refusal(FX.eat(1, o -> { }, d -> d.put("eat_nonce", "00".repeat(32))));
        assertThat(e.reason()).isEqualTo(Reason.NONCE_MISMATCH);
        assertThat(e.detail()).contains("device token GPU-0");
    }

    @Test
    void expiredAndNotYetValidTokensAreRefused() {
        CocoException late = refusal(VERIFIER, FX.eat(1), NrasFixture.NONCE, NrasFixture.NOW.plusSeconds(3600 + 61));
        assertThat(late.reason()).isEqualTo(Reason.COLLATERAL_EXPIRED);
        assertThat(late.detail()).contains("expired");
        CocoException early = refusal(VERIFIER, FX.eat(1), NrasFixture.NONCE, NrasFixture.NOW.minusSeconds(61));
        assertThat(early.reason()).isEqualTo(Reason.COLLATERAL_EXPIRED);
        // within the 60 s skew both ways
        assertThat(VERIFIER.verify(FX.eat(1), NrasFixture.NONCE, NrasFixture.NOW.minusSeconds(59)).gpus()).hasSize(1);
        // a device token that expired while the overall one did not
        CocoException dev = refusal(FX.eat(1, o -> { }, d -> d.put("exp", NrasFixture.NOW.getEpochSecond() - 120)));
        assertThat(dev.reason()).isEqualTo(Reason.COLLATERAL_EXPIRED);
        CocoException noExp = refusal(FX.eat(1, o -> o.remove("exp"), d -> { }));
        assertThat(noExp.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
    }

    @Test
    void tamperedSignatureIsRefused() {
        DetachedEat eat = FX.eat(1);
        String[] parts = eat.overallToken().split("\\.");
        byte[] sig = Base64.getUrlDecoder().decode(parts[2]);
        sig[10] ^= 0x01;
        String tampered = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
        assertThat(refusal(new DetachedEat(tampered, eat.submodTokens())).reason())
                .isEqualTo(Reason.SIGNATURE_INVALID);
        // a payload swapped under a valid signature
        String otherPayload = FX.eat(1, o -> o.put("x-nvidia-overall-att-result", false), d -> { })
                .overallToken().split("\\.")[1];
        assertThat(refusal(new DetachedEat(parts[0] + "." + otherPayload + "." + parts[2], eat.submodTokens()))
                .reason()).isEqualTo(Reason.SIGNATURE_INVALID);
    }

    @Test
    void keyFromAnotherJwksOrUnknownKidIsRefused() {
        NrasFixture stranger = new NrasFixture();
        assertThat(refusal(stranger.eat(1)).reason()).isEqualTo(Reason.SIGNATURE_INVALID);
        NrasFixture otherKid = new NrasFixture("rotated-kid-2");
        CocoException e = refusal(otherKid.eat(1));
        assertThat(e.reason()).isEqualTo(Reason.CHAIN_INVALID);
        assertThat(e.detail()).contains("rotated-kid-2");
    }

    @Test
    void algNoneHs256AndMissingKidAreRefused() {
        DetachedEat good = FX.eat(1);
        ObjectNode overall = NrasFixture.overallClaims();
        overall.putObject("submods").putArray("GPU-0").add("DIGEST").addArray().add("SHA-256")
                .add(NrasFixture.sha256Hex(good.submodTokens().get("GPU-0")));
        for (String token : new String[] {NrasFixture.unsigned(overall),
                FX.sign(overall, JWSAlgorithm.HS256, NrasFixture.KID),
                FX.sign(overall, JWSAlgorithm.HS384, NrasFixture.KID),
                FX.sign(overall, JWSAlgorithm.ES384, null)}) {
            CocoException e = refusal(new DetachedEat(token, good.submodTokens()));
            assertThat(e.reason()).as(token).isEqualTo(Reason.SIGNATURE_INVALID);
        }
    }

    @Test
    void submodsMustNameExactlyTheDeviceTokensByDigest() {
        DetachedEat two = FX.eat(2);
        Map<String, String> onlyOne = new LinkedHashMap<>(two.submodTokens());
        onlyOne.remove("GPU-1");
        CocoException missing = refusal(new DetachedEat(two.overallToken(), onlyOne));
        assertThat(missing.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
        assertThat(missing.detail()).contains("missing [GPU-1]");

        Map<String, String> extra = new LinkedHashMap<>(two.submodTokens());
        extra.put("GPU-7", two.submodTokens().get("GPU-0"));
        assertThat(refusal(new DetachedEat(two.overallToken(), extra)).reason())
                .isEqualTo(Reason.MALFORMED_EVIDENCE);

        // validly signed device tokens swapped between GPUs: the digests no longer bind them
        Map<String, String> swapped = new LinkedHashMap<>();
        swapped.put("GPU-0", two.submodTokens().get("GPU-1"));
        swapped.put("GPU-1", two.submodTokens().get("GPU-0"));
        CocoException e = refusal(new DetachedEat(two.overallToken(), swapped));
        assertThat(e.reason()).isEqualTo(Reason.SIGNATURE_INVALID);
        assertThat(e.detail()).contains("digest");

        assertThat(refusal(FX.eat(1, o -> o.remove("submods"), d -> { })).reason())
                .isEqualTo(Reason.MALFORMED_EVIDENCE);
    }

    @Test
    void negativeVerdictsAreAllListed() {
        CocoException e = refusal(FX.eat(2, o -> o.put("x-nvidia-overall-att-result", false), d -> {
            d.put("measres", "fail");
            d.put("x-nvidia-gpu-attestation-report-nonce-match", false);
        }));
        assertThat(e.failures()).extracting(CocoException.Failure::reason).containsExactly(
                Reason.POLICY_VIOLATION, Reason.NONCE_MISMATCH, Reason.MEASUREMENT_MISMATCH,
                Reason.NONCE_MISMATCH, Reason.MEASUREMENT_MISMATCH);
        assertThat(e.failures().get(4).detail()).startsWith("GPU-1");
    }

    @Test
    void issuerMustBeNvidias() {
        CocoException e = refusal(FX.eat(1, o -> o.put("iss", "https://nras.attestation-stg.nvidia.com"), d -> { }));
        assertThat(e.reason()).isEqualTo(Reason.CHAIN_INVALID);
        NrasTokenVerifier staging = NrasTokenVerifier.builder().jwks(NrasJwks.of(FX.jwks()))
                .issuer("https://nras.attestation-stg.nvidia.com").build();
        assertThat(refusal(staging, FX.eat(1), NrasFixture.NONCE, AT).reason()).isEqualTo(Reason.CHAIN_INVALID);
    }

    @Test
    void ppcieModeNeedsSwitchEvidenceUnlessAllowed() {
        DetachedEat eat = FX.eat(2, o -> { }, d -> d.put("x-nvidia-gpu-mode", "PPCIE"));
        CocoException e = refusal(eat);
        assertThat(e.reason()).isEqualTo(Reason.POLICY_VIOLATION);
        assertThat(e.detail()).contains("PPCIe").contains("NVSwitch");
        NrasTokenVerifier lenient = NrasTokenVerifier.builder().jwks(NrasJwks.of(FX.jwks()))
                .allowPpcieWithoutSwitchEvidence(true).build();
        NrasResult r = lenient.verify(eat, NrasFixture.NONCE, AT);
        assertThat(r.gpus().getFirst().mode()).contains(GpuMode.PPCIE);
        assertThat(r.warnings()).anyMatch(w -> w.contains("PPCIe"));
        assertThat(VERIFIER.verify(FX.eat(1, o -> { }, d -> d.put("x-nvidia-gpu-mode", "MPT")), NrasFixture.NONCE,
                AT).gpus().getFirst().mode()).contains(GpuMode.MPT);
    }

    @Test
    void nvidiasRealSampleEatIsBoundByItsDigestsButItsKeyIsNotHere() throws Exception {
        DetachedEat real = DetachedEat.parse(Vectors.bytes(
                "nvat-testdata/sample_attestation_data__hopperClaimsv3_detached_eat.json"));
        assertThat(real.submodTokens()).containsOnlyKeys("GPU-0");
        String device = real.submodTokens().get("GPU-0");
        JsonNode overall = NrasFixture.JSON.readTree(Base64.getUrlDecoder()
                .decode(real.overallToken().split("\\.")[1]));
        assertThat(overall.at("/submods/GPU-0/1/1").asText()).isEqualTo(NrasFixture.sha256Hex(device));
        assertThat(overall.get("eat_nonce").asText()).isEqualTo(java.util.HexFormat.of().formatHex(Vectors.NONCE_931D));
        JsonNode payload = NrasFixture.JSON.readTree(new String(Base64.getUrlDecoder().decode(device.split("\\.")[1]),
                StandardCharsets.UTF_8));
        assertThat(payload).isEqualTo(Vectors.json("nvat-testdata/sample_attestation_data__hopperClaimsv3_decoded.json")
                .get("GPU-0"));
        // NVIDIA's JWKS for kid nv-eat-kid-prod-20250609... is not among the vectors: refused, never accepted
        Instant issued = Instant.ofEpochSecond(overall.get("iat").asLong()).plusSeconds(10);
        CocoException e = refusal(VERIFIER, real, Vectors.NONCE_931D, issued);
        assertThat(e.reason()).isEqualTo(Reason.CHAIN_INVALID);
        assertThat(e.detail()).contains("nv-eat-kid-prod");
        // and round trip of the answer format
        assertThat(DetachedEat.parse(real.toJson())).isEqualTo(real);
    }

    @Test
    void malformedAnswersAreTyped() {
        for (String s : new String[] {"", "{}", "[]", "[[\"JWT\"],{}]", "[[\"JWS\",\"a\"],{}]", "[[\"JWT\",\"a\"],[]]",
                "[[\"JWT\",\"a\"],{\"GPU-0\":1}]", "not json"}) {
            try {
                DetachedEat.parse(s.getBytes(StandardCharsets.UTF_8));
                throw new AssertionError("parsed " + s);
            } catch (CocoException e) {
                assertThat(e.reason()).as(s).isEqualTo(Reason.MALFORMED_EVIDENCE);
            }
        }
        assertThat(refusal(new DetachedEat("a.b.c", Map.of())).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
    }
}
