package dev.coco4j.core.internal;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.util.HexFormat;

/** Hex encoding of byte strings (lower case), and lenient decoding of hex text with whitespace. */
public final class Hex {
    private static final HexFormat HEX = HexFormat.of();

    private Hex() {
    }

    /**
     * Lower-case hex of the bytes.
     *
     * @param bytes the bytes to encode; not null, not modified
     * @return two lower-case hex digits per byte; empty for an empty array
     */
    public static String encode(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    /**
     * Decodes hex text, ignoring whitespace and an optional {@code 0x} prefix.
     *
     * @param text hex digits in either case, possibly with whitespace and a {@code 0x} prefix; not null
     * @return a new array with the decoded bytes; empty if the text has no digits
     * @throws ConfigurationException if the text is not an even number of hex digits
     */
    public static byte[] decode(CharSequence text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isWhitespace(c)) {
                sb.append(c);
            }
        }
        String s = sb.toString();
        if (s.startsWith("0x") || s.startsWith("0X")) {
            s = s.substring(2);
        }
        if (s.length() % 2 != 0 || !isHex(s)) {
            throw new ConfigurationException(Reason.CONFIGURATION, "not an even-length hex string");
        }
        return HEX.parseHex(s);
    }

    /**
     * True if every character is a hex digit.
     *
     * @param s the text to check; not null
     * @return true if every character is a hex digit (also for empty text)
     */
    public static boolean isHex(CharSequence s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Interprets file content as either raw bytes or hex text: if every byte is a hex digit or whitespace and there
     * is at least one digit, the hex is decoded; otherwise the bytes are returned as they are.
     *
     * @param content the file content; not null
     * @return the decoded bytes as a new array, or {@code content} itself (not a copy) when it is not hex text
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the content looks like hex but does not
     *     decode
     */
    public static byte[] rawOrHex(byte[] content) {
        int digits = 0;
        for (byte b : content) {
            char c = (char) (b & 0xff);
            if (Character.digit(c, 16) >= 0) {
                digits++;
            } else if (!(c == ' ' || c == '\n' || c == '\r' || c == '\t')) {
                return content;
            }
        }
        if (digits == 0 || digits % 2 != 0) {
            return content;
        }
        return decode(new String(content, java.nio.charset.StandardCharsets.US_ASCII));
    }
}
