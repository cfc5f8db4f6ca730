package dev.coco4j.kbs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.coco4j.core.ReportData.HashAlgorithm;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.protocol.Attestation;
import dev.coco4j.kbs.protocol.Challenge;
import dev.coco4j.kbs.protocol.ErrorInformation;
import dev.coco4j.kbs.protocol.ErrorType;
import dev.coco4j.kbs.protocol.KbsRequest;
import dev.coco4j.kbs.protocol.ResourceResponses;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import dev.coco4j.kbs.protocol.TokenResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A scripted Trustee-like KBS for MockWebServer: real challenge/cookie handling, sample-evidence binding check, ES256
 * tokens carrying the tee-pubkey, and resources as real JWEs encrypted (with nimbus) to that key. Faults are switched
 * on by the tests.
 */
final class ScriptedKbs extends Dispatcher {
    final AtomicInteger auths = new AtomicInteger();
    final AtomicInteger attests = new AtomicInteger();
    final AtomicInteger resourceGets = new AtomicInteger();
    final Map<String, byte[]> resources = new ConcurrentHashMap<>();
    final Map<String, JsonNode> tokens = new ConcurrentHashMap<>();
    private final Map<String, String> nonces = new ConcurrentHashMap<>();
    private final SecureRandom rnd = new SecureRandom();
    private final ECKey signer;

    volatile Clock clock = Clock.systemUTC();
    volatile Duration tokenLifetime = Duration.ofMinutes(5);
    volatile boolean policyDeny;
    volatile boolean missingAs404;
    volatile boolean malformedChallenge;
    volatile boolean noCookie;
    volatile boolean wrongKey;
    volatile boolean tamperTag;
    volatile boolean rejectEvidence;
    final AtomicInteger fail5xx = new AtomicInteger();
    final AtomicInteger refuseTokens = new AtomicInteger();
    volatile long authDelayMs;
    volatile String lastAttestCookie;
    volatile String lastAttestBody;
    volatile String lastAuthTee;

