package dev.coco4j.kbs.token;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.kbs.protocol.TokenClaims;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An attestation token whose signature, signer chain and expiry were verified. Immutable; the claims tree is copied.
 *
 * @param claims the token's claims (for the CoCo AS: the EAR payload with {@code submods})
 * @param expiresAt the {@code exp} instant
 */
public record VerifiedToken(JsonNode claims, Instant expiresAt) {
    /** Validates and copies. */
    public VerifiedToken {
        claims = Objects.requireNonNull(claims, "claims").deepCopy();
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** {@return a copy of the token's claims (for the CoCo AS: the EAR payload with {@code submods})} */
    @Override
    public JsonNode claims() {
        return claims.deepCopy();
    }

    /**
     * The TEE public key JWK, found by {@link TokenClaims#TEE_PUBKEY_POINTERS}.
     *
     * @return a copy of the first JSON object found at one of those pointers, or empty if none holds an object
     */
    public Optional<JsonNode> teePubkey() {
        return TokenClaims.teePubkey(claims);
    }

    /**
     * {@code submods.<name>."ear.status"} ({@code affirming}, {@code warning}, ...), if present.
     *
     * @param submod the submodule name, e.g. {@code cpu0}; not null
     * @return the status text, or empty if the submodule or its {@code ear.status} is missing or not a string
     */
    public Optional<String> earStatus(String submod) {
        JsonNode n = claims.path("submods").path(submod).path("ear.status");
        return n.isTextual() ? Optional.of(n.textValue()) : Optional.empty();
    }
}
