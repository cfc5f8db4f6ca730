package dev.coco4j.gpu.nras;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import dev.coco4j.gpu.Vectors;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Builds NRAS-shaped answers: the real claim sets from vectors/gpu (nvtrust-eat-claims, nvat-testdata) as payloads,
 * signed with a test ES384 key that a test JWKS serves, with the submods digests recomputed for the re-signed device
 * tokens. NVIDIA's own signatures cannot be reproduced, so this is how the verifier's checks are exercised.
 */
final class NrasFixture {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String KID = "coco4j-test-kid-1";
    static final byte[] NONCE = Vectors.NONCE_931D;
    /** The instant the fixture's tokens are valid around (iat = nbf = NOW, exp = NOW + 1 h). */
    static final Instant NOW = Instant.parse("2026-01-15T12:00:00Z");

    final ECKey key;

    NrasFixture() {
        this(KID);
    }

    NrasFixture(String kid) {
        try {
            key = new ECKeyGenerator(Curve.P_384).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public JWKS document. */
    String jwks() {
        return new JWKSet(key.toPublicJWK()).toString();
    }

    /** Overall claims from the claims-3.0 "granular" remote vector, times set around NOW. */
    static ObjectNode overallClaims() {
        ObjectNode o = (ObjectNode) Vectors.json("nvtrust-eat-claims/overall_granular_claims_remote.json").deepCopy();
        o.put("iss", NrasTokenVerifier.NVIDIA_ISSUER);
        times(o);
        return o;
    }

    /** Device claims from the claims-3.0 "granular" remote vector, times set around NOW. */
    static ObjectNode deviceClaims() {
        ObjectNode d = (ObjectNode) Vectors.json("nvtrust-eat-claims/detached_granular_claims_remote.json").deepCopy();
        d.put("iss", NrasTokenVerifier.NVIDIA_ISSUER);
        times(d);
        return d;
    }

    static void times(ObjectNode n) {
        n.put("iat", NOW.getEpochSecond());
        n.put("nbf", NOW.getEpochSecond());
        n.put("exp", NOW.getEpochSecond() + 3600);
    }

    /** Signs a payload with this key, ES384, kid as configured. */
    String sign(JsonNode payload) {
        return sign(payload, JWSAlgorithm.ES384, key.getKeyID());
    }

    String sign(JsonNode payload, JWSAlgorithm alg, String kid) {
        try {
            JWSHeader.Builder h = new JWSHeader.Builder(alg).type(JOSEObjectType.JWT);
            if (kid != null) {
                h.keyID(kid);
            }
            JWSObject o = new JWSObject(h.build(), new Payload(JSON.writeValueAsString(payload)));
            if (alg.getName().startsWith("HS")) {
                // the classic confusion: the public key's bytes as an HMAC secret
                byte[] secret = MessageDigest.getInstance("SHA-512").digest(key.toPublicJWK().toJSONString()
                        .getBytes(StandardCharsets.UTF_8));
                o.sign(new MACSigner(secret));
            } else {
                o.sign(new ECDSASigner(key));
            }
            return o.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** An unsecured (alg none) token. */
    static String unsigned(JsonNode payload) {
        return Base64URL.encode("{\"alg\":\"none\"}").toString() + "." + Base64URL.encode(payload.toString())
                + ".";
    }

    static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A detached EAT for {@code gpus} GPUs; the editors change the claims before signing. */
    DetachedEat eat(int gpus, Consumer<ObjectNode> editOverall, Consumer<ObjectNode> editDevice) {
        Map<String, String> devices = new LinkedHashMap<>();
        ObjectNode overall = overallClaims();
        ObjectNode submods = overall.putObject("submods");
        for (int i = 0; i < gpus; i++) {
            ObjectNode d = deviceClaims();
            d.put("ueid", d.get("ueid").asText() + i);
            editDevice.accept(d);
            String token = sign(d);
            devices.put("GPU-" + i, token);
            submods.putArray("GPU-" + i).add("DIGEST").addArray().add("SHA-256").add(sha256Hex(token));
        }
        editOverall.accept(overall);
        return new DetachedEat(sign(overall), devices);
    }

    DetachedEat eat(int gpus) {
        return eat(gpus, o -> { }, d -> { });
    }
}
