package dev.coco4j.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.ReportData;
import java.nio.charset.StandardCharsets;

/**
 * TEMPORARY bridge to the runtime-data binding until sdk-kbs-client's protocol package is merged: it will then be
 * replaced by the client's implementation, so client and server share one canonicaliser and one binding.
 */
public final class RuntimeDataBinding {
    private static final ObjectMapper SORTED = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private RuntimeDataBinding() {
    }

    /** {@code {"nonce", "tee-pubkey", "additional-evidence"}} as the primary attester binds it. */
    public static ObjectNode primaryRuntimeData(String nonce, JsonNode teePubkey, String additionalEvidence) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("nonce", nonce);
        n.set("tee-pubkey", teePubkey);
        n.put("additional-evidence", additionalEvidence);
        return n;
    }

    /** SHA-384 of the canonical JSON of the primary runtime data (Trustee's server-side hash for all but {@code se}). */
    public static byte[] digest(ObjectNode primaryRuntimeData) {
        try {
            Object sorted = SORTED.treeToValue(primaryRuntimeData, java.util.TreeMap.class);
            byte[] canon = SORTED.writeValueAsString(sorted).getBytes(StandardCharsets.UTF_8);
            return ReportData.HashAlgorithm.SHA384.digest(canon);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
