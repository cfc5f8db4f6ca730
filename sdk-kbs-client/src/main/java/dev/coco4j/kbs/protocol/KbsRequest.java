package dev.coco4j.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.internal.Json;
import java.util.List;
import java.util.Objects;

/**
 * The body of {@code POST /kbs/v0/auth} (kbs-types 0.18 {@code Request}):
 * <pre>{"version":"0.4.0","tee":"snp","extra-params":{"supported-hash-algorithms":["sha256","sha384","sha512"]}}</pre>
 * {@code extra-params} is any JSON value (older clients sent {@code ""}). Immutable: the tree is copied in and out.
 *
 * @param version the protocol version (Trustee requires exactly {@code 0.4.0})
 * @param tee the kbs-types TEE name ({@link KbsTee})
 * @param extraParams the {@code extra-params} value
 */
public record KbsRequest(String version, String tee, JsonNode extraParams) {
    /** The protocol version current Trustee servers accept. */
    public static final String DEFAULT_VERSION = "0.4.0";

    /** Validates and copies. */
    public KbsRequest {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(tee, "tee");
        extraParams = extraParams == null ? Json.MAPPER.getNodeFactory().textNode("") : extraParams.deepCopy();
    }

    /**
     * A request advertising the hashes this SDK can bind with ({@code sha256}, {@code sha384}, {@code sha512}).
     *
     * @param version the protocol version, e.g. {@link #DEFAULT_VERSION}; not null
     * @param tee the kbs-types TEE name ({@link KbsTee}); not null, not checked against {@link KbsTee#ALL}
     * @return a request whose {@code extra-params} is
     *     {@code {"supported-hash-algorithms":["sha256","sha384","sha512"]}}
     */
    public static KbsRequest of(String version, String tee) {
        ObjectNode extra = Json.object();
        ArrayNode hashes = extra.putArray("supported-hash-algorithms");
        List.of("sha256", "sha384", "sha512").forEach(hashes::add);
        return new KbsRequest(version, tee, extra);
    }

    /** {@return a copy of the {@code extra-params} value} */
    @Override
    public JsonNode extraParams() {
        return extraParams.deepCopy();
    }

    /**
     * The message as a JSON object.
     *
     * @return a new JSON object with {@code version}, {@code tee} and a copy of {@code extra-params}
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("version", version);
        o.put("tee", tee);
        o.set("extra-params", extraParams.deepCopy());
        return o;
    }

    /**
     * Parses the message; {@link KeyReleaseException} ({@link Reason#MALFORMED_EVIDENCE}) if a member is missing or
     * mistyped.
     *
     * @param json the request JSON
     * @return the parsed message; a missing {@code extra-params} reads as {@code ""}
     */
    public static KbsRequest fromJson(JsonNode json) {
        Fields.object(json, "Request");
        return new KbsRequest(Fields.string(json, "version", "Request"), Fields.string(json, "tee", "Request"),
                Fields.copyOrNull(json.get("extra-params")));
    }
}
