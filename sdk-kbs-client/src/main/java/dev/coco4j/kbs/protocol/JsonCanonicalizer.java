package dev.coco4j.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * RFC 8785 JSON Canonicalization Scheme (JCS) over Jackson trees: object members sorted by the UTF-16 code units of
 * their names, no whitespace, strings escaped as RFC 8785 §3.2.2.2 requires (only {@code "}, <code>&#92;</code> and
 * control characters; short forms <code>&#92;b &#92;t &#92;n &#92;f &#92;r</code>, otherwise <code>&#92;u00xx</code> in
 * lower case), and numbers written as ECMAScript's {@code Number.prototype.toString} writes an IEEE-754 double
 * (§3.2.2.3).
 *
 * <p>This is the serialisation Trustee hashes for the KBS runtime-data binding. Stateless and thread-safe.
 */
public final class JsonCanonicalizer {
    private static final BigInteger MAX_SAFE = BigInteger.valueOf(9007199254740992L);

    private JsonCanonicalizer() {
    }

    /**
     * The canonical UTF-8 bytes of {@code node}.
     *
     * @param node the tree; not null
     * @return a new array holding the UTF-8 encoding of {@link #canonicalString(JsonNode)}
     * @throws IllegalArgumentException for values JCS cannot represent (NaN, infinities, lone surrogates, binary or
     *     POJO nodes)
     */
    public static byte[] canonicalize(JsonNode node) {
        return canonicalString(node).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The canonical text of {@code node}.
     *
     * @param node the tree; not null, not modified
     * @return the canonical JSON text
     * @throws IllegalArgumentException for values JCS cannot represent (NaN, infinities, lone surrogates, binary
     *     or POJO nodes)
     */
    public static String canonicalString(JsonNode node) {
        StringBuilder sb = new StringBuilder();
        write(node, sb);
        return sb.toString();
    }

    private static void write(JsonNode node, StringBuilder sb) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<String> names = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    names.add(it.next().getKey());
                }
                names.sort(String::compareTo); // String.compareTo compares UTF-16 code units, as RFC 8785 §3.2.3 says
                sb.append('{');
                boolean first = true;
                for (String name : names) {
                    if (!first) {
                        sb.append(',');
                    }
                    first = false;
                    writeString(name, sb);
                    sb.append(':');
                    write(node.get(name), sb);
                }
                sb.append('}');
            }
            case ARRAY -> {
                sb.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    write(node.get(i), sb);
                }
                sb.append(']');
            }
            case STRING -> writeString(node.textValue(), sb);
            case BOOLEAN -> sb.append(node.booleanValue() ? "true" : "false");
            case NULL -> sb.append("null");
            case NUMBER -> sb.append(number(node));
            default -> throw new IllegalArgumentException("JCS cannot represent a " + node.getNodeType() + " node");
        }
    }

    private static String number(JsonNode node) {
        if (node.isIntegralNumber()) {
            BigInteger v = node.bigIntegerValue();
            if (v.abs().compareTo(MAX_SAFE) <= 0) {
                return v.toString();
            }
            return formatDouble(v.doubleValue());
        }
        return formatDouble(node.doubleValue());
    }

    /** ECMAScript Number-to-String (ECMA-262 §6.1.6.1.20) of a finite double, as RFC 8785 §3.2.2.3 requires. */
    static String formatDouble(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new IllegalArgumentException("JCS cannot represent " + d);
        }
        if (d == 0) {
            return "0"; // also -0
        }
        // Double.toString gives the shortest decimal that round-trips (JDK 19+); BigDecimal splits it into digits.
        BigDecimal bd = new BigDecimal(Double.toString(Math.abs(d))).stripTrailingZeros();
        String digits = bd.unscaledValue().toString();
        int k = digits.length();
        int n = k - bd.scale();
        if (k == 2) {
            // Double.toString never writes fewer than two significant digits; ECMAScript wants the shortest.
            double abs = Math.abs(d);
            int lo = digits.charAt(0) - '0';
            BigDecimal exact = new BigDecimal(abs);
            BigDecimal best = null;
            for (int cand : new int[] {lo, lo + 1}) {
                BigDecimal one = BigDecimal.valueOf(cand).scaleByPowerOfTen(n - 1);
                if (one.doubleValue() == abs && (best == null
                        || one.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                    best = one; // ECMA-262: of several shortest candidates, the one closest to the value
                }
            }
            if (best != null) {
                bd = best.stripTrailingZeros();
                digits = bd.unscaledValue().toString();
                k = digits.length();
                n = k - bd.scale();
            }
        }
        StringBuilder sb = new StringBuilder();
        if (d < 0) {
            sb.append('-');
        }
        if (k <= n && n <= 21) {
            sb.append(digits).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            sb.append(digits, 0, n).append('.').append(digits, n, k);
        } else if (-6 < n && n <= 0) {
            sb.append("0.").append("0".repeat(-n)).append(digits);
        } else {
            int e = n - 1;
            sb.append(digits.charAt(0));
            if (k > 1) {
                sb.append('.').append(digits, 1, k);
            }
            sb.append('e').append(e < 0 ? '-' : '+').append(Math.abs(e));
        }
        return sb.toString();
    }

    private static void writeString(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new IllegalArgumentException("lone surrogate in JSON string");
                }
                sb.append(c).append(s.charAt(++i));
                continue;
            }
            if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException("lone surrogate in JSON string");
            }
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\b' -> sb.append("\\b");
                case '\t' -> sb.append("\\t");
                case '\n' -> sb.append("\\n");
                case '\f' -> sb.append("\\f");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
