package dev.coco4j.samples.inference;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A validator for the small JSON-schema subset in {@code deploy-schema.json}: {@code type}, {@code required},
 * {@code properties}, {@code additionalProperties: false}, {@code enum}, {@code const}, {@code pattern},
 * {@code items}, {@code minItems} and {@code $ref} to a top-level definition ({@code #/name}). Returns every
 * violation with its JSON path, so a test failure says what is wrong where.
 */
final class MiniSchema {
    private final JsonNode definitions;

    MiniSchema(JsonNode definitions) {
        this.definitions = definitions;
    }

    List<String> validate(String definition, JsonNode doc) {
        List<String> errors = new ArrayList<>();
        JsonNode schema = definitions.get(definition);
        if (schema == null) {
            errors.add("$: no schema for kind '" + definition + "'");
        } else {
            check(schema, doc, "$", errors);
        }
        return errors;
    }

    private void check(JsonNode given, JsonNode v, String at, List<String> errors) {
        JsonNode schema = given.has("$ref") ? definitions.get(given.get("$ref").asText().substring(2)) : given;
        if (schema.has("const") && !schema.get("const").equals(v)) {
            errors.add(at + ": must be " + schema.get("const"));
        }
        if (schema.has("enum")) {
            boolean any = false;
            for (JsonNode e : schema.get("enum")) {
                any |= e.equals(v);
            }
            if (!any) {
                errors.add(at + ": " + v + " is not one of " + schema.get("enum"));
            }
        }
        String type = schema.path("type").asText("");
        boolean typeOk = switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "boolean" -> v.isBoolean();
            case "integer" -> v.isIntegralNumber();
            default -> true;
        };
        if (!typeOk) {
            errors.add(at + ": must be of type " + type);
            return;
        }
        if (schema.has("pattern") && !Pattern.compile(schema.get("pattern").asText()).matcher(v.asText()).find()) {
            errors.add(at + ": does not match " + schema.get("pattern").asText());
        }
        if (v.isObject()) {
            for (JsonNode r : schema.path("required")) {
                if (!v.has(r.asText())) {
                    errors.add(at + ": missing required field '" + r.asText() + "'");
                }
            }
            JsonNode props = schema.path("properties");
            v.fieldNames().forEachRemaining(f -> {
                if (props.has(f)) {
                    check(props.get(f), v.get(f), at + "." + f, errors);
                } else if (schema.path("additionalProperties").isBoolean()
                        && !schema.get("additionalProperties").asBoolean()) {
                    errors.add(at + ": unknown field '" + f + "'");
                }
            });
        }
        if (v.isArray()) {
            if (schema.has("minItems") && v.size() < schema.get("minItems").asInt()) {
                errors.add(at + ": needs at least " + schema.get("minItems").asInt() + " items");
            }
            if (schema.has("items")) {
                for (int i = 0; i < v.size(); i++) {
                    check(schema.get("items"), v.get(i), at + "[" + i + "]", errors);
                }
            }
        }
    }
}
