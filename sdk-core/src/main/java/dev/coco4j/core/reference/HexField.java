package dev.coco4j.core.reference;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.util.Locale;

/** Validation of the hex strings in reference values. */
final class HexField {
    private HexField() {
    }

    static String of(String field, String value, int bytes) {
        if (value == null) {
            throw new ConfigurationException(Reason.CONFIGURATION, field + " is null");
        }
        String v = value.toLowerCase(Locale.ROOT);
        if (v.length() != 2 * bytes || !v.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new ConfigurationException(Reason.CONFIGURATION, field + " must be " + bytes + " bytes of hex ("
                    + 2 * bytes + " digits), got " + v.length() + " characters");
        }
        return v;
    }

    /** Hex of a digest fitted to {@code bytes}: truncated, or zero-padded on the right. */
    static String fitted(String digestHex, int bytes) {
        String v = digestHex.length() >= 2 * bytes ? digestHex.substring(0, 2 * bytes) : digestHex;
        return v + "0".repeat(2 * bytes - v.length());
    }
}
