package dev.coco4j.core.envelope;

import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.envelope.internal.DecryptingInputStream;
import dev.coco4j.core.envelope.internal.EncryptingOutputStream;
import dev.coco4j.core.envelope.internal.EnvelopeHeader;
import dev.coco4j.core.envelope.internal.Failure;
import dev.coco4j.core.envelope.internal.KeySession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Envelope encryption: every message gets a fresh 256-bit data key, wrapped by a {@link KeyEncryptionKey}; the body
 * is AES-256-GCM in segments, so any size streams in constant memory and decryption never releases a byte that has
 * not been authenticated.
 *
 * <h2>Format, version 1 (suite 0x0001)</h2>
 * The full specification is {@code sdk-core/docs/envelope-format.md}. All integers are big-endian.
 * <pre>
 * header:
 *   "C4JE" | version 0x01 | suite u16 = 0x0001 | headerLength u32 | segmentSize u32 | messageId[32]
 *   | contextLength u32 | context | commitment[32] | kekIdLength u8 | kekId | wrappedKeyLength u16 | wrappedKey
 * context:  u16 count, then per pair u16 len + UTF-8 key, u16 len + UTF-8 value; keys strictly ascending
 * body:     segment_0 .. segment_n, each AES-256-GCM(segmentSize plaintext bytes; the last 0..segmentSize) || tag[16]
 *
 * okm (71 bytes)  = HKDF-SHA-256(ikm = dataKey, salt = messageId, info = "coco4j-envelope-v1" | suite | segmentSize)
 * segmentKey      = okm[0..32)      commitment = okm[32..64)      noncePrefix = okm[64..71)
 * nonce_i         = noncePrefix | u32 i | lastFlag (0x01 for the final segment, else 0x00)
 * segment AAD     = SHA-256(header bytes [0,7) and [11, end of commitment))   ("core digest")
 * wrap AAD        = "coco4j-envelope-wrap-v1" 0x00 | suite | messageId | u32 contextLength | context | u8 len | kekId
 * </pre>
 * Bounds (checked before any allocation): header 90..69973 bytes, context ≤ 64 KiB, KEK id
 * ≤ 255 bytes, wrapped key ≤ 4096 bytes, segment size 64 B..16 MiB, at most 2^32 segments.
 *
 * <p>Decryption reads the header, unwraps the data key with the KEK named by its id (wrap AAD binds the context),
 * recomputes the commitment and compares it in constant time, checks the caller's expected context pairs, and then
 * authenticates each segment before releasing it. The counter in the nonce detects reordering and duplication; the
 * last-segment flag detects truncation and appended data. Every failure is a {@link CiphertextException} with reason
 * {@link Reason#CIPHERTEXT_INVALID} and the one message "ciphertext is not authentic" (an unknown version or suite is
 * {@link Reason#UNSUPPORTED_VERSION}).
 *
 * <h2>Records</h2>
 * {@link #recordEncryptor()} encrypts many small records under one cached data key (bounded by age and number of
 * uses), so key generation, wrapping, derivation and commitment happen once per data key, not per record. See
 * {@link RecordEncryptor} for the record format.
 *
 * <h2>Rotation and shredding</h2>
 * {@link #rewrap(byte[])} re-wraps a message's data key under this cipher's KEK without touching the body.
 * Destroying a KEK ({@link #destroyKey(String)}) makes every message whose data key it wrapped unreadable.
 *
 * <p>Instances are immutable and thread-safe; streams are not shared between threads.
 */
public final class EnvelopeCipher {
    /** Default plaintext bytes per segment: 64 KiB (see envelope-bench measurements in the format doc). */
    public static final int DEFAULT_SEGMENT_SIZE = 64 * 1024;

    private final KeyEncryptionKey kek;
    private final Map<String, KeyEncryptionKey> keys;
    private final int segmentSize;
    private final SortedMap<String, String> context;
    private final AuditSink audit;
    private final Clock clock;
    private final Duration cacheMaxAge;
    private final long cacheMaxUses;

    private EnvelopeCipher(Builder b) {
        this.kek = b.kek;
        LinkedHashMap<String, KeyEncryptionKey> all = new LinkedHashMap<>();
        for (KeyEncryptionKey k : b.decryptionKeys) {
            all.put(k.id(), k);
        }
        all.put(kek.id(), kek);
        this.keys = Map.copyOf(all);
        this.segmentSize = b.segmentSize;
        this.context = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(b.context));
        this.audit = b.audit;
        this.clock = b.clock;
        this.cacheMaxAge = b.cacheMaxAge;
        this.cacheMaxUses = b.cacheMaxUses;
    }

    /**
     * A builder; {@link Builder#kek} is required.
     *
     * @return a new builder with the defaults (64 KiB segments, empty context, no audit, system UTC clock)
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures an {@link EnvelopeCipher}. */
    public static final class Builder {
        private KeyEncryptionKey kek;
        private final java.util.List<KeyEncryptionKey> decryptionKeys = new java.util.ArrayList<>();
        private int segmentSize = DEFAULT_SEGMENT_SIZE;
        private Map<String, String> context = Map.of();
        private AuditSink audit = AuditSink.NONE;
        private Clock clock = Clock.systemUTC();
        private Duration cacheMaxAge = Duration.ofMinutes(5);
        private long cacheMaxUses = 1L << 20;

        private Builder() {
        }

        /**
         * The KEK that wraps new data keys (and unwraps data keys it wrapped). Required.
         *
         * @param kek the key-encryption key; not null, kept (not copied)
         * @return this builder
         */
        public Builder kek(KeyEncryptionKey kek) {
            this.kek = Objects.requireNonNull(kek, "kek");
            return this;
        }

        /**
         * Further KEKs accepted for decryption and re-wrap only (e.g. the previous KEK during rotation).
         *
         * @param key an additional KEK, looked up by its {@link KeyEncryptionKey#id()}; not null; may be called
         *     repeatedly
         * @return this builder
         */
        public Builder decryptionKey(KeyEncryptionKey key) {
            decryptionKeys.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * Plaintext bytes per segment, 64 B .. 16 MiB; default 64 KiB.
         *
         * @param bytes the segment size in bytes, 64 to 16 MiB
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code bytes} is out of range
         */
        public Builder segmentSize(int bytes) {
            if (bytes < EnvelopeHeader.MIN_SEGMENT_SIZE || bytes > EnvelopeHeader.MAX_SEGMENT_SIZE) {
                throw new ConfigurationException(Reason.CONFIGURATION, "segment size must be "
                        + EnvelopeHeader.MIN_SEGMENT_SIZE + ".." + EnvelopeHeader.MAX_SEGMENT_SIZE + " bytes");
            }
            this.segmentSize = bytes;
            return this;
        }

        /**
         * The default encryption context: stored (authenticated, not encrypted) by the encrypt methods without a
         * context argument, and required (every pair present and equal) by the decrypt methods without one. Never
         * put PHI in a context; use opaque ids.
         *
         * @param context the key/value pairs; not null, copied; non-empty keys, at most 64 KiB encoded
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the context has an empty key, an entry
         *     that is too long, or is too large
         */
        public Builder context(Map<String, String> context) {
            EnvelopeHeader.encodeContext(context); // validates
            this.context = Map.copyOf(context);
            return this;
        }

        /**
         * Where audit events go; default {@link AuditSink#NONE}.
         *
         * @param sink the audit sink; not null
         * @return this builder
         */
        public Builder auditSink(AuditSink sink) {
            this.audit = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * The clock for audit timestamps and data-key cache age; default UTC system clock.
         *
         * @param clock the clock; not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Limits on a cached data key of a {@link RecordEncryptor}: a new data key is made once the current one is
         * older than {@code maxAge} or has encrypted {@code maxUses} records. Defaults: 5 minutes, 2^20 records;
         * {@code maxUses} at most 2^32.
         *
         * @param maxAge the longest time one data key is reused; positive, not null
         * @param maxUses the most records encrypted under one data key, 1 to 2^32
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code maxAge} is not positive or {@code
         *     maxUses} is out of range
         */
        public Builder dataKeyCache(Duration maxAge, long maxUses) {
            if (maxAge.isNegative() || maxAge.isZero() || maxUses < 1 || maxUses > (1L << 32)) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "data-key cache needs a positive age and 1..2^32 uses");
            }
            this.cacheMaxAge = maxAge;
            this.cacheMaxUses = maxUses;
            return this;
        }

        /**
         * Builds the cipher; {@link ConfigurationException} if no KEK was given.
         *
         * @return a new immutable, thread-safe cipher
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@link #kek} was not called
         */
        public EnvelopeCipher build() {
            if (kek == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "a key-encryption key is required");
            }
            return new EnvelopeCipher(this);
        }
    }

    /**
     * The id of the KEK new data keys are wrapped under.
     *
     * @return the KEK id written into new envelope headers
     */
    public String kekId() {
        return kek.id();
    }

    /**
     * The configured segment size.
     *
     * @return the plaintext bytes per segment of messages this cipher encrypts
     */
    public int segmentSize() {
        return segmentSize;
    }

    KeySession newSession(int segSize, Map<String, String> ctx) {
        return KeySession.create(kek, segSize, ctx, audit, clock);
    }

    KeySession openSession(EnvelopeHeader header, Map<String, String> expected) {
        KeySession s = KeySession.open(header, keys::get, audit, clock);
        checkContext(header, expected);
        return s;
    }

    private void checkContext(EnvelopeHeader header, Map<String, String> expected) {
        for (Map.Entry<String, String> e : expected.entrySet()) {
            if (!e.getValue().equals(header.context().get(e.getKey()))) {
                KeySession.failed(audit, clock, header.kekId(), header.messageIdHex());
                throw Failure.notAuthentic();
            }
        }
    }

    AuditSink audit() {
        return audit;
    }

    Clock clock() {
        return clock;
    }

    Duration cacheMaxAge() {
        return cacheMaxAge;
    }

    long cacheMaxUses() {
        return cacheMaxUses;
    }

    Map<String, String> defaultContext() {
        return context;
    }

    // ------------------------------------------------------------------ one-shot

    /**
     * Encrypts with the default context.
     *
     * @param plaintext the bytes to encrypt; not null, not modified, may be empty
     * @return a new array holding the complete envelope (header and segments)
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the envelope would not fit in a byte array
     */
    public byte[] encrypt(byte[] plaintext) {
        return encrypt(plaintext, context);
    }

    /**
     * Encrypts {@code plaintext} under a fresh data key, storing {@code context} in the authenticated header.
     *
     * @param plaintext the bytes to encrypt; not null, not modified, may be empty
     * @param context the pairs to bind to the message; not null, stored in clear, so no PHI
     * @return a new array holding the complete envelope (header and segments)
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the context is invalid or the envelope would
     *     not fit in a byte array (use {@link #encryptingStream(OutputStream, Map)})
     */
    public byte[] encrypt(byte[] plaintext, Map<String, String> context) {
        KeySession s = newSession(segmentSize, context);
        int seg = segmentSize;
        long segments = Math.max(1, (plaintext.length + (long) seg - 1) / seg);
        long total = s.header().length() + plaintext.length + segments * KeySession.TAG;
        if (total > Integer.MAX_VALUE - 16) {
            throw new ConfigurationException(Reason.CONFIGURATION, "too large for a byte array; use a stream");
        }
        byte[] out = new byte[(int) total];
        byte[] h = s.header().encoded();
        System.arraycopy(h, 0, out, 0, h.length);
        int o = h.length;
        for (long i = 0; i < segments; i++) {
            int off = (int) (i * seg);
            int len = Math.min(seg, plaintext.length - off);
            o += s.sealSegment(i, i == segments - 1, plaintext, off, len, out, o);
        }
        return out;
    }

    /**
     * Decrypts, requiring the default context's pairs.
     *
     * @param ciphertext a complete envelope; not null, not modified
     * @return a new array with the plaintext
     * @throws CiphertextException with {@link Reason#CIPHERTEXT_INVALID} if anything is not authentic, or with {@link
     *     Reason#UNSUPPORTED_VERSION} for an unknown version or suite
     */
    public byte[] decrypt(byte[] ciphertext) {
        return decrypt(ciphertext, context);
    }

    /**
     * Decrypts a whole message; returns the plaintext only if every segment, the header and the expected context
     * pairs are authentic. Otherwise throws {@link CiphertextException} ("ciphertext is not authentic").
     *
     * @param ciphertext a complete envelope; not null, not modified
     * @param expectedContext pairs that must all be present with equal values in the header; not null, may be empty
     * @return a new array with the plaintext
     * @throws CiphertextException with {@link Reason#CIPHERTEXT_INVALID} if anything is not authentic, the KEK is not
     *     configured or a context pair is missing or different, or with {@link Reason#UNSUPPORTED_VERSION} for an
     *     unknown version or suite
     */
    public byte[] decrypt(byte[] ciphertext, Map<String, String> expectedContext) {
        EnvelopeHeader header = EnvelopeHeader.parse(ciphertext, 0, ciphertext.length);
        KeySession s = openSession(header, expectedContext);
        try {
            int seg = header.segmentSize();
            if (seg == 0) {
                throw Failure.notAuthentic();
            }
            long body = ciphertext.length - (long) header.length();
            long sealedSeg = seg + (long) KeySession.TAG;
            long full = body / sealedSeg;
            long rem = body % sealedSeg;
            long segments = rem == 0 ? full : full + 1;
            if (segments == 0 || (rem != 0 && rem < KeySession.TAG)) {
                throw Failure.notAuthentic();
            }
            byte[] out = new byte[(int) (body - segments * KeySession.TAG)];
            int in = header.length();
            int o = 0;
            for (long i = 0; i < segments; i++) {
                int len = (int) Math.min(sealedSeg, ciphertext.length - in);
                o += s.openSegment(i, i == segments - 1, ciphertext, in, len, out, o);
                in += len;
            }
            return out;
        } catch (CiphertextException e) {
            KeySession.failed(audit, clock, header.kekId(), header.messageIdHex());
            throw e;
        }
    }

    // ------------------------------------------------------------------ streams and channels

    /**
     * An encrypting stream with the default context.
     *
     * @param out where the envelope is written; not null, closed when the returned stream is closed
     * @return a new encrypting stream; must be closed to complete the message
     */
    public OutputStream encryptingStream(OutputStream out) {
        return encryptingStream(out, context);
    }

    /**
     * A stream that encrypts what is written to it into {@code out}, in constant memory (about two segments). The
     * final segment is written by {@link OutputStream#close()}, which also closes {@code out}; a stream that is not
     * closed produces a truncated (rejected) message.
     *
     * @param out where the envelope is written; not null, closed when the returned stream is closed
     * @param context the pairs to bind to the message; not null, stored in clear, so no PHI
     * @return a new encrypting stream; must be closed to complete the message
     */
    public OutputStream encryptingStream(OutputStream out, Map<String, String> context) {
        return new EncryptingOutputStream(out, newSession(segmentSize, context));
    }

    /**
     * A decrypting stream requiring the default context's pairs.
     *
     * @param in the envelope source, positioned at the header; not null
     * @return a stream releasing only authenticated plaintext
     * @throws IOException if reading the header from {@code in} fails
     * @throws CiphertextException as for {@link #decryptingStream(InputStream, Map)}
     */
    public InputStream decryptingStream(InputStream in) throws IOException {
        return decryptingStream(in, context);
    }

    /**
     * A stream of the plaintext of the message in {@code in}. The header is read, unwrapped, commitment-checked and
     * context-checked now (throwing {@link CiphertextException}); afterwards each read returns only bytes of segments
     * whose tag has verified, and throws {@link CiphertextException} at the first segment that does not, including a
     * missing final segment or data after it. Constant memory (about two segments).
     *
     * @param in the envelope source, positioned at the header; not null
     * @param expectedContext pairs that must all be present with equal values in the header; not null
     * @return a stream releasing only authenticated plaintext; closing it closes {@code in}
     * @throws IOException if reading the header from {@code in} fails
     * @throws CiphertextException with {@link Reason#CIPHERTEXT_INVALID} if the header, key or context is not
     *     authentic, or with {@link Reason#UNSUPPORTED_VERSION} for an unknown version or suite
     */
    public InputStream decryptingStream(InputStream in, Map<String, String> expectedContext) throws IOException {
        EnvelopeHeader header;
        try {
            header = EnvelopeHeader.read(in);
        } catch (CiphertextException e) {
            KeySession.failed(audit, clock, null, null);
            throw e;
        }
        if (header.segmentSize() == 0) {
            KeySession.failed(audit, clock, header.kekId(), header.messageIdHex());
            throw Failure.notAuthentic();
        }
        return new DecryptingInputStream(in, openSession(header, expectedContext), audit, clock);
    }

    /**
     * An encrypting channel (see {@link #encryptingStream(OutputStream, Map)}); closing it writes the last segment.
     *
     * @param out where the envelope is written; not null, closed with the returned channel
     * @param context the pairs to bind to the message; not null, stored in clear, so no PHI
     * @return a new encrypting channel; must be closed to complete the message
     */
    public WritableByteChannel encryptingChannel(WritableByteChannel out, Map<String, String> context) {
        return Channels.newChannel(encryptingStream(Channels.newOutputStream(out), context));
    }

    /**
     * A decrypting channel (see {@link #decryptingStream(InputStream, Map)}).
     *
     * @param in the envelope source, positioned at the header; not null
     * @param expectedContext pairs that must all be present with equal values in the header; not null
     * @return a channel releasing only authenticated plaintext
     * @throws IOException if reading the header from {@code in} fails
     * @throws CiphertextException as for {@link #decryptingStream(InputStream, Map)}
     */
    public ReadableByteChannel decryptingChannel(ReadableByteChannel in, Map<String, String> expectedContext)
            throws IOException {
        return Channels.newChannel(decryptingStream(Channels.newInputStream(in), expectedContext));
    }

    // ------------------------------------------------------------------ rotation

    /**
     * The length of the envelope header at the start of {@code prefix} (which must hold at least 11 bytes).
     *
     * @param prefix the first bytes of an envelope; not modified
     * @return the total header length in bytes, as declared in the header
     * @throws CiphertextException if it does not start with a version-1 header
     */
    public static int headerLength(byte[] prefix) {
        return EnvelopeHeader.declaredLength(prefix, 0, prefix.length);
    }

    /**
     * Re-wraps the data key of the header at the start of {@code ciphertextPrefix} under this cipher's KEK: unwraps it
     * with whichever configured KEK the header names, checks the commitment, and returns the new header. Body bytes
     * are not needed and stay valid after the new header. Emits DATA_KEY_REWRAPPED.
     *
     * @param ciphertextPrefix the envelope, or at least its complete header; not modified
     * @return a new array with the re-wrapped header, of possibly different length than the old one
     * @throws CiphertextException with {@link Reason#CIPHERTEXT_INVALID} if the header is not authentic or names a KEK
     *     this cipher does not have
     */
    public byte[] rewrapHeader(byte[] ciphertextPrefix) {
        EnvelopeHeader header = EnvelopeHeader.parse(ciphertextPrefix, 0, ciphertextPrefix.length);
        return KeySession.rewrap(header, keys::get, kek, audit, clock).encoded();
    }

    /**
     * Re-wraps a whole message: new header followed by the unchanged body.
     *
     * @param ciphertext a complete envelope; not null, not modified
     * @return a new array: the re-wrapped header followed by the unchanged body
     * @throws CiphertextException with {@link Reason#CIPHERTEXT_INVALID} if the header is not authentic or names a KEK
     *     this cipher does not have (the body itself is not checked)
     */
    public byte[] rewrap(byte[] ciphertext) {
        int old = headerLength(ciphertext);
        byte[] h = rewrapHeader(ciphertext);
        byte[] out = new byte[h.length + ciphertext.length - old];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(ciphertext, old, out, h.length, ciphertext.length - old);
        return out;
    }

    /**
     * Re-wraps a message read from {@code in} into {@code out}, copying the body unchanged (constant memory).
     *
     * @param in the envelope source, positioned at the header; not null, not closed
     * @param out where the re-wrapped envelope is written; not null, not closed
     * @throws IOException if reading or writing fails
     * @throws CiphertextException with {@link Reason#CIPHERTEXT_INVALID} if the header is not authentic or names a KEK
     *     this cipher does not have
     */
    public void rewrap(InputStream in, OutputStream out) throws IOException {
        EnvelopeHeader header = EnvelopeHeader.read(in);
        out.write(KeySession.rewrap(header, keys::get, kek, audit, clock).encoded());
        in.transferTo(out);
    }

    // ------------------------------------------------------------------ records

    /**
     * A record encryptor with the default context.
     *
     * @return a new record encryptor bound to the builder's context
     */
    public RecordEncryptor recordEncryptor() {
        return recordEncryptor(context);
    }

    /**
     * A record encryptor: many small records under one cached data key (see {@link RecordEncryptor}).
     *
     * @param context the pairs to bind to every record; not null, copied, stored in clear, so no PHI
     * @return a new record encryptor
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the context is invalid
     */
    public RecordEncryptor recordEncryptor(Map<String, String> context) {
        EnvelopeHeader.encodeContext(context);
        return new RecordEncryptor(this, Map.copyOf(context));
    }

    /**
     * A record decryptor requiring the default context's pairs.
     *
     * @return a new record decryptor expecting the builder's context
     */
    public RecordDecryptor recordDecryptor() {
        return recordDecryptor(context);
    }

    /**
     * A record decryptor that caches unwrapped data keys by header (see {@link RecordDecryptor}).
     *
     * @param expectedContext pairs every record's header must hold with equal values; not null, copied
     * @return a new record decryptor
     */
    public RecordDecryptor recordDecryptor(Map<String, String> expectedContext) {
        return new RecordDecryptor(this, Map.copyOf(expectedContext));
    }

    // ------------------------------------------------------------------ shredding

    /**
     * Destroys the configured KEK with this id (crypto-shredding: every data key it wrapped becomes unrecoverable
     * wherever this KEK is the only copy) and emits KEY_DESTROYED.
     *
     * @param kekId the id of a KEK given to the builder; not null
     * @throws ConfigurationException if no configured KEK has this id, or it cannot be destroyed
     */
    public void destroyKey(String kekId) {
        KeyEncryptionKey k = keys.get(kekId);
        if (k == null) {
            throw new ConfigurationException(Reason.CONFIGURATION, "no key-encryption key " + kekId);
        }
        try {
            k.destroy();
        } catch (javax.security.auth.DestroyFailedException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "key-encryption key " + kekId
                    + " cannot be destroyed", e);
        }
        AuditSink.safely(audit, new AuditEvent(AuditEvent.Type.KEY_DESTROYED, kekId, null, clock.instant()));
    }

    /** Shows the KEK id, segment size and context keys; never key material. */
    @Override
    public String toString() {
        return "EnvelopeCipher[kekId=" + kek.id() + ", segmentSize=" + segmentSize + ", contextKeys="
                + context.keySet() + "]";
    }
}
