package dev.coco4j.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.kbs.internal.Json;
import java.util.Objects;

/**
 * The {@code runtime-data} member of an {@link Attestation}: the challenge nonce (verbatim) and the TEE public key as a
 * JWK ({@code tee-pubkey}). The JWK tree must be the same one hashed into the report data; it is copied, never
 * re-serialised with other member values.
 *
 * @param nonce the challenge nonce, verbatim
 * @param teePubkey the public JWK ({@code kty EC} with {@code crv}, {@code alg ECDH-ES+A256KW}, {@code x}, {@code y};
 *     or {@code kty RSA} with {@code alg}, {@code n}, {@code e})
 */
public record RuntimeData(String nonce, JsonNode teePubkey) {
    /** Validates and copies. */
    public RuntimeData {
        Objects.requireNonNull(nonce, "nonce");
        teePubkey = Fields.object(Objects.requireNonNull(teePubkey, "teePubkey"), "tee-pubkey").deepCopy();
    }

    /**
     * {@return a copy of the public JWK ({@code kty EC} with {@code crv}, {@code alg ECDH-ES+A256KW}, {@code x}, {@code
     * y}; or {@code kty RSA} with {@code alg}, {@code n}, {@code e})}
     */
    @Override
    public JsonNode teePubkey() {
        return teePubkey.deepCopy();
    }

    /**
     * The member as JSON.
     *
     * @return a new JSON object with {@code nonce} and a copy of {@code tee-pubkey}
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("nonce", nonce);
        o.set("tee-pubkey", teePubkey.deepCopy());
        return o;
    }

    /**
     * Parses the member.
     *
     * @param json the {@code runtime-data} JSON object
     * @return the parsed member, holding a copy of the JWK
     * @throws dev.coco4j.core.KeyReleaseException with {@code MALFORMED_EVIDENCE} if it is not an object with a string
     *     {@code nonce} and an object {@code tee-pubkey}
     */
    public static RuntimeData fromJson(JsonNode json) {
        Fields.object(json, "runtime-data");
        return new RuntimeData(Fields.string(json, "nonce", "runtime-data"),
                Fields.required(json, "tee-pubkey", "runtime-data"));
    }
}
