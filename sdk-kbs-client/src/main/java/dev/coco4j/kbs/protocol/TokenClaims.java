package dev.coco4j.kbs.protocol;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * Where a KBS finds the TEE public key in attestation-token claims: the JSON pointers Trustee's KBS tries, in order.
 * The first is the CoCo attestation service's EAR token; the next two are Intel Trust Authority's; then the legacy
 * CoCo "simple" token and a bare top-level claim.
 */
public final class TokenClaims {
    /** The pointers, in the order they are tried. */
    public static final List<String> TEE_PUBKEY_POINTERS = List.of(
            "/submods/cpu0/ear.veraison.annotated-evidence/runtime_data_claims/tee-pubkey",
            "/tdx/attester_runtime_data/tee-pubkey",
            "/tdx/attester_user_data/tee-pubkey",
            "/customized_claims/runtime_data/tee-pubkey",
            "/tee-pubkey");

    /** The EAR profile the CoCo attestation service writes in {@code eat_profile}. */
    public static final String EAR_PROFILE = "tag:github.com,2024:confidential-containers/Trustee";

    private TokenClaims() {
    }

    /**
     * The TEE public key JWK from a claims tree: the first pointer that yields a JSON object.
     *
     * @param claims the token's claims tree; not null
     * @return a copy of the first JSON object found at one of {@link #TEE_PUBKEY_POINTERS}, or empty if none holds an
     *     object
     */
    public static Optional<JsonNode> teePubkey(JsonNode claims) {
        for (String p : TEE_PUBKEY_POINTERS) {
            JsonNode n = claims.at(JsonPointer.compile(p));
            if (n.isObject()) {
                return Optional.of(n.deepCopy());
            }
        }
        return Optional.empty();
    }
}
