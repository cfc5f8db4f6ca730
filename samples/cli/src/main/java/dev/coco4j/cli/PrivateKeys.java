package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * Reads a private key file: PKCS#8, as PEM ({@code -----BEGIN PRIVATE KEY-----}) or DER, EC or RSA. The key bytes are
 * zeroed after parsing; errors never quote the file's content.
 */
final class PrivateKeys {
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private PrivateKeys() {
    }

    static PrivateKey read(String option, Path file) {
        byte[] content = InputFiles.read(option, file);
        byte[] der = null;
        try {
            String text = new String(content, StandardCharsets.US_ASCII);
            int from = text.indexOf(BEGIN);
            if (from >= 0) {
                int to = text.indexOf(END, from);
                if (to < 0) {
                    throw bad(option, file);
                }
                try {
                    der = Base64.getMimeDecoder().decode(text.substring(from + BEGIN.length(), to));
                } catch (IllegalArgumentException e) {
                    throw bad(option, file);
                }
            } else if (text.contains("-----BEGIN")) {
                throw new ConfigurationException(Reason.CONFIGURATION, option + ": " + file
                        + " is not an unencrypted PKCS#8 key (convert it with: openssl pkcs8 -topk8 -nocrypt)");
            } else {
                der = content.clone();
            }
            PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
            for (String alg : new String[] {"EC", "RSA"}) {
                try {
                    return KeyFactory.getInstance(alg).generatePrivate(spec);
                } catch (GeneralSecurityException e) {
                    // try the next algorithm
                }
            }
            throw bad(option, file);
        } finally {
            Arrays.fill(content, (byte) 0);
            if (der != null) {
                Arrays.fill(der, (byte) 0);
            }
        }
    }

    private static ConfigurationException bad(String option, Path file) {
        return new ConfigurationException(Reason.CONFIGURATION, option + ": " + file
                + " is not a PKCS#8 EC or RSA private key (PEM or DER)");
    }
}
