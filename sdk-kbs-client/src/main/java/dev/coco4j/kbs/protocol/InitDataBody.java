package dev.coco4j.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.kbs.internal.Json;
import java.util.Objects;

/**
 * The {@code init-data} member of an {@link Attestation}: {@code {"format":"toml","body":"<the TOML text>"}}. The body
 * must be the exact text the host measured; Trustee's attestation service accepts only {@code format:"toml"}.
 *
 * @param format the format name ({@code toml})
 * @param body the document text, verbatim
 */
public record InitDataBody(String format, String body) {
    /** Validates. */
    public InitDataBody {
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(body, "body");
    }

    /**
     * A TOML init-data body.
     *
     * @param body the exact TOML text the host measured; not null
     * @return a body with format {@code toml}
     */
    public static InitDataBody toml(String body) {
        return new InitDataBody("toml", body);
    }

    /**
     * The member as JSON.
     *
     * @return a new JSON object with {@code format} and {@code body}
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("format", format);
        o.put("body", body);
        return o;
    }

    /**
     * Parses the member.
     *
     * @param json the {@code init-data} JSON object
     * @return the parsed member; the format is not checked
     * @throws dev.coco4j.core.KeyReleaseException with {@code MALFORMED_EVIDENCE} if it is not an object with string
     *     {@code format} and {@code body}
     */
    public static InitDataBody fromJson(JsonNode json) {
        Fields.object(json, "init-data");
        return new InitDataBody(Fields.string(json, "format", "init-data"), Fields.string(json, "body", "init-data"));
    }
}
