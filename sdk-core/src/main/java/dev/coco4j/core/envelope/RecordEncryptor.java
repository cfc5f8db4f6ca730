package dev.coco4j.core.envelope;

import dev.coco4j.core.envelope.internal.KeySession;
import java.time.Instant;
import java.util.Map;

/**
 * Encrypts many small records (database rows, messages, JSON fields) under one cached data key. Key generation,
 * wrapping, HKDF derivation and the key commitment happen once per data key; each record costs one AES-GCM
 * encryption. A new data key is made when the current one reaches the cipher's
 * {@linkplain EnvelopeCipher.Builder#dataKeyCache cache limits} (age, number of records).
 *
 * <h2>Record format, version 1</h2>
 * <pre>
 * "C4JR" | 0x01 | header | counter u64 | AES-256-GCM ciphertext | tag[16]
 * </pre>
 * {@code header} is an envelope header (see {@link EnvelopeCipher}) whose segmentSize is 0, meaning "record key";
 * every record carries it, so a record decrypts on its own (about 170 bytes with a local KEK and a small context),
 * while a {@link RecordDecryptor} unwraps each distinct header only once. The record key and a 4-byte nonce prefix
 * come from the same HKDF as a stream's segment key; {@code nonce = noncePrefix[0..4) | counter u64}, where the
 * counter is the record's index under its data key (unique, so nonces never repeat). The AAD is the header's core
 * digest followed by the caller's associated data (not stored).
 *
 * <p>Thread-safe.
 */
public final class RecordEncryptor {
    private static final byte[] MAGIC = {'C', '4', 'J', 'R', 1};

    private final EnvelopeCipher cipher;
    private final Map<String, String> context;
    private KeySession session;
    private byte[] headerBytes;
    private Instant created;
    private long used;

    RecordEncryptor(EnvelopeCipher cipher, Map<String, String> context) {
        this.cipher = cipher;
        this.context = context;
    }

    /**
     * Encrypts one record without associated data.
     *
     * @param record the plaintext record; not null, not modified, may be empty
     * @return a new array with the encrypted record (magic, header and sealed body)
     */
    public byte[] encrypt(byte[] record) {
        return encrypt(record, null);
    }

    /**
     * Encrypts one record; {@code associatedData} (may be null) is authenticated but not stored, and the same bytes
     * must be given to {@link RecordDecryptor#decrypt(byte[], byte[])}.
     *
     * @param record the plaintext record; not null, not modified, may be empty
     * @param associatedData bytes to authenticate with the record, or null for none; not stored
     * @return a new array with the encrypted record (magic, header and sealed body)
     */
    public byte[] encrypt(byte[] record, byte[] associatedData) {
        KeySession s;
        byte[] h;
        long counter;
        synchronized (this) {
            Instant now = cipher.clock().instant();
            if (session == null || used >= cipher.cacheMaxUses()
                    || !now.isBefore(created.plus(cipher.cacheMaxAge()))) {
                session = cipher.newSession(0, context);
                headerBytes = session.header().encoded();
                created = now;
                used = 0;
            }
            s = session;
            h = headerBytes;
            counter = used++;
        }
        byte[] out = new byte[MAGIC.length + h.length + KeySession.RECORD_COUNTER + record.length + KeySession.TAG];
        System.arraycopy(MAGIC, 0, out, 0, MAGIC.length);
        System.arraycopy(h, 0, out, MAGIC.length, h.length);
        s.sealRecordInto(counter, record, associatedData, out, MAGIC.length + h.length);
        return out;
    }

    /** Drops the cached data key so that the next record gets a fresh one. */
    public synchronized void rotate() {
        session = null;
        headerBytes = null;
    }

    static boolean hasMagic(byte[] b) {
        return b.length >= MAGIC.length && java.util.Arrays.equals(b, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    static int magicLength() {
        return MAGIC.length;
    }

    /** Shows the KEK id only. */
    @Override
    public String toString() {
        return "RecordEncryptor[kekId=" + cipher.kekId() + "]";
    }
}
