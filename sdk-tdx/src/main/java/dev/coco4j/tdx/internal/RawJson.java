package dev.coco4j.tdx.internal;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finds the exact byte span of each top-level member value of a JSON object without re-serialising anything, so a
 * signature over "the raw bytes of the {@code tcbInfo} value" can be checked on the bytes as received. Strict: the
 * input must be one JSON object; duplicate top-level keys are refused.
 */
public final class RawJson {
    private RawJson() {
    }

    /** A value's span: {@code [start, end)} in the input. */
    public record Span(int start, int end) {
    }

    /**
     * The spans of the top-level members' values, keyed by the (unescaped-as-is) key text.
     *
     * @throws IllegalArgumentException if the bytes are not one JSON object or a key repeats
     */
    public static Map<String, Span> topLevelMembers(byte[] json) {
        Scanner s = new Scanner(json);
        Map<String, Span> out = new LinkedHashMap<>();
        s.ws();
        s.expect('{');
        s.ws();
        if (s.peek() == '}') {
            s.pos++;
        } else {
            while (true) {
                s.ws();
                int ks = s.pos;
                s.string();
                String key = new String(json, ks + 1, s.pos - ks - 2, java.nio.charset.StandardCharsets.UTF_8);
                s.ws();
                s.expect(':');
                s.ws();
                int vs = s.pos;
                s.value(0);
                if (out.put(key, new Span(vs, s.pos)) != null) {
                    throw new IllegalArgumentException("duplicate member \"" + key + "\"");
                }
                s.ws();
                int c = s.next();
                if (c == '}') {
                    break;
                }
                if (c != ',') {
                    throw new IllegalArgumentException("expected ',' or '}' at " + (s.pos - 1));
                }
            }
        }
        s.ws();
        if (s.pos != json.length) {
            throw new IllegalArgumentException("trailing content after the JSON object");
        }
        return out;
    }

    /** The exact bytes of a top-level member's value, or null if absent. */
    public static byte[] member(byte[] json, String key) {
        Span sp = topLevelMembers(json).get(key);
        return sp == null ? null : java.util.Arrays.copyOfRange(json, sp.start(), sp.end());
    }

    private static final class Scanner {
        final byte[] b;
        int pos;

        Scanner(byte[] b) {
            this.b = b;
        }

        int peek() {
            if (pos >= b.length) {
                throw new IllegalArgumentException("unexpected end of JSON");
            }
            return b[pos] & 0xff;
        }

        int next() {
            int c = peek();
            pos++;
            return c;
        }

        void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected '" + c + "' at " + (pos - 1));
            }
        }

        void ws() {
            while (pos < b.length && (b[pos] == ' ' || b[pos] == '\n' || b[pos] == '\r' || b[pos] == '\t')) {
                pos++;
            }
        }

        void string() {
            expect('"');
            while (true) {
                int c = next();
                if (c == '"') {
                    return;
                }
                if (c == '\\') {
                    next();
                } else if (c < 0x20) {
                    throw new IllegalArgumentException("control character in a string at " + (pos - 1));
                }
            }
        }

        void value(int depth) {
            if (depth > 64) {
                throw new IllegalArgumentException("JSON nested too deeply");
            }
            int c = peek();
            if (c == '"') {
                string();
            } else if (c == '{' || c == '[') {
                int close = c == '{' ? '}' : ']';
                pos++;
                ws();
                if (peek() == close) {
                    pos++;
                    return;
                }
                while (true) {
                    ws();
                    if (c == '{') {
                        string();
                        ws();
                        expect(':');
                        ws();
                    }
                    value(depth + 1);
                    ws();
                    int d = next();
                    if (d == close) {
                        return;
                    }
                    if (d != ',') {
                        throw new IllegalArgumentException("expected ',' at " + (pos - 1));
                    }
                }
            } else {
                int start = pos;
                while (pos < b.length && "{}[],: \n\r\t\"".indexOf(b[pos]) < 0) {
                    pos++;
                }
                if (pos == start) {
                    throw new IllegalArgumentException("expected a value at " + start);
                }
            }
        }
    }
}
