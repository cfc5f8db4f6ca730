package dev.coco4j.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.kbs.internal.Json;
import java.util.Objects;
import java.util.Optional;

/**
 * The body of {@code POST /kbs/v0/attest} (kbs-types 0.18 {@code Attestation}):
 * <pre>{"init-data":{"format":"toml","body":"..."}|null,
 *  "runtime-data":{"nonce":"...","tee-pubkey":{JWK}},
 *  "tee-evidence":{"primary_evidence":{...},"additional_evidence":""}}</pre>
 *
 * @param initData the init-data document, or null when there is none (sent as {@code null})
 * @param runtimeData the nonce and TEE public key
 * @param teeEvidence the evidence
 */
public record Attestation(InitDataBody initData, RuntimeData runtimeData, TeeEvidence teeEvidence) {
    /** Validates. */
    public Attestation {
        Objects.requireNonNull(runtimeData, "runtimeData");
        Objects.requireNonNull(teeEvidence, "teeEvidence");
    }

    /**
     * The init-data, if any.
     *
     * @return the init-data member, or empty when it is absent (sent as {@code null})
     */
    public Optional<InitDataBody> initDataIfPresent() {
        return Optional.ofNullable(initData);
    }

    /**
     * The message as a JSON object.
     *
     * @return a new JSON object with the three members (a copy of the trees)
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        if (initData == null) {
            o.putNull("init-data");
        } else {
            o.set("init-data", initData.toJson());
        }
        o.set("runtime-data", runtimeData.toJson());
        o.set("tee-evidence", teeEvidence.toJson());
        return o;
    }

    /**
     * Parses the message.
     *
     * @param json the request body JSON
     * @return the parsed message; a missing or {@code null} {@code init-data} reads as none
     * @throws dev.coco4j.core.KeyReleaseException with {@code MALFORMED_EVIDENCE} if it is not an object or a member is
     *     missing or mistyped
     */
    public static Attestation fromJson(JsonNode json) {
        Fields.object(json, "Attestation");
        JsonNode init = json.get("init-data");
        return new Attestation(init == null || init.isNull() ? null : InitDataBody.fromJson(init),
                RuntimeData.fromJson(Fields.required(json, "runtime-data", "Attestation")),
                TeeEvidence.fromJson(Fields.required(json, "tee-evidence", "Attestation")));
    }
}
