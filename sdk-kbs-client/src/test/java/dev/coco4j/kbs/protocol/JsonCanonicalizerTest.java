package dev.coco4j.kbs.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.ReportData.HashAlgorithm;
import dev.coco4j.kbs.Vectors;
import dev.coco4j.kbs.internal.Json;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonCanonicalizerTest {

    @Test
    void trusteeAsUnitTestCase() {
        JsonNode c = Vectors.json("derived/runtime-data-binding.json").get("as_unit_test_case");
        byte[] canon = JsonCanonicalizer.canonicalize(c.get("input"));
        assertThat(new String(canon)).isEqualTo(c.get("canonical_json").textValue());
        assertThat(HexFormat.of().formatHex(HashAlgorithm.SHA384.digest(canon)))
                .isEqualTo(c.get("sha384_hex").textValue());
    }

    /** RFC 8785 §3.2.2 example. */
    @Test
    void rfc8785MainExample() {
        String in = "{\n \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
                + " \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
                + " \"literals\": [null, true, false]\n}";
        assertThat(JsonCanonicalizer.canonicalString(Json.parse(in, "t"))).isEqualTo(
                "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                        + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    /** RFC 8785 §3.2.3 sorting example: UTF-16 code unit order. */
    @Test
    void rfc8785SortingExample() {
        String in = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With"
                + " Dagesh\",\"1\":\"One\",\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\","
                + "\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        String out = JsonCanonicalizer.canonicalString(Json.parse(in, "t"));
        assertThat(out).startsWith("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\"")
                .contains("\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\"");
    }

    /** RFC 8785 Appendix B number samples (IEEE-754 bits → expected text). */
    @ParameterizedTest
    @CsvSource({
        "0000000000000000, 0", "8000000000000000, 0", "0000000000000001, 5e-324", "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308", "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992", "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000", "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23", "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000", "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21", "3eb0c6f7a0b5ed8c, 9.999999999999997e-7", "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332", "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333", "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343", "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2"
    })
    void rfc8785Numbers(String bits, String expected) {
        double d = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
        assertThat(JsonCanonicalizer.formatDouble(d)).isEqualTo(expected);
    }

    @Test
    void rejectsNonFinite() {
        assertThatThrownBy(() -> JsonCanonicalizer.formatDouble(Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 300)
    void canonicalNumbersRoundTrip(@ForAll double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            return;
        }
        double back = Double.parseDouble(JsonCanonicalizer.formatDouble(d));
        assertThat(back == d || (d == 0 && back == 0)).isTrue();
    }

    @Property(tries = 200)
    void canonicalisationIsIdempotent(@ForAll String s, @ForAll int i) {
        var o = Json.object();
        o.put("s", s.replaceAll("[\\ud800-\\udfff]", "x"));
        o.put("i", i);
        String once = JsonCanonicalizer.canonicalString(o);
        assertThat(JsonCanonicalizer.canonicalString(Json.parse(once, "t"))).isEqualTo(once);
    }
}
