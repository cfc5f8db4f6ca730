package dev.coco4j.kbs.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.util.Base64;
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.SignedJWT;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.CertificateChainVerifier;
import dev.coco4j.core.crypto.SignatureRule;
import dev.coco4j.kbs.internal.Json;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;

/**
 * Verifies attestation tokens from Trustee's CoCo attestation service for a relying party
 * ({@code kbs/docs/attestation_token_verification.md}): an ES256 JWT whose header {@code jwk} (EC P-256) verifies the
 * signature and is endorsed by a non-empty {@code x5c} chain whose leaf key equals the {@code jwk} and which leads
 * (with intermediates in any order) to one of the configured roots; and an {@code exp} after the injected clock's now.
 * The header {@code jwk} alone is never trusted.
 *
 * <p>Refusals are {@link AttestationException}s: {@link Reason#MALFORMED_EVIDENCE} (not a JWT, wrong alg or key),
 * {@link Reason#SIGNATURE_INVALID}, {@link Reason#CHAIN_INVALID} (no or broken x5c, leaf ≠ jwk, unknown root),
 * {@link Reason#CERT_EXPIRED} and {@link Reason#COLLATERAL_EXPIRED} (the token's {@code exp} has passed). Immutable and
 * thread-safe.
 */
public final class KbsTokenVerifier {
    private final List<X509Certificate> roots;
    private final Clock clock;
    private final SignatureRule rule;

    private KbsTokenVerifier(Builder b) {
        this.roots = List.copyOf(b.roots);
        this.clock = b.clock;
        this.rule = b.rule;
    }

