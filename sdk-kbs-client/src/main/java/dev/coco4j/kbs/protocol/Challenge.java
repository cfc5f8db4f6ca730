package dev.coco4j.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData.HashAlgorithm;
import dev.coco4j.kbs.internal.Json;
import java.util.Locale;
import java.util.Objects;

/**
 * The answer to {@code POST /kbs/v0/auth} (kbs-types {@code Challenge}):
 * <pre>{"nonce":"&lt;base64 of 32 random bytes&gt;","extra-params":""}</pre>
 * The nonce is opaque to the client and echoed verbatim. {@code extra-params} is {@code ""} except for IBM SE, where it
 * carries {@code {"selected-hash-algorithm":"sha512"}}. Immutable.
 *
 * @param nonce the nonce text, verbatim
 * @param extraParams the {@code extra-params} value
 */
public record Challenge(String nonce, JsonNode extraParams) {

    /** Validates and copies. */
    public Challenge {
        Objects.requireNonNull(nonce, "nonce");
        extraParams = extraParams == null ? Json.MAPPER.getNodeFactory().textNode("") : extraParams.deepCopy();
    }

    /** {@return a copy of the {@code extra-params} value} */
    @Override
    public JsonNode extraParams() {
        return extraParams.deepCopy();
    }

    /**
     * The hash the runtime data is bound with: {@code extra-params.selected-hash-algorithm} when present
     * (case-insensitive {@code sha256|sha384|sha512}), otherwise {@link HashAlgorithm#SHA384}, as Trustee's client
     * does.
     *
     * @return the selected hash, {@link HashAlgorithm#SHA384} when {@code extra-params} does not select one
     * @throws KeyReleaseException {@link Reason#MALFORMED_EVIDENCE} if the member is not a string or names a hash this
     *     SDK does not implement ({@code sm3} included)
     */
    public HashAlgorithm selectedHash() {
        JsonNode sel = extraParams.isObject() ? extraParams.get("selected-hash-algorithm") : null;
        if (sel == null || sel.isNull()) {
            return HashAlgorithm.SHA384;
        }
        if (!sel.isTextual()) {
            throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, "Challenge.extra-params.selected-hash-algorithm must be a string");
        }
        return switch (sel.textValue().toLowerCase(Locale.ROOT)) {
            case "sha256" -> HashAlgorithm.SHA256;
            case "sha384" -> HashAlgorithm.SHA384;
            case "sha512" -> HashAlgorithm.SHA512;
            default -> throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, 
                    "Challenge selects an unsupported hash algorithm '" + sel.textValue() + "'");
        };
    }

    /**
     * The message as a JSON object.
     *
     * @return a new JSON object with {@code nonce} and a copy of {@code extra-params}
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("nonce", nonce);
        o.set("extra-params", extraParams.deepCopy());
        return o;
    }

    /**
     * Parses the message.
     *
     * @param json the response JSON
     * @return the parsed message; a missing {@code extra-params} reads as {@code ""}
     * @throws KeyReleaseException with {@link Reason#MALFORMED_EVIDENCE} if it is not an object with a string
     *     {@code nonce}
     */
    public static Challenge fromJson(JsonNode json) {
        Fields.object(json, "Challenge");
        return new Challenge(Fields.string(json, "nonce", "Challenge"), Fields.copyOrNull(json.get("extra-params")));
    }
}
