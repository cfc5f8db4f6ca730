package dev.coco4j.tdx.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A strict PEM certificate reader: only {@code BEGIN/END CERTIFICATE} blocks with canonical base64 (re-encoding
 * must give the same text) separated by line breaks; only NUL bytes may follow the last block. So any change to the
 * PEM text changes the certificates or is refused, unlike the JDK's lenient MIME decoding.
 */
public final class StrictPem {
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    private StrictPem() {
    }

    /**
     * The DER bytes of each certificate block, in order.
     *
     * @throws IllegalArgumentException if the text is not strictly such PEM
     */
    public static List<byte[]> certificates(byte[] pem) {
        int end = pem.length;
        while (end > 0 && pem[end - 1] == 0) {
            end--;
        }
        for (int i = 0; i < end; i++) {
            int c = pem[i] & 0xff;
            if (c != '\n' && c != '\r' && (c < 0x20 || c > 0x7e)) {
                throw new IllegalArgumentException("a non-PEM byte at " + i);
            }
        }
        String s = new String(pem, 0, end, StandardCharsets.US_ASCII).replace("\r\n", "\n");
        if (s.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("a stray carriage return");
        }
        List<byte[]> out = new ArrayList<>();
        String[] lines = s.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            if (lines[i].isEmpty()) {
                i++;
                continue;
            }
            if (!lines[i].equals(BEGIN)) {
                throw new IllegalArgumentException("expected " + BEGIN);
            }
            StringBuilder b64 = new StringBuilder();
            i++;
            while (i < lines.length && !lines[i].equals(END)) {
                b64.append(lines[i]);
                i++;
            }
            if (i == lines.length) {
                throw new IllegalArgumentException("missing " + END);
            }
            i++;
            String text = b64.toString();
            byte[] der = Base64.getDecoder().decode(text);
            if (!Base64.getEncoder().encodeToString(der).equals(text)) {
                throw new IllegalArgumentException("non-canonical base64");
            }
            out.add(der);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no certificate");
        }
        return out;
    }
}
