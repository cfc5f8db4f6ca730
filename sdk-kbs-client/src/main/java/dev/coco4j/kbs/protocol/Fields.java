package dev.coco4j.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;

/** Member access with type checks for message parsing. */
final class Fields {
    private Fields() {
    }

    static JsonNode object(JsonNode n, String what) {
        if (n == null || !n.isObject()) {
            throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, what + " must be a JSON object");
        }
        return n;
    }

    static String string(JsonNode parent, String name, String what) {
        JsonNode v = parent.get(name);
        if (v == null || !v.isTextual()) {
            throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, what + "." + name + " must be a string");
        }
        return v.textValue();
    }

    static JsonNode required(JsonNode parent, String name, String what) {
        JsonNode v = parent.get(name);
        if (v == null) {
            throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, what + "." + name + " is missing");
        }
        return v;
    }

    static JsonNode copyOrNull(JsonNode n) {
        return n == null ? null : n.deepCopy();
    }
}
