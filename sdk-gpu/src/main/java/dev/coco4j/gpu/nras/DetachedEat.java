package dev.coco4j.gpu.nras;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * NRAS's answer as received, not yet verified: a detached EAT, JSON of the form
 * <pre>{@code
 * [ ["JWT", "<overall JWT>"], { "GPU-0": "<device JWT>", "GPU-1": "<device JWT>", ... } ]
 * }</pre>
 * The overall token names every device token in its {@code submods} claim with the SHA-256 digest of the device
 * token's compact serialization. Nothing here is trusted until {@link NrasTokenVerifier} has checked it.
 *
 * @param overallToken the overall JWT, compact serialization
 * @param submodTokens the per-device JWTs by submod name, in the answer's order
 */
public record DetachedEat(String overallToken, Map<String, String> submodTokens) {
    /** The most submods accepted in one answer (an HGX board has 8 GPUs; switches add at most a few more). */
    public static final int MAX_SUBMODS = 64;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Checks non-null and copies, keeping the order. */
    public DetachedEat {
        Objects.requireNonNull(overallToken, "overallToken");
        submodTokens = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(submodTokens,
                "submodTokens")));
    }

    /**
     * Parses a detached EAT.
     *
     * @param json the answer body as received (UTF-8 JSON); must not be {@code null}; at most {@value #MAX_SUBMODS}
     *     device tokens
     * @return the tokens, not verified, in the answer's order
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the JSON does not have the shape above
     */
    public static DetachedEat parse(byte[] json) {
        Objects.requireNonNull(json, "json");
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw malformed("NRAS answer is not JSON");
        } catch (IOException e) {
            throw malformed("NRAS answer cannot be read");
        }
        if (root == null || !root.isArray() || root.size() != 2) {
            throw malformed("NRAS answer is not a two-element detached EAT array");
        }
        JsonNode head = root.get(0);
        if (!head.isArray() || head.size() != 2 || !"JWT".equals(head.get(0).asText(null))
                || !head.get(1).isTextual()) {
            throw malformed("NRAS answer's first element is not [\"JWT\", token]");
        }
        JsonNode subs = root.get(1);
        if (!subs.isObject()) {
            throw malformed("NRAS answer's second element is not an object of device tokens");
        }
        if (subs.size() > MAX_SUBMODS) {
            throw malformed("NRAS answer names " + subs.size() + " submods, more than " + MAX_SUBMODS);
        }
        Map<String, String> tokens = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : subs.properties()) {
            if (!e.getValue().isTextual()) {
                throw malformed("device token " + e.getKey() + " is not a string");
            }
            tokens.put(e.getKey(), e.getValue().asText());
        }
        return new DetachedEat(head.get(1).asText(), tokens);
    }

    /**
     * This EAT as the JSON NRAS sends.
     *
     * @return a fresh UTF-8 JSON array in the shape above, device tokens in their order; parsing it gives an equal EAT
     */
    public byte[] toJson() {
        var root = JSON.createArrayNode();
        root.addArray().add("JWT").add(overallToken);
        var subs = root.addObject();
        submodTokens.forEach(subs::put);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DetachedEat[submods=" + submodTokens.keySet() + "]";
    }

    private static AttestationException malformed(String detail) {
        return new AttestationException(Reason.MALFORMED_EVIDENCE, detail);
    }
}
