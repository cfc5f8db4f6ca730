package dev.coco4j.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.internal.Json;
import java.util.Objects;

/**
 * The {@code tee-evidence} member of an {@link Attestation}. Its keys are snake_case, unlike the rest of the protocol:
 * <pre>{"primary_evidence":{...TEE-specific JSON...},"additional_evidence":""}</pre>
 * {@code additional_evidence} is a <em>string</em>: the JSON text of a map from device TEE name to its evidence
 * (e.g. {@code {"nvidia":{...}}}), or {@code ""} when there are no devices.
 *
 * @param primaryEvidence the primary TEE's evidence JSON
 * @param additionalEvidence the composite device evidence string, exactly as hashed into the runtime data
 */
public record TeeEvidence(JsonNode primaryEvidence, String additionalEvidence) {
    /** Validates and copies. */
    public TeeEvidence {
        primaryEvidence = Objects.requireNonNull(primaryEvidence, "primaryEvidence").deepCopy();
        Objects.requireNonNull(additionalEvidence, "additionalEvidence");
    }

    /** {@return a copy of the primary TEE's evidence JSON} */
    @Override
    public JsonNode primaryEvidence() {
        return primaryEvidence.deepCopy();
    }

    /**
     * The member as JSON.
     *
     * @return a new JSON object with a copy of {@code primary_evidence} and the {@code additional_evidence} string
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.set("primary_evidence", primaryEvidence.deepCopy());
        o.put("additional_evidence", additionalEvidence);
        return o;
    }

    /**
     * Parses the member; a missing {@code additional_evidence} reads as {@code ""}.
     *
     * @param json the {@code tee-evidence} JSON object
     * @return the parsed member, holding a copy of the primary evidence
     * @throws KeyReleaseException with {@link Reason#MALFORMED_EVIDENCE} if it is not an object, has no
     *     {@code primary_evidence} or a non-string {@code additional_evidence}
     */
    public static TeeEvidence fromJson(JsonNode json) {
        Fields.object(json, "tee-evidence");
        JsonNode add = json.get("additional_evidence");
        if (add != null && !add.isNull() && !add.isTextual()) {
            throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, "tee-evidence.additional_evidence must be a string");
        }
        return new TeeEvidence(Fields.required(json, "primary_evidence", "tee-evidence"),
                add == null || add.isNull() ? "" : add.textValue());
    }
}
