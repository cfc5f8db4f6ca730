package dev.coco4j.core.envelope;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.envelope.internal.Failure;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A 256-bit AES key held in process memory that wraps data keys with AES-256-GCM:
 * {@code wrapped = iv (12, random) || AES-GCM(dataKey, aad) || tag (16)}, 60 bytes for a 32-byte data key.
 *
 * <p>Create it from raw bytes ({@link #of}), a key file of 32 raw bytes or 64 hex characters ({@link #fromFile}),
 * or a {@link KeyStore} secret-key entry ({@link #fromKeyStore}). {@link #destroy()} zeroes the key bytes this object
 * holds (a JCA {@link SecretKeySpec} copy made for each wrap/unwrap is short-lived, as the JDK's
 * {@code SecretKeySpec} cannot be destroyed). {@link #toString()} shows only the id. Thread-safe.
 *
 * <p>A file-based key's default id is {@code local:} followed by 16 hex characters of
 * {@code SHA-256("coco4j-kek-id" || key)}: stable, not secret, and different for different keys, so decrypting
 * with the wrong key file fails before any unwrap is attempted.
 */
public final class LocalKeyEncryptionKey implements KeyEncryptionKey {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int IV = 12;
    private static final int TAG = 16;

    private final String id;
    private final byte[] key;
    private volatile boolean destroyed;

    private LocalKeyEncryptionKey(String id, byte[] key) {
        dev.coco4j.core.envelope.internal.EnvelopeHeader.kekIdBytes(Objects.requireNonNull(id, "id"));
        if (key.length != 32) {
            throw new ConfigurationException(Reason.CONFIGURATION, "a key-encryption key must be 32 bytes (AES-256)");
        }
        this.id = id;
        this.key = key;
    }

    /**
     * A KEK with the given id from 32 raw key bytes (copied; zero your array when done).
     *
     * @param id the key id stored in headers; not null, 1 to 255 UTF-8 bytes
     * @param key the 32 key bytes; copied, so the caller may zero the array afterwards
     * @return a new KEK
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the key is not 32 bytes or the id is invalid
     */
    public static LocalKeyEncryptionKey of(String id, byte[] key) {
        return new LocalKeyEncryptionKey(id, key.clone());
    }

    /**
     * A KEK from 32 raw key bytes, with the default id derived from the key (see class comment).
     *
     * @param key the 32 key bytes; copied, so the caller may zero the array afterwards
     * @return a new KEK with id {@code local:} and 16 hex characters
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the key is not 32 bytes
     */
    public static LocalKeyEncryptionKey of(byte[] key) {
        return new LocalKeyEncryptionKey(defaultId(key), key.clone());
    }

    /**
     * A KEK from a key file holding 32 raw bytes or 64 hex characters (surrounding whitespace ignored), with the
     * default id. A missing, unreadable or malformed file is a {@link ConfigurationException}.
     *
     * @param file the key file; not null
     * @return a new KEK with the default id; the bytes read are zeroed after copying
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the file is missing, unreadable or malformed
     */
    public static LocalKeyEncryptionKey fromFile(Path file) {
        byte[] raw = readKeyFile(file);
        try {
            return new LocalKeyEncryptionKey(defaultId(raw), raw.clone());
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * Reads a 32-byte key file (raw or hex); the caller must zero the result.
     *
     * @param file the key file; not null
     * @return a new 32-byte array with the key, owned by the caller
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the file cannot be read or holds neither 32
     *     raw bytes nor 64 hex characters
     */
    public static byte[] readKeyFile(Path file) {
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException | SecurityException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot read key file " + file + " ("
                    + e.getClass().getSimpleName() + ")");
        }
        try {
            if (content.length == 32) {
                return content.clone();
            }
            String text = new String(content, StandardCharsets.US_ASCII).strip();
            if (text.length() == 64 && text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return HexFormat.of().parseHex(text);
            }
            throw new ConfigurationException(Reason.CONFIGURATION, "key file " + file
                    + " must hold 32 raw bytes or 64 hex characters");
        } finally {
            Arrays.fill(content, (byte) 0);
        }
    }

    /**
     * A KEK from a secret-key entry of a key store (e.g. PKCS#12), with id {@code keystore:ALIAS}.
     *
     * @param keyStore a loaded key store; not null
     * @param alias the alias of the secret-key entry
     * @param password the entry password, or null if the store needs none; not retained or modified
     * @return a new KEK holding a copy of the key bytes
     * @throws ConfigurationException if the entry is missing, not a 256-bit AES key, or cannot be read
     */
    public static LocalKeyEncryptionKey fromKeyStore(KeyStore keyStore, String alias, char[] password) {
        try {
            Key k = keyStore.getKey(alias, password);
            byte[] raw = k == null ? null : k.getEncoded();
            if (raw == null || raw.length != 32 || !"AES".equalsIgnoreCase(k.getAlgorithm())) {
                throw new ConfigurationException(Reason.CONFIGURATION, "key store entry " + alias
                        + " is not a 256-bit AES secret key");
            }
            try {
                return new LocalKeyEncryptionKey("keystore:" + alias, raw.clone());
            } finally {
                Arrays.fill(raw, (byte) 0);
            }
        } catch (GeneralSecurityException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot read key store entry " + alias + " ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    private static String defaultId(byte[] key) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("coco4j-kek-id".getBytes(StandardCharsets.US_ASCII));
            return "local:" + HexFormat.of().formatHex(sha.digest(key), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String id() {
        return id;
    }

    private SecretKeySpec spec() {
        if (destroyed) {
            throw new ConfigurationException(Reason.CONFIGURATION, "key-encryption key " + id + " is destroyed");
        }
        SecretKeySpec s = new SecretKeySpec(key, "AES");
        if (destroyed) { // raced with destroy(): the copy may hold zeros
            throw new ConfigurationException(Reason.CONFIGURATION, "key-encryption key " + id + " is destroyed");
        }
        return s;
    }

    @Override
    public byte[] wrap(byte[] dataKey, byte[] aad) {
        byte[] iv = new byte[IV];
        RANDOM.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, spec(), new GCMParameterSpec(128, iv));
            c.updateAAD(aad);
            byte[] out = new byte[IV + dataKey.length + TAG];
            System.arraycopy(iv, 0, out, 0, IV);
            c.doFinal(dataKey, 0, dataKey.length, out, IV);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM key wrap failed", e);
        }
    }

    @Override
    public byte[] unwrap(byte[] wrappedKey, byte[] aad) {
        if (wrappedKey.length < IV + TAG + 1) {
            throw Failure.notAuthentic();
        }
        SecretKeySpec k = spec();
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, k, new GCMParameterSpec(128, ByteBuffer.wrap(wrappedKey, 0, IV).array(), 0,
                    IV));
            c.updateAAD(aad);
            return c.doFinal(wrappedKey, IV, wrappedKey.length - IV);
        } catch (AEADBadTagException e) {
            throw Failure.notAuthentic();
        } catch (GeneralSecurityException e) {
            throw Failure.notAuthentic(e);
        }
    }

    /** Zeroes the key bytes; afterwards {@link #wrap} and {@link #unwrap} throw {@link ConfigurationException}. */
    @Override
    public void destroy() {
        destroyed = true;
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public boolean isDestroyed() {
        return destroyed;
    }

    /** Only the id, never key material. */
    @Override
    public String toString() {
        return "LocalKeyEncryptionKey[id=" + id + (destroyed ? ", destroyed" : "") + "]";
    }
}
