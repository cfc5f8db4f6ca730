package dev.coco4j.gpu.nras;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.Base64;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.collateral.CachePolicy;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.core.collateral.CollateralRequest;
import dev.coco4j.core.crypto.CertificateChainVerifier;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.crypto.SignatureRule;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The keys NRAS signs its tokens with: a JWKS ({@code {"keys": [ {"kty": "EC", "crv": "P-384", "kid": ..., "x": ...,
 * "y": ..., "x5c": [...]}, ... ]}}), either fetched from the service's {@code /.well-known/jwks.json} through a
 * {@link CollateralFetcher} (kept in memory for a TTL, fetched once more when a token names a {@code kid} the cached
 * set does not hold, so key rotation works, but at most once per {@link Builder#minRefreshInterval}) or given as a
 * fixed document (offline, tests).
 *
 * <p>Only EC P-384 keys are returned. With a pinned {@link Builder#x5cRoot x5c root}, a key is accepted only if its
 * {@code x5c} chain verifies to that root at the verification instant and the chain's leaf holds the same public key
 * (a key without {@code x5c} is refused). Without one, the JWKS is trusted as the TLS connection to the service
 * authenticated it (see the package documentation). Thread-safe.
 */
public final class NrasJwks {
    /** The path of the JWKS below NRAS's base URL. */
    public static final String WELL_KNOWN_PATH = "/.well-known/jwks.json";
    private static final int MAX_JWKS_BYTES = 1 << 20;

    private final CollateralFetcher fetcher;
    private final String url;
    private final Duration ttl;
    private final JWKSet fixed;
    private final X509Certificate x5cRoot;
    private final Duration minRefreshInterval;
    private volatile Cached cached;

    private NrasJwks(Builder b) {
        this.fetcher = b.fetcher;
        this.url = b.url;
        this.ttl = b.ttl;
        this.fixed = b.fixed;
        this.x5cRoot = b.x5cRoot;
        this.minRefreshInterval = b.minRefreshInterval;
    }

    /**
     * A builder; give either {@link Builder#url} (with a fetcher) or {@link Builder#document}.
     *
     * @return a new builder with a one-hour TTL, a 30 s minimum refresh interval and no x5c root
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A fixed JWKS document (offline use, tests), with no pinned x5c root.
     *
     * @param jwksJson the JWKS JSON text; must not be {@code null}
     * @return a key source that never fetches and serves only the keys of that document
     * @throws CollateralException {@link Reason#COLLATERAL_INVALID} if the text is not a JWK set
     */
    public static NrasJwks of(String jwksJson) {
        return builder().document(jwksJson).build();
    }

    /**
     * The P-384 public key for {@code kid}, valid at {@code at}.
     *
     * @param kid the {@code kid} from the token header; must not be {@code null}
     * @param at the instant the x5c chain (if a root is pinned) must be valid at, normally the verification instant;
     *     must not be {@code null}
     * @return the EC P-384 public key with that kid; never {@code null}
     * @throws AttestationException {@link Reason#CHAIN_INVALID} if no usable key has that kid (also after one fresh
     *     fetch) or its x5c chain does not verify to the pinned root; {@link Reason#CERT_EXPIRED} if a certificate of
     *     that chain is outside its validity
     * @throws CollateralException {@link Reason#COLLATERAL_INVALID} for an unparseable JWKS, or the fetcher's
     *     {@link Reason#SERVICE_UNAVAILABLE} / {@link Reason#COLLATERAL_UNAVAILABLE}
     */
    public ECPublicKey key(String kid, Instant at) {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(at, "at");
        JWK jwk = load(false).getKeyByKeyId(kid);
        if (jwk == null && fixed == null && refreshAllowed()) {
            jwk = load(true).getKeyByKeyId(kid);
        }
        if (jwk == null) {
            throw new AttestationException(Reason.CHAIN_INVALID, "no NRAS signing key with kid '" + kid
                    + "' in the JWKS" + (url != null ? " from " + url : ""));
        }
        if (!(jwk instanceof ECKey ec) || !Curve.P_384.equals(ec.getCurve())) {
            throw new AttestationException(Reason.CHAIN_INVALID, "NRAS key '" + kid + "' is not an EC P-384 key");
        }
        ECPublicKey key;
        try {
            key = ec.toECPublicKey();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new AttestationException(Reason.CHAIN_INVALID, "NRAS key '" + kid + "' is not a usable P-384 key", e);
        }
        if (x5cRoot != null) {
            checkX5c(kid, ec, key, at);
        }
        return key;
    }

    private void checkX5c(String kid, ECKey ec, ECPublicKey key, Instant at) {
        List<Base64> x5c = ec.getX509CertChain();
        if (x5c == null || x5c.isEmpty()) {
            throw new AttestationException(Reason.CHAIN_INVALID, "NRAS key '" + kid + "' has no x5c chain, and an x5c "
                    + "root is pinned");
        }
        List<X509Certificate> chain = new ArrayList<>();
        for (Base64 b : x5c) {
            try {
                chain.add(Certificates.parse(b.decode()));
            } catch (RuntimeException e) {
                throw new AttestationException(Reason.CHAIN_INVALID, "NRAS key '" + kid + "' has an unparseable x5c "
                        + "certificate", e);
            }
        }
        CertificateChainVerifier.verifyChain(chain, x5cRoot, SignatureRule.ecdsa(), at);
        if (!java.util.Arrays.equals(chain.getFirst().getPublicKey().getEncoded(), key.getEncoded())) {
            throw new AttestationException(Reason.CHAIN_INVALID, "NRAS key '" + kid + "' differs from the key of its "
                    + "x5c leaf certificate");
        }
    }

    /** A forced refresh at most once per {@code minRefreshInterval}, so unknown kids cannot make us hammer NRAS. */
    private boolean refreshAllowed() {
        Cached c = cached;
        return c == null || !fetcher.clock().instant().isBefore(c.fetched().plus(minRefreshInterval));
    }

    private JWKSet load(boolean fresh) {
        if (fixed != null) {
            return fixed;
        }
        Instant now = fetcher.clock().instant();
        Cached c = cached;
        if (!fresh && c != null && now.isBefore(c.expires())) {
            return c.set();
        }
        CollateralRequest req = CollateralRequest.builder(url).cachePolicy(new CachePolicy.NoCache())
                .validator(NrasJwks::parse).build();
        JWKSet set = parse(fetcher.fetch(req).body());
        cached = new Cached(set, now, now.plus(ttl));
        return set;
    }

    /** A fetched JWKS, when it was fetched and until when it is reused. */
    private record Cached(JWKSet set, Instant fetched, Instant expires) {
    }

    private static JWKSet parse(byte[] body) {
        if (body.length > MAX_JWKS_BYTES) {
            throw new CollateralException(Reason.COLLATERAL_INVALID, "NRAS JWKS larger than " + MAX_JWKS_BYTES
                    + " bytes");
        }
        try {
            return JWKSet.parse(new String(body, StandardCharsets.UTF_8));
        } catch (ParseException | RuntimeException e) {
            throw new CollateralException(Reason.COLLATERAL_INVALID, "NRAS JWKS is not a valid JWK set");
        }
    }

    @Override
    public String toString() {
        return "NrasJwks[" + (fixed != null ? "fixed, " + fixed.getKeys().size() + " keys" : url + ", ttl " + ttl)
                + (x5cRoot != null ? ", x5c root " + CertificateChainVerifier.subjectName(x5cRoot) : "") + "]";
    }

    /** Builds {@link NrasJwks}. Not thread-safe. */
    public static final class Builder {
        private CollateralFetcher fetcher;
        private String url;
        private Duration ttl = Duration.ofHours(1);
        private JWKSet fixed;
        private X509Certificate x5cRoot;
        private Duration minRefreshInterval = Duration.ofSeconds(30);

        private Builder() {
        }

        /**
         * The shortest time between two fetches forced by an unknown {@code kid} (default 30 s): tokens naming unknown
         * kids cannot turn every verification into a JWKS request.
         *
         * @param value the interval, zero or positive (zero allows a fetch for every unknown kid); must not be
         *     {@code null}
         * @return this builder
         * @throws ConfigurationException {@link Reason#CONFIGURATION} if {@code value} is negative
         */
        public Builder minRefreshInterval(Duration value) {
            if (value.isNegative()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "minRefreshInterval must not be negative");
            }
            this.minRefreshInterval = value;
            return this;
        }

        /**
         * The JWKS URL (e.g. NRAS's base URL + {@value NrasJwks#WELL_KNOWN_PATH}).
         *
         * @param value the absolute JWKS URL; must not be {@code null}; fetched through
         *     {@link #fetcher(CollateralFetcher)}
         * @return this builder
         */
        public Builder url(String value) {
            this.url = Objects.requireNonNull(value, "url");
            return this;
        }

        /**
         * The fetcher for {@link #url} (default: a new {@link CollateralFetcher} with its defaults).
         *
         * @param value the fetcher that loads the JWKS, with its retries and clock; must not be {@code null}
         * @return this builder
         */
        public Builder fetcher(CollateralFetcher value) {
            this.fetcher = Objects.requireNonNull(value, "fetcher");
            return this;
        }

        /**
         * How long a fetched JWKS is reused (default one hour).
         *
         * @param value the TTL, zero or positive (zero refetches on every lookup); must not be {@code null}
         * @return this builder
         * @throws ConfigurationException {@link Reason#CONFIGURATION} if {@code value} is negative
         */
        public Builder ttl(Duration value) {
            if (value.isNegative()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "JWKS ttl must not be negative");
            }
            this.ttl = value;
            return this;
        }

        /**
         * A fixed JWKS document instead of a URL.
         *
         * @param jwksJson the JWKS JSON text; must not be {@code null}; parsed now, at most 1 MiB
         * @return this builder
         * @throws CollateralException {@link Reason#COLLATERAL_INVALID} if it is not a JWK set
         */
        public Builder document(String jwksJson) {
            this.fixed = parse(Objects.requireNonNull(jwksJson, "jwksJson").getBytes(StandardCharsets.UTF_8));
            return this;
        }

        /**
         * Pins a root every key's x5c chain must verify to (default none: see the class documentation).
         *
         * @param value the trust anchor for the keys' {@code x5c} chains; must not be {@code null}
         * @return this builder
         */
        public Builder x5cRoot(X509Certificate value) {
            this.x5cRoot = Objects.requireNonNull(value, "x5cRoot");
            return this;
        }

        /**
         * The key source.
         *
         * @return a new, thread-safe key source; with a URL and no fetcher, a default {@link CollateralFetcher} is
         *     created
         * @throws ConfigurationException {@link Reason#CONFIGURATION} unless exactly one of url and document is set
         */
        public NrasJwks build() {
            if ((url == null) == (fixed == null)) {
                throw new ConfigurationException(Reason.CONFIGURATION, "give the JWKS either as a url or as a "
                        + "document");
            }
            if (url != null && fetcher == null) {
                fetcher = CollateralFetcher.builder().build();
            }
            return new NrasJwks(this);
        }
    }
}
