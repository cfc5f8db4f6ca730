package dev.coco4j.gpu.nras;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.gpu.abi.GpuMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies NRAS's detached EAT and accepts it only if everything holds. Checks, in order, failing at the first
 * broken one for authenticity and listing every failed verdict at once:
 * <ol>
 *   <li>The overall token, then each device token: a JWS (an unsecured {@code alg: none} token is refused with
 *       {@link Reason#SIGNATURE_INVALID}), algorithm ES384 only ({@link Reason#SIGNATURE_INVALID} otherwise, so
 *       HS256 with a public key as secret and similar confusions cannot pass), a {@code kid} naming a P-384 key of
 *       the {@link NrasJwks} ({@link Reason#CHAIN_INVALID} for an unknown kid), a valid signature
 *       ({@link Reason#SIGNATURE_INVALID}), {@code iss} equal to the configured issuer ({@link Reason#CHAIN_INVALID}),
 *       {@code exp} present and not past, {@code nbf} not in the future, both at the verification instant with the
 *       configured clock skew ({@link Reason#COLLATERAL_EXPIRED}), and {@code eat_nonce} equal to the request's nonce
 *       ({@link Reason#NONCE_MISMATCH}).</li>
 *   <li>Binding: the overall token's {@code submods} names exactly the device tokens of the answer (a missing or
 *       extra one is {@link Reason#MALFORMED_EVIDENCE}), each as {@code ["DIGEST", ["SHA-256", hex]]} where hex is
 *       the SHA-256 of the device token's compact serialization ({@link Reason#SIGNATURE_INVALID} if not).</li>
 *   <li>Verdicts: {@code x-nvidia-overall-att-result} true ({@link Reason#POLICY_VIOLATION}); per GPU,
 *       {@code x-nvidia-gpu-attestation-report-nonce-match} true ({@link Reason#NONCE_MISMATCH}) and {@code measres}
 *       {@code "success"} ({@link Reason#MEASUREMENT_MISMATCH}); a GPU in {@link GpuMode#PPCIE} mode is refused
 *       ({@link Reason#POLICY_VIOLATION}) because its NVSwitches' evidence is not part of a GPU appraisal, unless
 *       {@link Builder#allowPpcieWithoutSwitchEvidence} says so (then a warning).</li>
 * </ol>
 * Thread-safe.
 */
public final class NrasTokenVerifier {
    /** The issuer of NVIDIA's production NRAS tokens. */
    public static final String NVIDIA_ISSUER = "https://nras.attestation.nvidia.com";

    private final NrasJwks jwks;
    private final String issuer;
    private final Duration clockSkew;
    private final boolean allowPpcie;

    private NrasTokenVerifier(Builder b) {
        this.jwks = b.jwks;
        this.issuer = b.issuer;
        this.clockSkew = b.clockSkew;
        this.allowPpcie = b.allowPpcie;
    }

    /**
     * A builder; {@link Builder#jwks} is required.
     *
     * @return a new builder with issuer {@value #NVIDIA_ISSUER}, 60 s clock skew, PPCIe refused, and no JWKS yet
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies {@code eat} for the 32-byte {@code expectedNonce} at instant {@code at}.
     *
     * @param eat the answer as parsed by {@link DetachedEat#parse}; must not be {@code null}
     * @param expectedNonce the 32-byte nonce the request was sent with; not modified
     * @param at the verification instant for {@code exp}, {@code nbf} and x5c chains; must not be {@code null}
     * @return the accepted result; never returned on a path that skipped a check
     * @throws CocoException with the reasons in the class documentation
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if {@code expectedNonce} is {@code null} or not 32
     *     bytes
     */
    public NrasResult verify(DetachedEat eat, byte[] expectedNonce, Instant at) {
        Objects.requireNonNull(eat, "eat");
        Objects.requireNonNull(at, "at");
        if (expectedNonce == null || expectedNonce.length != 32) {
            throw new ConfigurationException(Reason.CONFIGURATION, "the expected NRAS nonce must be 32 bytes");
        }
        String nonceHex = HexFormat.of().formatHex(expectedNonce);
        Map<String, Object> overall = checkToken("overall token", eat.overallToken(), nonceHex, at);

        Map<String, String> digests = submodDigests(overall.get("submods"));
        if (!digests.keySet().equals(eat.submodTokens().keySet())) {
            List<String> missing = new ArrayList<>(digests.keySet());
            missing.removeAll(eat.submodTokens().keySet());
            List<String> extra = new ArrayList<>(eat.submodTokens().keySet());
            extra.removeAll(digests.keySet());
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "NRAS answer's device tokens do not match the "
                    + "overall token's submods" + (missing.isEmpty() ? "" : "; missing " + missing)
                    + (extra.isEmpty() ? "" : "; not in submods " + extra));
        }
        List<NrasGpuClaims> gpus = new ArrayList<>();
        for (Map.Entry<String, String> e : eat.submodTokens().entrySet()) {
            String name = e.getKey();
            byte[] actual = sha256(e.getValue().getBytes(StandardCharsets.US_ASCII));
            byte[] expected = digests.get(name).getBytes(StandardCharsets.US_ASCII);
            if (!MessageDigest.isEqual(HexFormat.of().formatHex(actual).getBytes(StandardCharsets.US_ASCII),
                    expected)) {
                throw new AttestationException(Reason.SIGNATURE_INVALID, "device token " + name + " is not the one "
                        + "the overall token's submods digest names");
            }
            gpus.add(new NrasGpuClaims(name, checkToken("device token " + name, e.getValue(), nonceHex, at)));
        }

        List<CocoException.Failure> failures = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (!Boolean.TRUE.equals(overall.get("x-nvidia-overall-att-result"))) {
            failures.add(new CocoException.Failure(Reason.POLICY_VIOLATION, "NRAS overall attestation result is "
                    + overall.get("x-nvidia-overall-att-result")));
        }
        for (NrasGpuClaims g : gpus) {
            if (!g.nonceMatch()) {
                failures.add(new CocoException.Failure(Reason.NONCE_MISMATCH, g.submod()
                        + ": NRAS did not find the nonce in the GPU's signed report"));
            }
            if (!g.measurementsMatch()) {
                failures.add(new CocoException.Failure(Reason.MEASUREMENT_MISMATCH, g.submod() + ": measres is "
                        + g.measurementResult().orElse("absent") + mismatchRecords(g)));
            }
            Optional<GpuMode> mode;
            try {
                mode = g.mode();
            } catch (CocoException ex) {
                failures.add(new CocoException.Failure(ex.reason(), g.submod() + ": " + ex.detail()));
                continue;
            }
            if (mode.filter(m -> m == GpuMode.PPCIE).isPresent()) {
                if (allowPpcie) {
                    warnings.add(g.submod() + " is in PPCIe mode; its NVSwitches were not attested");
                } else {
                    failures.add(new CocoException.Failure(Reason.POLICY_VIOLATION, g.submod() + " is in PPCIe "
                            + "mode: the NVSwitches' evidence must be attested too and none was supplied"));
                }
            }
            g.warning().ifPresent(w -> warnings.add(g.submod() + ": " + w));
        }
        if (!failures.isEmpty()) {
            throw new AttestationException(failures);
        }
        return new NrasResult(String.valueOf(overall.get("x-nvidia-ver")), nonceHex,
                instant(overall.get("iat")), instant(overall.get("exp")),
                overall.get("jti") instanceof String s ? s : "", gpus, overall, warnings, at);
    }

    private Map<String, Object> checkToken(String what, String compact, String nonceHex, Instant at) {
        JWT parsed;
        try {
            parsed = JWTParser.parse(compact);
        } catch (ParseException | RuntimeException e) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "NRAS " + what + " is not a JWT");
        }
        if (parsed instanceof PlainJWT) {
            throw new AttestationException(Reason.SIGNATURE_INVALID, "NRAS " + what + " is unsigned (alg none)");
        }
        if (!(parsed instanceof SignedJWT jwt)) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "NRAS " + what + " is not a signed JWT");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.ES384.equals(alg)) {
            throw new AttestationException(Reason.SIGNATURE_INVALID, "NRAS " + what + " uses alg " + alg
                    + "; only ES384 is accepted");
        }
        String kid = jwt.getHeader().getKeyID();
        if (kid == null || kid.isEmpty()) {
            throw new AttestationException(Reason.SIGNATURE_INVALID, "NRAS " + what + " names no kid");
        }
        ECPublicKey key = jwks.key(kid, at);
        boolean ok;
        try {
            ok = jwt.verify(new ECDSAVerifier(key));
        } catch (JOSEException | RuntimeException e) {
            ok = false;
        }
        if (!ok) {
            throw new AttestationException(Reason.SIGNATURE_INVALID, "NRAS " + what + " signature does not verify "
                    + "with key '" + kid + "'");
        }
        JWTClaimsSet set;
        try {
            set = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "NRAS " + what + " claims are not a JSON object");
        }
        Map<String, Object> claims = freeze(set.getClaims());
        if (!issuer.equals(claims.get("iss"))) {
            throw new AttestationException(Reason.CHAIN_INVALID, "NRAS " + what + " was issued by '"
                    + claims.get("iss") + "', not '" + issuer + "'");
        }
        Instant exp = instant(claims.get("exp"));
        if (exp == null) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "NRAS " + what + " has no exp");
        }
        if (at.isAfter(exp.plus(clockSkew))) {
            throw new AttestationException(Reason.COLLATERAL_EXPIRED, "NRAS " + what + " expired at " + exp
                    + ", verification instant " + at);
        }
        Instant nbf = instant(claims.get("nbf"));
        if (nbf != null && at.isBefore(nbf.minus(clockSkew))) {
            throw new AttestationException(Reason.COLLATERAL_EXPIRED, "NRAS " + what + " is not valid before " + nbf
                    + ", verification instant " + at);
        }
        Object nonce = claims.get("eat_nonce");
        if (!(nonce instanceof String s) || !MessageDigest.isEqual(s.toLowerCase(Locale.ROOT)
                .getBytes(StandardCharsets.US_ASCII), nonceHex.getBytes(StandardCharsets.US_ASCII))) {
            throw new AttestationException(Reason.NONCE_MISMATCH, "NRAS " + what + " eat_nonce is not the request's "
                    + "nonce " + nonceHex);
        }
        return claims;
    }

    private static Map<String, String> submodDigests(Object submods) {
        if (!(submods instanceof Map<?, ?> map) || map.isEmpty()) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "NRAS overall token has no submods");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String name = String.valueOf(e.getKey());
            if (e.getValue() instanceof List<?> l && l.size() == 2 && "DIGEST".equals(l.get(0))
                    && l.get(1) instanceof List<?> d && d.size() == 2
                    && ("SHA-256".equals(d.get(0)) || "SHA256".equals(d.get(0)))
                    && d.get(1) instanceof String hex && hex.length() == 64) {
                out.put(name, hex.toLowerCase(Locale.ROOT));
            } else {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE, "NRAS submod " + name + " is not "
                        + "[\"DIGEST\", [\"SHA-256\", <64 hex>]]");
            }
        }
        return out;
    }

    private static String mismatchRecords(NrasGpuClaims g) {
        Object m = g.claims().get("x-nvidia-mismatch-measurement-records");
        return m instanceof List<?> l && !l.isEmpty() ? " (" + l.size() + " mismatching measurement records)" : "";
    }

    private static Instant instant(Object o) {
        return switch (o) {
            case Instant i -> i;
            case Number n -> Instant.ofEpochSecond(n.longValue());
            case null, default -> null;
        };
    }

    /** A deep, unmodifiable copy; dates become instants, JSON null stays null. */
    private static Map<String, Object> freeze(Map<String, Object> in) {
        Map<String, Object> out = new LinkedHashMap<>();
        in.forEach((k, v) -> out.put(k, freezeValue(v)));
        return Collections.unmodifiableMap(out);
    }

    private static Object freezeValue(Object v) {
        return switch (v) {
            case Date d -> d.toInstant();
            case Map<?, ?> m -> {
                Map<String, Object> out = new LinkedHashMap<>();
                m.forEach((k, x) -> out.put(String.valueOf(k), freezeValue(x)));
                yield Collections.unmodifiableMap(out);
            }
            case List<?> l -> {
                List<Object> out = new ArrayList<>();
                l.forEach(x -> out.add(freezeValue(x)));
                yield Collections.unmodifiableList(out);
            }
            case null, default -> v;
        };
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "NrasTokenVerifier[issuer " + issuer + ", " + jwks + ", skew " + clockSkew + "]";
    }

    /** Builds an {@link NrasTokenVerifier}. Not thread-safe. */
    public static final class Builder {
        private NrasJwks jwks;
        private String issuer = NVIDIA_ISSUER;
        private Duration clockSkew = Duration.ofSeconds(60);
        private boolean allowPpcie;

        private Builder() {
        }

        /**
         * Where the signing keys come from (required).
         *
         * @param value the key source; must not be {@code null}
         * @return this builder
         */
        public Builder jwks(NrasJwks value) {
            this.jwks = Objects.requireNonNull(value, "jwks");
            return this;
        }

        /**
         * The required {@code iss} of every token (default {@value NrasTokenVerifier#NVIDIA_ISSUER}).
         *
         * @param value the exact issuer string compared with {@code iss}; must not be {@code null}
         * @return this builder
         */
        public Builder issuer(String value) {
            this.issuer = Objects.requireNonNull(value, "issuer");
            return this;
        }

        /**
         * Tolerated clock difference for {@code exp} and {@code nbf} (default 60 s, at most 10 min).
         *
         * @param value the skew, from zero to ten minutes
         * @return this builder
         * @throws ConfigurationException {@link Reason#CONFIGURATION} if {@code value} is negative or over ten minutes
         */
        public Builder clockSkew(Duration value) {
            if (value.isNegative() || value.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new ConfigurationException(Reason.CONFIGURATION, "clock skew must be within 0..10 min");
            }
            this.clockSkew = value;
            return this;
        }

        /**
         * Accept GPUs in PPCIe mode without NVSwitch evidence, with a warning (default false: refused).
         *
         * @param value {@code true} to accept such GPUs with a warning in the result, {@code false} to refuse them with
         *     {@link Reason#POLICY_VIOLATION}
         * @return this builder
         */
        public Builder allowPpcieWithoutSwitchEvidence(boolean value) {
            this.allowPpcie = value;
            return this;
        }

        /**
         * The verifier.
         *
         * @return a new, thread-safe verifier; the builder can be reused
         * @throws ConfigurationException {@link Reason#CONFIGURATION} without a JWKS
         */
        public NrasTokenVerifier build() {
            if (jwks == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "an NRAS token verifier needs a JWKS");
            }
            return new NrasTokenVerifier(this);
        }
    }
}
