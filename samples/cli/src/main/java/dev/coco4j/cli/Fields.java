package dev.coco4j.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An ordered list of named fields, printed either as aligned {@code name  value} lines or as a JSON object. */
final class Fields {
    private record Field(String name, String text, Object json) {
    }

    private final List<Field> fields = new ArrayList<>();

    /** Adds a field whose text and JSON value are the same. */
    Fields add(String name, Object value) {
        return add(name, String.valueOf(value), value);
    }

    /** Adds a field with a human text and a JSON value. */
    Fields add(String name, String text, Object json) {
        fields.add(new Field(name, text, json));
        return this;
    }

    /** Prints the fields as aligned lines, each indented by {@code indent}. */
    void printAligned(PrintWriter out, String indent) {
        int width = 0;
        for (Field f : fields) {
            width = Math.max(width, f.name.length());
        }
        for (Field f : fields) {
            out.println(indent + f.name + " ".repeat(width - f.name.length() + 2) + f.text);
        }
    }

    /** The fields as an ordered map for JSON. */
    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Field f : fields) {
            m.put(f.name, f.json);
        }
        return m;
    }
}
