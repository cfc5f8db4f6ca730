package dev.coco4j.core.envelope;

import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.envelope.internal.EnvelopeHeader;
import dev.coco4j.core.envelope.internal.Failure;
import dev.coco4j.core.envelope.internal.KeySession;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decrypts records made by {@link RecordEncryptor}. Each distinct header is unwrapped, commitment-checked and
 * context-checked once, and the derived key kept in a small LRU cache (64 data keys) keyed by the exact header bytes;
 * a record whose header bytes differ in any way goes through the full check. Failures are the uniform
 * {@link CiphertextException}. Thread-safe.
 */
public final class RecordDecryptor {
    private static final int CACHE = 64;

    private final EnvelopeCipher cipher;
    private final Map<String, String> expected;
    private final LinkedHashMap<ByteBuffer, KeySession> sessions = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ByteBuffer, KeySession> eldest) {
            return size() > CACHE;
        }
    };

    RecordDecryptor(EnvelopeCipher cipher, Map<String, String> expected) {
        this.cipher = cipher;
        this.expected = expected;
    }

    /**
     * Decrypts a record encrypted without associated data.
     *
     * @param record a record made by {@link RecordEncryptor#encrypt(byte[])}; not null, not modified
     * @return a new array with the plaintext record
     * @throws CiphertextException with {@link dev.coco4j.core.Reason#CIPHERTEXT_INVALID} if the record is not
     *     authentic, was encrypted with associated data, or its header does not match the expected context
     */
    public byte[] decrypt(byte[] record) {
        return decrypt(record, null);
    }

    /**
     * Decrypts a record; {@code associatedData} must equal what was given to the encryptor (null for none).
     *
     * @param record a record made by {@link RecordEncryptor}; not null, not modified
     * @param associatedData the same bytes given to the encryptor, or null for none
     * @return a new array with the plaintext record
     * @throws CiphertextException with {@link dev.coco4j.core.Reason#CIPHERTEXT_INVALID} if the record or the
     *     associated data is not authentic, or its header does not match the expected context
     */
    public byte[] decrypt(byte[] record, byte[] associatedData) {
        if (!RecordEncryptor.hasMagic(record)) {
            throw Failure.notAuthentic();
        }
        int m = RecordEncryptor.magicLength();
        int h = EnvelopeHeader.declaredLength(record, m, record.length - m);
        if (h > record.length - m) {
            throw Failure.notAuthentic();
        }
        KeySession s;
        ByteBuffer key = ByteBuffer.wrap(record, m, h);
        synchronized (sessions) {
            s = sessions.get(key);
        }
        if (s == null) {
            EnvelopeHeader header = EnvelopeHeader.parse(record, m, h);
            if (header.segmentSize() != 0) {
                throw Failure.notAuthentic();
            }
            s = cipher.openSession(header, expected);
            synchronized (sessions) {
                sessions.put(ByteBuffer.wrap(header.encoded()), s);
            }
        }
        try {
            return s.openRecord(record, m + h, record.length - m - h, associatedData);
        } catch (CiphertextException e) {
            KeySession.failed(cipher.audit(), cipher.clock(), s.header().kekId(), s.header().messageIdHex());
            throw e;
        }
    }

    /** Shows the KEK id only. */
    @Override
    public String toString() {
        return "RecordDecryptor[kekId=" + cipher.kekId() + "]";
    }
}
