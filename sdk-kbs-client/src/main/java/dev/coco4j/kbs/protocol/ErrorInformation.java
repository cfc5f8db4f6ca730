package dev.coco4j.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.internal.Json;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A KBS error body: {@code {"type":"https://github.com/confidential-containers/kbs/errors/<Variant>","detail":"..."}}.
 * Unknown or legacy types ({@code …/errors/AttestationFailed}, {@code …/ProtocolVersion}) are kept as opaque strings.
 *
 * @param type the type URI as received
 * @param detail the human-readable detail (the server's top-level error text)
 */
public record ErrorInformation(String type, String detail) {
    /** The substring Trustee's detail carries when the client's protocol version is not the server's. */
    public static final String VERSION_MISMATCH_MARKER = "Protocol Version Mismatch";

    /** Validates. */
    public ErrorInformation {
        Objects.requireNonNull(type, "type");
        detail = detail == null ? "" : detail;
    }

    /**
     * A body for a known variant.
     *
     * @param type the variant; not null
     * @param detail the detail text; null reads as {@code ""}
     * @return a body whose type is the variant's full type URI
     */
    public static ErrorInformation of(ErrorType type, String detail) {
        return new ErrorInformation(type.typeUri(), detail);
    }

    /**
     * The known variant, if the type is one.
     *
     * @return the variant whose name ends the type URI, or empty for unknown or legacy types
     */
    public Optional<ErrorType> knownType() {
        return ErrorType.fromType(type);
    }

    /**
     * True if this error says the protocol versions differ: an {@code AttestationError} whose detail carries
     * {@value #VERSION_MISMATCH_MARKER}, or a legacy {@code …/ProtocolVersion} type.
     *
     * @return true if the detail contains the marker (case-insensitive) or the type ends in {@code /ProtocolVersion}
     */
    public boolean isVersionMismatch() {
        return detail.toLowerCase(Locale.ROOT).contains(VERSION_MISMATCH_MARKER.toLowerCase(Locale.ROOT))
                || type.endsWith("/ProtocolVersion");
    }

    /**
     * The body as JSON.
     *
     * @return a new JSON object with {@code type} and {@code detail}
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("type", type);
        o.put("detail", detail);
        return o;
    }

    /**
     * Parses a body; {@link KeyReleaseException} ({@link Reason#MALFORMED_EVIDENCE}) if it is not an object with a
     * string {@code type}.
     *
     * @param json the error body JSON
     * @return the parsed body; a missing or non-string {@code detail} reads as {@code ""}
     */
    public static ErrorInformation fromJson(JsonNode json) {
        Fields.object(json, "error body");
        JsonNode d = json.get("detail");
        return new ErrorInformation(Fields.string(json, "type", "error body"),
                d != null && d.isTextual() ? d.textValue() : "");
    }
}
