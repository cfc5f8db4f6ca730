package dev.coco4j.core.envelope.internal;

import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.envelope.AuditEvent;
import dev.coco4j.core.envelope.AuditSink;
import dev.coco4j.core.envelope.KeyEncryptionKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One data key's derived material: the header, the AES-256-GCM segment/record key and the nonce prefix, both derived
 * with HKDF-SHA-256 from the data key and the message id; the commitment is checked before anything is decrypted.
 * The data key itself is zeroed as soon as the derivation is done.
 */
public final class KeySession {
    /** GCM tag length. */
    public static final int TAG = 16;
    /** Record body prefix: the u64 record counter. */
    public static final int RECORD_COUNTER = 8;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<Cipher> GCM = ThreadLocal.withInitial(() -> {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM unavailable", e);
        }
    });

    private final EnvelopeHeader header;
    private final SecretKeySpec key;
    private final byte[] noncePrefix;
    private final byte[] aad;

    private KeySession(EnvelopeHeader header, SecretKeySpec key, byte[] noncePrefix) {
        this.header = header;
        this.key = key;
        this.noncePrefix = noncePrefix;
        this.aad = header.coreDigestRef();
    }

    /** A fresh data key wrapped by {@code kek}: a new message (segmentSize &gt; 0) or record key (0). */
    public static KeySession create(KeyEncryptionKey kek, int segmentSize, Map<String, String> context,
            AuditSink audit, Clock clock) {
        byte[] dataKey = new byte[32];
        byte[] messageId = new byte[EnvelopeHeader.ID_LENGTH];
        RANDOM.nextBytes(dataKey);
        RANDOM.nextBytes(messageId);
        byte[] derived = null;
        try {
            derived = derive(dataKey, messageId, segmentSize);
            String kekId = kek.id();
            byte[] wrapped = kek.wrap(dataKey,
                    EnvelopeHeader.wrapAad(messageId, EnvelopeHeader.encodeContext(context), kekId));
            EnvelopeHeader header = EnvelopeHeader.create(segmentSize, messageId, context,
                    Arrays.copyOfRange(derived, 32, 64), kekId, wrapped);
            KeySession s = new KeySession(header, new SecretKeySpec(derived, 0, 32, "AES"),
                    Arrays.copyOfRange(derived, 64, 71));
            AuditSink.safely(audit, new AuditEvent(AuditEvent.Type.DATA_KEY_GENERATED, kekId, header.messageIdHex(),
                    clock.instant()));
            return s;
        } finally {
            Arrays.fill(dataKey, (byte) 0);
            if (derived != null) {
                Arrays.fill(derived, (byte) 0);
            }
        }
    }

    /**
     * Unwraps the header's data key with the KEK its id names, and checks the key commitment (constant time). Every
     * failure is the uniform {@link CiphertextException}, except exceptions the KEK itself throws for other reasons
     * (a destroyed key, a refused key release), which pass through. Emits DATA_KEY_UNWRAPPED or DECRYPT_FAILED.
     */
    public static KeySession open(EnvelopeHeader header, Function<String, KeyEncryptionKey> keys, AuditSink audit,
            Clock clock) {
        String kekId = header.kekId();
        byte[] dataKey = null;
        byte[] derived = null;
        try {
            KeyEncryptionKey kek = keys.apply(kekId);
            if (kek == null) {
                throw Failure.notAuthentic();
            }
            dataKey = kek.unwrap(header.wrappedKey(), header.wrapAad(kekId));
            if (dataKey.length != 32) {
                throw Failure.notAuthentic();
            }
            derived = derive(dataKey, header.messageId(), header.segmentSize());
            if (!MessageDigest.isEqual(Arrays.copyOfRange(derived, 32, 64), header.commitment())) {
                throw Failure.notAuthentic();
            }
            KeySession s = new KeySession(header, new SecretKeySpec(derived, 0, 32, "AES"),
                    Arrays.copyOfRange(derived, 64, 71));
            AuditSink.safely(audit, new AuditEvent(AuditEvent.Type.DATA_KEY_UNWRAPPED, kekId, header.messageIdHex(),
                    clock.instant()));
            return s;
        } catch (CocoException e) {
            failed(audit, clock, kekId, header.messageIdHex());
            throw e;
        } catch (RuntimeException e) {
            failed(audit, clock, kekId, header.messageIdHex());
            throw Failure.notAuthentic(e);
        } finally {
            if (dataKey != null) {
                Arrays.fill(dataKey, (byte) 0);
            }
            if (derived != null) {
                Arrays.fill(derived, (byte) 0);
            }
        }
    }

    /** Emits DECRYPT_FAILED. */
    public static void failed(AuditSink audit, Clock clock, String kekId, String messageId) {
        AuditSink.safely(audit, new AuditEvent(AuditEvent.Type.DECRYPT_FAILED, kekId, messageId, clock.instant()));
    }

    /**
     * Unwraps with {@code keys}, checks the commitment, and wraps the same data key under {@code newKek}: the new
     * header has the same core (so the body stays valid). Emits DATA_KEY_REWRAPPED.
     */
    public static EnvelopeHeader rewrap(EnvelopeHeader header, Function<String, KeyEncryptionKey> keys,
            KeyEncryptionKey newKek, AuditSink audit, Clock clock) {
        KeyEncryptionKey kek = keys.apply(header.kekId());
        if (kek == null) {
            failed(audit, clock, header.kekId(), header.messageIdHex());
            throw Failure.notAuthentic();
        }
        byte[] dataKey = null;
        byte[] derived = null;
        try {
            dataKey = kek.unwrap(header.wrappedKey(), header.wrapAad(header.kekId()));
            derived = derive(dataKey, header.messageId(), header.segmentSize());
            if (dataKey.length != 32 || !MessageDigest.isEqual(Arrays.copyOfRange(derived, 32, 64),
                    header.commitment())) {
                throw Failure.notAuthentic();
            }
            String newId = newKek.id();
            EnvelopeHeader out = header.rewrapped(newId, newKek.wrap(dataKey, header.wrapAad(newId)));
            AuditSink.safely(audit, new AuditEvent(AuditEvent.Type.DATA_KEY_REWRAPPED, newId, header.messageIdHex(),
                    clock.instant()));
            return out;
        } catch (CiphertextException e) {
            failed(audit, clock, header.kekId(), header.messageIdHex());
            throw e;
        } finally {
            if (dataKey != null) {
                Arrays.fill(dataKey, (byte) 0);
            }
            if (derived != null) {
                Arrays.fill(derived, (byte) 0);
            }
        }
    }

    private static byte[] derive(byte[] dataKey, byte[] messageId, int segmentSize) {
        byte[] label = "coco4j-envelope-v1".getBytes(StandardCharsets.US_ASCII);
        byte[] info = ByteBuffer.allocate(label.length + 2 + 4).put(label)
                .putShort((short) EnvelopeHeader.SUITE_AES256_GCM_HKDF_SHA256_COMMIT).putInt(segmentSize).array();
        return Hkdf.sha256(dataKey, messageId, info, 71);
    }

    /** The header. */
    public EnvelopeHeader header() {
        return header;
    }

    private byte[] segmentNonce(long counter, boolean last) {
        byte[] n = new byte[12];
        System.arraycopy(noncePrefix, 0, n, 0, 7);
        n[7] = (byte) (counter >>> 24);
        n[8] = (byte) (counter >>> 16);
        n[9] = (byte) (counter >>> 8);
        n[10] = (byte) counter;
        n[11] = (byte) (last ? 1 : 0);
        return n;
    }

    private byte[] recordNonce(long counter) {
        byte[] n = new byte[12];
        System.arraycopy(noncePrefix, 0, n, 0, 4);
        for (int i = 0; i < 8; i++) {
            n[4 + i] = (byte) (counter >>> (56 - 8 * i));
        }
        return n;
    }

    /** Encrypts segment {@code counter} from {@code in} into {@code out}; returns the bytes written (len + 16). */
    public int sealSegment(long counter, boolean last, byte[] in, int off, int len, byte[] out, int outOff) {
        if (counter < 0 || counter > 0xFFFFFFFFL) {
            throw new IllegalStateException("too many segments");
        }
        try {
            Cipher c = GCM.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, segmentNonce(counter, last)));
            c.updateAAD(aad);
            return c.doFinal(in, off, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /**
     * Decrypts and authenticates segment {@code counter}; returns the plaintext length. Nothing is written to
     * {@code out} unless the tag verifies (the JDK's GCM decrypt releases output only after checking the tag).
     */
    public int openSegment(long counter, boolean last, byte[] in, int off, int len, byte[] out, int outOff) {
        if (len < TAG || counter > 0xFFFFFFFFL) {
            throw Failure.notAuthentic();
        }
        try {
            Cipher c = GCM.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, segmentNonce(counter, last)));
            c.updateAAD(aad);
            return c.doFinal(in, off, len, out, outOff);
        } catch (AEADBadTagException e) {
            throw Failure.notAuthentic();
        } catch (ShortBufferException e) {
            throw new IllegalStateException(e);
        } catch (GeneralSecurityException e) {
            throw Failure.notAuthentic(e);
        }
    }

    /** A record body: {@code counter (u64) || ciphertext || tag}, under this record key and {@code extraAad}. */
    public byte[] sealRecord(long counter, byte[] plaintext, byte[] extraAad) {
        byte[] out = new byte[RECORD_COUNTER + plaintext.length + TAG];
        sealRecordInto(counter, plaintext, extraAad, out, 0);
        return out;
    }

    /** Writes a record body at {@code out[outOff..]}; returns its length. */
    public int sealRecordInto(long counter, byte[] plaintext, byte[] extraAad, byte[] out, int outOff) {
        ByteBuffer.wrap(out, outOff, RECORD_COUNTER).putLong(counter);
        try {
            Cipher c = GCM.get();
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, recordNonce(counter)));
            c.updateAAD(aad);
            if (extraAad != null && extraAad.length > 0) {
                c.updateAAD(extraAad);
            }
            return RECORD_COUNTER + c.doFinal(plaintext, 0, plaintext.length, out, outOff + RECORD_COUNTER);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM failed", e);
        }
    }

    /** Opens a record body; uniform {@link CiphertextException} if not authentic. */
    public byte[] openRecord(byte[] body, int off, int len, byte[] extraAad) {
        if (len < RECORD_COUNTER + TAG) {
            throw Failure.notAuthentic();
        }
        long counter = ByteBuffer.wrap(body, off, RECORD_COUNTER).getLong();
        try {
            Cipher c = GCM.get();
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, recordNonce(counter)));
            c.updateAAD(aad);
            if (extraAad != null && extraAad.length > 0) {
                c.updateAAD(extraAad);
            }
            return c.doFinal(body, off + RECORD_COUNTER, len - RECORD_COUNTER);
        } catch (AEADBadTagException e) {
            throw Failure.notAuthentic();
        } catch (GeneralSecurityException e) {
            throw Failure.notAuthentic(e);
        }
    }

    @Override
    public String toString() {
        return "KeySession[kekId=" + header.kekId() + ", messageId=" + header.messageIdHex() + "]";
    }
}
