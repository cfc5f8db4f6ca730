package dev.coco4j.kbs.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** The one Jackson mapper of this module: strict duplicate detection, trailing-token checks. */
public final class Json {
    /** Shared, thread-safe mapper. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /**
     * A new empty object node.
     *
     * @return a new, empty, mutable object node
     */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /**
     * Parses JSON text; {@link KeyReleaseException} ({@link Reason#MALFORMED_EVIDENCE}) naming {@code what} if it is
     * not JSON.
     *
     * @param text the JSON text; not null
     * @param what names the document in error messages
     * @return the parsed tree (one value, no trailing tokens, no duplicate keys), never null or missing
     */
    public static JsonNode parse(String text, String what) {
        try {
            JsonNode n = MAPPER.readTree(text);
            if (n == null || n.isMissingNode()) {
                throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, what + " is empty");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, what + " is not valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    /**
     * Parses UTF-8 JSON bytes.
     *
     * @param utf8 the JSON text as UTF-8 bytes (malformed bytes are replaced); not null
     * @param what names the document in error messages
     * @return the parsed tree, never null or missing
     * @throws KeyReleaseException ({@link Reason#MALFORMED_EVIDENCE}) if it is empty, not JSON, has duplicate keys or
     *     trailing tokens
     */
    public static JsonNode parse(byte[] utf8, String what) {
        return parse(new String(utf8, StandardCharsets.UTF_8), what);
    }

    /**
     * Compact JSON text of a node (Jackson's order, not canonical).
     *
     * @param node the tree; not null
     * @return the compact JSON text
     * @throws IllegalStateException if Jackson cannot serialise the tree (not expected for plain trees)
     */
    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }
}
