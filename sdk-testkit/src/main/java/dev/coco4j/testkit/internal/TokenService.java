package dev.coco4j.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.kbs.internal.JweRecipient;
import dev.coco4j.kbs.protocol.TokenClaims;
import java.util.concurrent.ConcurrentHashMap;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.cert.CertificateEncodingException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Issues and verifies the embedded KBS's attestation tokens: EAR-shaped JWTs (draft-ietf-rats-ear, the CoCo AS
 * layout) signed ES256 with the KBS's own P-256 key, whose header carries {@code jwk} with {@code x5c} (token-signing
 * certificate, then the KBS CA). Verification accepts only tokens this instance signed, with {@code alg} ES256 and
 * {@code exp} in the future at the clock's instant.
 */
public final class TokenService {
    /** The EAR profile the CoCo AS writes. */
    public static final String EAT_PROFILE = dev.coco4j.kbs.protocol.TokenClaims.EAR_PROFILE;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KbsIdentity identity;
    private final Clock clock;
    private final Duration lifetime;
    private final String issuer;
    private final ECKey publicJwk;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    /** The most verified tokens {@link #verifyCached(String)} remembers. */
    public static final int CACHE_LIMIT = 4096;

    /**
     * A token service for this identity.
     *
     * @param identity the KBS identity whose token key signs and verifies, not null
     * @param clock the clock for {@code iat}, {@code exp} and expiry checks, not null
     * @param lifetime how long an issued token is valid, positive
     * @param issuer the {@code iss} claim, not null
     * @throws IllegalStateException if the identity's certificates cannot be encoded (not expected)
     */
    public TokenService(KbsIdentity identity, Clock clock, Duration lifetime, String issuer) {
        this.identity = identity;
        this.clock = clock;
        this.lifetime = lifetime;
        this.issuer = issuer;
        try {
            this.publicJwk = new ECKey.Builder(Curve.P_256, identity.tokenPublicKey())
                    .algorithm(JWSAlgorithm.ES256)
                    .x509CertChain(List.of(Base64.encode(identity.tokenCertificate().getEncoded()),
                            Base64.encode(identity.caCertificate().getEncoded())))
                    .build();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Signs a token with these claims plus {@code iss}, {@code iat}, {@code exp} and {@code eat_profile}.
     *
     * @param claims the EAR claims ({@code ear.verifier-id}, {@code submods}, ...)
     * @return the compact JWS
     */
    public String issue(Map<String, Object> claims) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder();
        claims.forEach(b::claim);
        b.claim("eat_profile", EAT_PROFILE)
                .issuer(issuer)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)));
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).jwk(publicJwk).build();
        SignedJWT jwt = new SignedJWT(header, b.build());
        try {
            jwt.sign(new ECDSASigner(identity.tokenPrivateKey()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the attestation token", e);
        }
        return jwt.serialize();
    }

    /**
     * A token this instance verified: its claims (read-only; {@link #copyOf(Object)} them before handing them out),
     * its expiry and the TEE key it carries (parsed once; null if it carries none or one that does not parse).
     *
     * @param claims the claims
     * @param expires the {@code exp} instant
     * @param teeKey the {@code tee-pubkey} ready to seal to (kept with the token, so its ECDH precomputation serves
     *     every release to it), or null
     */
    public record Verified(Map<String, Object> claims, Instant expires, JweRecipient teeKey) {
    }

    /**
     * Verifies a token with a cache of verified tokens keyed by the exact token string: the ES256 signature is checked
     * once per token, the expiry on every call. The cache holds at most {@value #CACHE_LIMIT} tokens (then starts
     * over) and never holds a token that failed verification.
     *
     * @param token the compact JWS as the client sent it (after {@code Bearer }), not null
     * @return the verified token, shared and read-only; empty if the token is malformed, not signed by this KBS, not
     *     ES256, or expired now
     */
    public Optional<Verified> verifyCached(String token) {
        Verified v = verified.get(token);
        if (v == null) {
            Optional<Map<String, Object>> claims = verify(token);
            if (claims.isEmpty()) {
                return Optional.empty();
            }
            v = verified(claims.get());
            if (verified.size() >= CACHE_LIMIT) {
                verified.clear();
            }
            verified.put(token, v);
        }
        return clock.instant().isBefore(v.expires()) ? Optional.of(v) : Optional.empty();
    }

    /**
     * The {@link Verified} form of claims this instance issued and verified (parses the TEE key once).
     *
     * @param claims the verified claims, not null; deep-copied
     * @return the claims frozen read-only, the {@code exp} instant ({@link Instant#MIN} without a numeric {@code exp})
     *     and the TEE key, or a null key when the token carries none or one that does not parse
     */
    public static Verified verified(Map<String, Object> claims) {
        Object exp = claims.get("exp");
        Instant expires = exp instanceof Number n ? Instant.ofEpochSecond(n.longValue()) : Instant.MIN;
        JweRecipient key = null;
        try {
            JsonNode k = TokenClaims.teePubkey(JSON.valueToTree(claims)).orElse(null);
            key = k == null ? null : JweRecipient.parse(k);
        } catch (RuntimeException e) {
            key = null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> frozen = (Map<String, Object>) copyOf(claims);
        return new Verified(java.util.Collections.unmodifiableMap(frozen), expires, key);
    }

    /**
     * A deep, mutable copy of JSON-like maps and lists (other values are immutable and shared).
     *
     * @param value a map, list or JSON scalar; null allowed
     * @return a new {@code LinkedHashMap} (keys turned into strings) or {@code ArrayList} for maps and lists, copied
     *     recursively; {@code value} itself for anything else
     */
    public static Object copyOf(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new java.util.LinkedHashMap<>(m.size() * 2);
            m.forEach((k, v) -> out.put(String.valueOf(k), copyOf(v)));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new java.util.ArrayList<>(l.size());
            l.forEach(v -> out.add(copyOf(v)));
            return out;
        }
        return value;
    }

    /**
     * Verifies a token this instance issued and returns its claims (a fresh, mutable copy).
     *
     * @param token the compact JWS, not null
     * @return empty if the token is malformed, not signed by this KBS, not ES256, or expired
     */
    public Optional<Map<String, Object>> verify(String token) {
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())
                    || !jwt.verify(new ECDSAVerifier(identity.tokenPublicKey()))) {
                return Optional.empty();
            }
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            Date exp = claims.getExpirationTime();
            if (exp == null || !clock.instant().isBefore(exp.toInstant())) {
                return Optional.empty();
            }
            return Optional.of(claimsOf(jwt));
        } catch (ParseException | JOSEException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The claims of a token, parsed from its payload JSON.
     *
     * @param jwt the token, not null; its signature is not checked here
     * @return a fresh, mutable map of the payload's claims
     * @throws IllegalStateException if the payload is not a JSON object
     */
    public static Map<String, Object> claimsOf(SignedJWT jwt) {
        try {
            return JSON.readValue(jwt.getPayload().toString(), new TypeReference<Map<String, Object>>() { });
        } catch (Exception e) {
            throw new IllegalStateException("token payload is not a JSON object", e);
        }
    }

    /**
     * The public JWK (with {@code x5c}) put in every token header.
     *
     * @return the ES256 P-256 public JWK whose {@code x5c} holds the token-signing and CA certificates
     */
    public ECKey publicJwk() {
        return publicJwk;
    }
}
