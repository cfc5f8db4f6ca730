package dev.coco4j.core.phi;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Which JSON values of a resource to encrypt. Two forms:
 * <ul>
 *   <li>a FHIRPath-like path {@code ResourceType.element.element...} (e.g. {@code Patient.name},
 *       {@code Patient.identifier.value}): applies to resources of that type; when an element on the way is an array,
 *       the rest of the path applies to each of its elements; the value at the end is encrypted whole (so
 *       {@code Patient.name} encrypts the whole array of names as one value);</li>
 *   <li>a JSON Pointer (RFC 6901) starting with {@code /} (e.g. {@code /birthDate}, {@code /identifier/0/value}):
 *       applies to every resource.</li>
 * </ul>
 * A selector that matches nothing in a resource is skipped. {@code resourceType} and {@code id} are never encrypted
 * (they bind the ciphertext and route the resource).
 */
public final class FieldSelector {
    private static final Pattern FHIR = Pattern.compile("[A-Z][A-Za-z0-9]*(\\.[A-Za-z_][A-Za-z0-9_]*)+");

    private final String text;
    private final String resourceType;
    private final List<String> path;
    private final JsonPointer pointer;

    private FieldSelector(String text, String resourceType, List<String> path, JsonPointer pointer) {
        this.text = text;
        this.resourceType = resourceType;
        this.path = path;
        this.pointer = pointer;
    }

    /**
     * Parses a selector; {@link ConfigurationException} if it is neither form.
     *
     * @param text a FHIRPath-like path or a JSON Pointer; not null, surrounding whitespace ignored
     * @return the parsed selector
     */
    public static FieldSelector parse(String text) {
        Objects.requireNonNull(text, "selector");
        String t = text.strip();
        if (t.startsWith("/")) {
            try {
                JsonPointer p = JsonPointer.compile(t);
                String head = p.getMatchingProperty();
                if (p.tail() != null && p.tail().matches() && ("resourceType".equals(head) || "id".equals(head))) {
                    throw bad(text);
                }
                return new FieldSelector(t, null, List.of(), p);
            } catch (IllegalArgumentException e) {
                throw bad(text);
            }
        }
        if (!FHIR.matcher(t).matches()) {
            throw bad(text);
        }
        String[] parts = t.split("\\.");
        List<String> path = List.of(parts).subList(1, parts.length);
        if (path.size() == 1 && (path.getFirst().equals("resourceType") || path.getFirst().equals("id"))) {
            throw bad(text);
        }
        return new FieldSelector(t, parts[0], List.copyOf(path), null);
    }

    private static ConfigurationException bad(String text) {
        return new ConfigurationException(Reason.CONFIGURATION, "not a field selector: '" + text
                + "' (use ResourceType.element.element or a JSON Pointer; resourceType and id stay in clear)");
    }

    /**
     * The selector as written.
     *
     * @return the selector text as given to {@link #parse}, stripped of surrounding whitespace
     */
    public String text() {
        return text;
    }

    /** The JSON Pointers of every value this selector picks in {@code resource}, in document order. */
    List<JsonPointer> select(JsonNode resource) {
        List<JsonPointer> out = new ArrayList<>();
        if (pointer != null) {
            if (!resource.at(pointer).isMissingNode()) {
                out.add(pointer);
            }
            return out;
        }
        if (!resourceType.equals(resource.path("resourceType").asText(null))) {
            return out;
        }
        walk(resource, 0, JsonPointer.empty(), out);
        return out;
    }

    private void walk(JsonNode node, int i, JsonPointer at, List<JsonPointer> out) {
        if (i == path.size()) {
            out.add(at);
        } else if (node.isArray()) {
            for (int k = 0; k < node.size(); k++) {
                walk(node.get(k), i, at.appendIndex(k), out);
            }
        } else if (node.isObject() && node.has(path.get(i))) {
            walk(node.get(path.get(i)), i + 1, at.appendProperty(path.get(i)), out);
        }
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSelector s && s.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
