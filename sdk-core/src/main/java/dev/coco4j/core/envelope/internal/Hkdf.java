package dev.coco4j.core.envelope.internal;

import java.security.GeneralSecurityException;
import javax.crypto.KDF;
import javax.crypto.spec.HKDFParameterSpec;

/** HKDF-SHA-256 (RFC 5869) through the JDK's {@link KDF} API. */
public final class Hkdf {
    private Hkdf() {
    }

    /** Extract-then-expand: {@code length} bytes from {@code ikm}, {@code salt} and {@code info}. */
    public static byte[] sha256(byte[] ikm, byte[] salt, byte[] info, int length) {
        try {
            KDF kdf = KDF.getInstance("HKDF-SHA256");
            return kdf.deriveData(HKDFParameterSpec.ofExtract().addIKM(ikm).addSalt(salt).thenExpand(info, length));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HKDF-SHA256 unavailable", e);
        }
    }
}
