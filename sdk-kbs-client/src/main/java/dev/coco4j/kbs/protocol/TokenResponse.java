package dev.coco4j.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.kbs.internal.Json;
import java.util.Objects;

/**
 * The answer to {@code POST /kbs/v0/attest}: {@code {"token":"<compact JWS>"}}. The token is a bearer credential:
 * {@link #toString()} does not show it.
 *
 * @param token the attestation token (an EAR JWT from the CoCo attestation service)
 */
public record TokenResponse(String token) {
    /** Validates. */
    public TokenResponse {
        Objects.requireNonNull(token, "token");
    }

    /**
     * The message as a JSON object.
     *
     * @return a new JSON object {@code {"token": ...}}
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("token", token);
        return o;
    }

    /**
     * Parses the message.
     *
     * @param json the response JSON
     * @return the parsed message
     * @throws dev.coco4j.core.KeyReleaseException with {@code MALFORMED_EVIDENCE} if it is not an object with a string
     *     {@code token}
     */
    public static TokenResponse fromJson(JsonNode json) {
        Fields.object(json, "attestation response");
        return new TokenResponse(Fields.string(json, "token", "attestation response"));
    }

    @Override
    public String toString() {
        return "TokenResponse[token=(" + token.length() + " chars)]";
    }
}