    ScriptedKbs() {
        try {
            signer = new ECKeyGenerator(Curve.P_256).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MockResponse error(ErrorType t, String detail) {
        return new MockResponse().setResponseCode(t.httpStatus()).setHeader("Content-Type", "application/json")
                .setBody(Json.write(ErrorInformation.of(t, detail).toJson()));
    }

    private static MockResponse json(JsonNode body) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(Json.write(body));
    }

    /** Issues a token binding {@code teePubkey}, as the attestation service would. */
    String issueToken(JsonNode teePubkey) {
        try {
            ObjectNode rd = Json.object();
            rd.set("tee-pubkey", teePubkey);
            Map<String, Object> submods = Map.of("cpu0", Map.of("ear.status", "affirming",
                    "ear.veraison.annotated-evidence", Map.of("runtime_data_claims",
                            Json.MAPPER.convertValue(rd, Map.class))));
            var now = clock.instant();
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(tokenLifetime))).claim("submods", submods)
                    .claim("eat_profile", "tag:github.com,2024:confidential-containers/Trustee").build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).jwk(signer.toPublicJWK()).build(),
                    claims);
            jwt.sign(new ECDSASigner(signer));
            String t = jwt.serialize();
            tokens.put(t, teePubkey);
            return t;
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public MockResponse dispatch(RecordedRequest r) {
        String path = r.getPath() == null ? "" : r.getPath();
        if (fail5xx.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
            return new MockResponse().setResponseCode(503);
        }
        if (path.equals("/kbs/v0/auth")) {
            auths.incrementAndGet();
            MockResponse slow = authDelayMs > 0 ? new MockResponse().setHeadersDelay(authDelayMs,
                    TimeUnit.MILLISECONDS) : null;
            KbsRequest req = KbsRequest.fromJson(Json.parse(r.getBody().readUtf8(), "request"));
            lastAuthTee = req.tee();
            if (!req.version().equals("0.4.0")) {
                return error(ErrorType.ATTESTATION_ERROR, "Attestation error: RCAR handshake Auth failed: KBS Client"
                        + " Protocol Version Mismatch: expect =0.4.0 while the request is " + req.version());
            }
            byte[] n = new byte[32];
            rnd.nextBytes(n);
            byte[] id = new byte[16];
            rnd.nextBytes(id);
            String cookie = HexFormat.of().formatHex(id);
            String nonce = Base64.getEncoder().encodeToString(n);
            nonces.put(cookie, nonce);
            MockResponse m = slow != null ? slow : new MockResponse();
            m.setHeader("Content-Type", "application/json");
            if (!noCookie) {
                m.setHeader("Set-Cookie", "kbs-session-id=" + cookie + "; Expires=Wed, 21 Oct 2099 07:28:00 GMT");
            }
            m.setBody(malformedChallenge ? "{\"nonce\":" : Json.write(new Challenge(nonce, null).toJson()));
            return m;
        }
        if (path.equals("/kbs/v0/attest")) {
            attests.incrementAndGet();
            String cookieHeader = r.getHeader("Cookie");
            lastAttestCookie = cookieHeader;
            String cookie = cookieHeader == null ? "" : cookieHeader.replace("kbs-session-id=", "");
            String nonce = nonces.get(cookie);
            String body = r.getBody().readUtf8();
            lastAttestBody = body;
            if (nonce == null) {
                return error(ErrorType.ATTESTATION_ERROR, "Attestation error: RCAR handshake Attest failed");
            }
            Attestation att = Attestation.fromJson(Json.parse(body, "attestation"));
            RuntimeDataBinding b = new RuntimeDataBinding(HashAlgorithm.SHA384, att.runtimeData().nonce(),
                    att.runtimeData().teePubkey(), att.teeEvidence().additionalEvidence());
            String expected = Base64.getEncoder().encodeToString(b.primaryDigest());
            JsonNode rd = att.teeEvidence().primaryEvidence().get("report_data");
            if (rejectEvidence || !nonce.equals(att.runtimeData().nonce()) || rd == null
                    || !expected.equals(rd.textValue())) {
                return error(ErrorType.ATTESTATION_ERROR, "Attestation error: RCAR handshake Attest failed");
            }
            return json(new TokenResponse(issueToken(att.runtimeData().teePubkey())).toJson());
        }
        if (path.startsWith("/kbs/v0/resource/")) {
            resourceGets.incrementAndGet();
            String auth = r.getHeader("Authorization");
            JsonNode key = auth == null ? null : tokens.get(auth.replace("Bearer ", ""));
            if (key == null) {
                return error(ErrorType.TOKEN_NOT_FOUND, "Attestation Token not found");
            }
            if (refuseTokens.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
                return error(ErrorType.TOKEN_VERIFIER_ERROR, "Token Verifier error");
            }
            if (policyDeny) {
                return error(ErrorType.POLICY_DENY, "Access denied by policy");
            }
            byte[] res = resources.get(path.substring("/kbs/v0/resource/".length()));
            if (res == null) {
                return missingAs404 ? error(ErrorType.INVALID_REQUEST_PATH, "Request path  is invalid")
                        : error(ErrorType.PLUGIN_INTERNAL_ERROR, "Plugin internal error");
            }
            JsonNode to = key;
            if (wrongKey) {
                try {
                    to = Json.parse(new ECKeyGenerator(Curve.P_256).algorithm(
                            com.nimbusds.jose.JWEAlgorithm.ECDH_ES_A256KW).generate().toPublicJWK().toJSONString(),
                            "k");
                } catch (JOSEException e) {
                    throw new IllegalStateException(e);
                }
            }
            ObjectNode jwe = ResourceResponses.encrypt(to, res);
            if (tamperTag) {
                String tag = jwe.get("tag").textValue();
                jwe.put("tag", (tag.charAt(0) == 'A' ? "B" : "A") + tag.substring(1));
            }
            return json(jwe);
        }
        return error(ErrorType.INVALID_REQUEST_PATH, "Request path " + path + " is invalid");
    }
}
