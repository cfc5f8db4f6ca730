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

    /** A body for a known variant. */
    public static ErrorInformation of(ErrorType type, String detail) {
        return new ErrorInformation(type.typeUri(), detail);
    }

    /** The known variant, if the type is one. */
    public Optional<ErrorType> knownType() {
        return ErrorType.fromType(type);
    }

    /**
     * True if this error says the protocol versions differ: an {@code AttestationError} whose detail carries
     * {@value #VERSION_MISMATCH_MARKER}, or a legacy {@code …/ProtocolVersion} type.
     */
    public boolean isVersionMismatch() {
        return detail.toLowerCase(Locale.ROOT).contains(VERSION_MISMATCH_MARKER.toLowerCase(Locale.ROOT))
                || type.endsWith("/ProtocolVersion");
    }

    /** The body as JSON. */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("type", type);
        o.put("detail", detail);
        return o;
    }

    /** Parses a body; {@link KeyReleaseException} ({@link Reason#MALFORMED_EVIDENCE}) if it is not an object with a string {@code type}. */
    public static ErrorInformation fromJson(JsonNode json) {
        Fields.object(json, "error body");
        JsonNode d = json.get("detail");
        return new ErrorInformation(Fields.string(json, "type", "error body"),
                d != null && d.isTextual() ? d.textValue() : "");
    }
}
