package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.internal.Hex;
import dev.coco4j.sev.abi.SnpProduct;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Converts option values; a bad value is a {@link Reason#CONFIGURATION} error naming the option (exit 2). */
final class Args {
    private Args() {
    }

    /** Hex text (whitespace and a 0x prefix allowed), or null when the option was not given. */
    static byte[] hex(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Hex.decode(text);
        } catch (ConfigurationException e) {
            throw bad(option, "is not an even number of hex digits");
        }
    }

    /** An ISO-8601 instant such as 2025-06-20T00:00:00Z, or null when not given. */
    static Instant instant(String option, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw bad(option, "'" + text + "' is not an ISO-8601 instant (e.g. 2025-06-20T00:00:00Z)");
        }
    }

    /** The clock a verification runs at: fixed at {@code --at}'s instant when given, else the system clock (UTC). */
    static Clock clock(Instant instant) {
        return instant == null ? Clock.systemUTC() : Clock.fixed(instant, ZoneOffset.UTC);
    }

    /** milan, genoa or turin, or null when not given. */
    static SnpProduct product(String option, String text) {
        if (text == null) {
            return null;
        }
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "milan" -> SnpProduct.MILAN;
            case "genoa" -> SnpProduct.GENOA;
            case "turin" -> SnpProduct.TURIN;
            default -> throw bad(option, "'" + text + "' is not one of milan, genoa, turin");
        };
    }

    /** A raw TCB_VERSION as 16 hex digits, most significant byte first (as printed), or null when not given. */
    static Long tcb(String option, String text) {
        if (text == null) {
            return null;
        }
        String t = text.strip();
        if (t.startsWith("0x") || t.startsWith("0X")) {
            t = t.substring(2);
        }
        if (t.length() != 16 || !Hex.isHex(t)) {
            throw bad(option, "must be 16 hex digits (the raw TCB_VERSION as printed, e.g. db18000000000004)");
        }
        return Long.parseUnsignedLong(t, 16);
    }

    static ConfigurationException bad(String option, String what) {
        return new ConfigurationException(Reason.CONFIGURATION, option + " " + what);
    }
}
