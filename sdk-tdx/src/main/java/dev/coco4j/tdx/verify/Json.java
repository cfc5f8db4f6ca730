package dev.coco4j.tdx.verify;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Strict readers for Intel's signed collateral JSON; every failure is COLLATERAL_INVALID. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private Json() {
    }

    static JsonNode read(byte[] json, String what) {
        try {
            JsonNode n = MAPPER.readTree(json);
            if (n == null || !n.isObject()) {
                throw invalid(what + " is not a JSON object");
            }
            return n;
        } catch (AttestationException e) {
            throw e;
        } catch (Exception e) {
            throw new AttestationException(Reason.COLLATERAL_INVALID, what + " is not valid JSON", e);
        }
    }

    static JsonNode req(JsonNode n, String field, String what) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw invalid(what + " lacks \"" + field + "\"");
        }
        return v;
    }

    static String text(JsonNode n, String field, String what) {
        JsonNode v = req(n, field, what);
        if (!v.isTextual()) {
            throw invalid(what + "." + field + " is not a string");
        }
        return v.asText();
    }

    static int integer(JsonNode n, String field, String what) {
        JsonNode v = req(n, field, what);
        if (!v.isInt() || v.asInt() < 0) {
            throw invalid(what + "." + field + " is not a non-negative integer");
        }
        return v.asInt();
    }

    static byte[] hex(JsonNode n, String field, int len, String what) {
        String s = text(n, field, what);
        try {
            byte[] b = HexFormat.of().parseHex(s);
            if (b.length != len) {
                throw invalid(what + "." + field + " must be " + len + " bytes");
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw invalid(what + "." + field + " is not hex");
        }
    }

    static Instant instant(JsonNode n, String field, String what) {
        String s = text(n, field, what);
        try {
            return Instant.parse(s);
        } catch (RuntimeException e) {
            throw invalid(what + "." + field + " is not an ISO-8601 instant: " + s);
        }
    }

    static List<String> advisories(JsonNode level, String what) {
        JsonNode a = level.get("advisoryIDs");
        List<String> out = new ArrayList<>();
        if (a == null) {
            return out;
        }
        if (!a.isArray()) {
            throw invalid(what + ".advisoryIDs is not an array");
        }
        for (JsonNode s : a) {
            if (!s.isTextual()) {
                throw invalid(what + ".advisoryIDs holds a non-string");
            }
            out.add(s.asText());
        }
        return out;
    }

    static List<IsvTcbLevel> isvLevels(JsonNode n, String what) {
        JsonNode arr = req(n, "tcbLevels", what);
        if (!arr.isArray() || arr.isEmpty()) {
            throw invalid(what + ".tcbLevels is not a non-empty array");
        }
        List<IsvTcbLevel> out = new ArrayList<>();
        for (JsonNode l : arr) {
            JsonNode tcb = req(l, "tcb", what + ".tcbLevels[]");
            out.add(new IsvTcbLevel(integer(tcb, "isvsvn", what + ".tcb"), instant(l, "tcbDate", what),
                    TdxTcbStatus.fromCollateral(text(l, "tcbStatus", what)), advisories(l, what)));
        }
        return out;
    }

    static AttestationException invalid(String detail) {
        return new AttestationException(Reason.COLLATERAL_INVALID, detail);
    }
}