    /**
     * A new builder.
     *
     * @return a new builder with no trust anchors, the system UTC clock and {@link SignatureRule#any()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a compact JWS token.
     *
     * @param token the compact JWS text; not null
     * @return the verified claims and expiry
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if it is not an ES256 JWT with an EC P-256 public
     *     header {@code jwk}, valid claims and an {@code exp}; {@link Reason#CHAIN_INVALID} or
     *     {@link Reason#CERT_EXPIRED} if the {@code x5c} chain does not endorse the key;
     *     {@link Reason#SIGNATURE_INVALID} if the signature does not verify; {@link Reason#COLLATERAL_EXPIRED} if
     *     {@code exp} is not after the clock's now
     */
    public VerifiedToken verify(String token) {
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(Objects.requireNonNull(token, "token"));
        } catch (ParseException e) {
            throw fail(Reason.MALFORMED_EVIDENCE, "attestation token is not a signed JWT");
        }
        if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
            throw fail(Reason.MALFORMED_EVIDENCE, "attestation token alg is " + jwt.getHeader().getAlgorithm()
                    + ", not ES256");
        }
        JWK jwk = jwt.getHeader().getJWK();
        if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve()) || ec.isPrivate()) {
            throw fail(Reason.MALFORMED_EVIDENCE, "attestation token header has no EC P-256 public jwk");
        }
        Instant now = clock.instant();
        checkEndorsement(ec, now);
        try {
            if (!jwt.verify(new ECDSAVerifier(ec))) {
                throw fail(Reason.SIGNATURE_INVALID, "attestation token signature does not verify");
            }
        } catch (JOSEException e) {
            throw fail(Reason.SIGNATURE_INVALID, "attestation token signature does not verify");
        }
        JsonNode claims;
        Date exp;
        try {
            claims = Json.parse(jwt.getPayload().toString(), "token claims");
            exp = jwt.getJWTClaimsSet().getExpirationTime();
        } catch (ParseException | IllegalArgumentException e) {
            throw fail(Reason.MALFORMED_EVIDENCE, "attestation token claims are malformed");
        }
        if (exp == null) {
            throw fail(Reason.MALFORMED_EVIDENCE, "attestation token has no exp");
        }
        if (!now.isBefore(exp.toInstant())) {
            throw fail(Reason.COLLATERAL_EXPIRED, "attestation token expired at " + exp.toInstant());
        }
        return new VerifiedToken(claims, exp.toInstant());
    }

    /**
     * Checks that a header JWK (as JSON, with {@code x5c}) is endorsed by the configured roots at the clock's now.
     *
     * @param headerJwk the JWK JSON object, with an {@code x5c} array of base64 DER certificates, leaf first; not null
     * @throws AttestationException with {@link Reason#MALFORMED_EVIDENCE} if the JWK does not parse
     * @throws AttestationException with {@link Reason#CHAIN_INVALID} or {@link Reason#CERT_EXPIRED} if not
     */
    public void checkEndorsement(JsonNode headerJwk) {
        JWK jwk;
        try {
            jwk = JWK.parse(Json.write(headerJwk));
        } catch (ParseException e) {
            throw fail(Reason.MALFORMED_EVIDENCE, "header jwk is malformed");
        }
        checkEndorsement(jwk, clock.instant());
    }

    private void checkEndorsement(JWK jwk, Instant now) {
        List<Base64> x5c = jwk.getX509CertChain();
        if (x5c == null || x5c.isEmpty()) {
            throw fail(Reason.CHAIN_INVALID, "token signing key has no x5c certificate chain");
        }
        List<X509Certificate> certs = new ArrayList<>();
        for (Base64 b : x5c) {
            X509Certificate c = X509CertUtils.parse(b.decode());
            if (c == null) {
                throw fail(Reason.CHAIN_INVALID, "x5c holds an unparseable certificate");
            }
            certs.add(c);
        }
        X509Certificate leaf = certs.getFirst();
        try {
            if (!(jwk instanceof AsymmetricJWK ak)
                    || !Arrays.equals(leaf.getPublicKey().getEncoded(), ak.toPublicKey().getEncoded())) {
                throw fail(Reason.CHAIN_INVALID, "x5c leaf certificate key differs from the header jwk");
            }
        } catch (JOSEException e) {
            throw fail(Reason.CHAIN_INVALID, "header jwk is not a usable public key");
        }
        // Order: leaf, then repeatedly the certificate whose subject is the current issuer (x5c order is not trusted).
        List<X509Certificate> chain = new ArrayList<>(List.of(leaf));
        List<X509Certificate> rest = new ArrayList<>(certs.subList(1, certs.size()));
        X509Certificate cur = leaf;
        while (!cur.getIssuerX500Principal().equals(cur.getSubjectX500Principal())) {
            X509Certificate next = null;
            for (X509Certificate c : rest) {
                if (c.getSubjectX500Principal().equals(cur.getIssuerX500Principal())) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                break;
            }
            rest.remove(next);
            chain.add(next);
            cur = next;
        }
        CocoException last = null;
        for (int end = chain.size(); end >= 1; end--) {
            List<X509Certificate> prefix = chain.subList(0, end);
            for (X509Certificate root : roots) {
                try {
                    if (CertificateChainVerifier.sameCertificate(prefix.getLast(), root)) {
                        // the chain reaches the pinned root itself: verify up to it, then the root's validity
                        if (end == 1) {
                            CertificateChainVerifier.checkValidity(root, now);
                        } else {
                            CertificateChainVerifier.verifyChain(prefix.subList(0, end - 1), root, rule, now);
                        }
                    } else {
                        CertificateChainVerifier.verifyChain(prefix, root, rule, now);
                    }
                    return;
                } catch (CocoException e) {
                    if (last == null || e.reason() == Reason.CERT_EXPIRED) {
                        last = e;
                    }
                }
            }
        }
        if (last != null && last.reason() == Reason.CERT_EXPIRED) {
            throw fail(Reason.CERT_EXPIRED, "token signer chain: " + last.detail());
        }
        throw fail(Reason.CHAIN_INVALID, "token signer chain does not lead to a trusted root"
                + (last == null ? "" : " (" + last.detail() + ")"));
    }

    private static AttestationException fail(Reason r, String detail) {
        return new AttestationException(r, detail);
    }

    /** Builds a {@link KbsTokenVerifier}. */
    public static final class Builder {
        private final List<X509Certificate> roots = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private SignatureRule rule = SignatureRule.any();

        private Builder() {
        }

        /**
         * Adds trusted roots (self-signed) for the token signer's {@code x5c} chain.
         *
         * @param anchors the root certificates; not null, added to those given before (the list is not kept)
         * @return this builder
         */
        public Builder trustAnchors(List<X509Certificate> anchors) {
            roots.addAll(anchors);
            return this;
        }

        /**
         * The clock for {@code exp} and certificate validity (default UTC system clock).
         *
         * @param clock the clock for the {@code exp} and validity checks; not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The rule for certificate signature algorithms in the chain (default {@link SignatureRule#any()}).
         *
         * @param rule the allowed certificate signature algorithms; not null
         * @return this builder
         */
        public Builder signatureRule(SignatureRule rule) {
            this.rule = Objects.requireNonNull(rule, "rule");
            return this;
        }

        /**
         * Builds the verifier; at least one trust anchor is required.
         *
         * @return a new immutable verifier holding a copy of the anchors
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if no trust anchor was added
         */
        public KbsTokenVerifier build() {
            if (roots.isEmpty()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "token verifier needs at least one trust anchor");
            }
            return new KbsTokenVerifier(this);
        }
    }
}
