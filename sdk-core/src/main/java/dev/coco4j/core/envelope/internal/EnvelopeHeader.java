package dev.coco4j.core.envelope.internal;

import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The envelope header, version 1 (see {@code sdk-core/docs/envelope-format.md}). All integers are big-endian.
 *
 * <pre>
 * off      len  field
 * 0        4    magic "C4JE"
 * 4        1    format version = 0x01
 * 5        2    suite = 0x0001 (AES-256-GCM, HKDF-SHA-256, key commitment)
 * 7        4    headerLength H: total bytes of the header, this field included
 * 11       4    segmentSize: plaintext bytes per segment (64 .. 16 MiB), 0 = a record key
 * 15       32   messageId (random; HKDF salt)
 * 47       4    contextLength C (0 .. 65536)
 * 51       C    context: u16 count, then per pair u16 keyLen, key, u16 valueLen, value (UTF-8, keys strictly ascending)
 * 51+C     32   commitment
 * 83+C     1    kekIdLength K (1 .. 255)
 * 84+C     K    kekId (UTF-8)
 * 84+C+K   2    wrappedKeyLength W (1 .. 4096)
 * 86+C+K   W    wrapped data key
 * </pre>
 *
 * The core (bytes 0..7 and 11..83+C: everything except the header length, the KEK id and the wrapped key, which change
 * on re-wrap) is hashed with SHA-256 into {@link #coreDigest()}, the associated data of every segment and record.
 */
public final class EnvelopeHeader {
    /** "C4JE". */
    public static final byte[] MAGIC = {'C', '4', 'J', 'E'};
    /** The only format version this code reads and writes. */
    public static final int VERSION = 1;
    /** AES-256-GCM segments, HKDF-SHA-256 key derivation, HKDF key commitment, no signature. */
    public static final int SUITE_AES256_GCM_HKDF_SHA256_COMMIT = 0x0001;
    /** Smallest allowed stream segment (plaintext bytes). */
    public static final int MIN_SEGMENT_SIZE = 64;
    /** Largest allowed stream segment (plaintext bytes). */
    public static final int MAX_SEGMENT_SIZE = 16 << 20;
    /** Largest encoded encryption context. */
    public static final int MAX_CONTEXT_LENGTH = 65536;
    /** Largest KEK id, UTF-8 bytes. */
    public static final int MAX_KEK_ID_LENGTH = 255;
    /** Largest wrapped data key. */
    public static final int MAX_WRAPPED_KEY_LENGTH = 4096;
    /** Length of the message id and of the commitment. */
    public static final int ID_LENGTH = 32;
    /** Bytes before the context. */
    static final int FIXED_PREFIX = 51;
    /** Smallest possible header: empty context (2 bytes), 1-byte KEK id, 1-byte wrapped key. */
    public static final int MIN_HEADER_LENGTH = FIXED_PREFIX + 2 + ID_LENGTH + 1 + 1 + 2 + 1;
    /** Largest possible header. */
    public static final int MAX_HEADER_LENGTH = FIXED_PREFIX + MAX_CONTEXT_LENGTH + ID_LENGTH + 1 + MAX_KEK_ID_LENGTH
            + 2 + MAX_WRAPPED_KEY_LENGTH;

    private final int segmentSize;
    private final byte[] messageId;
    private final SortedMap<String, String> context;
    private final byte[] contextBytes;
    private final byte[] commitment;
    private final String kekId;
    private final byte[] wrappedKey;
    private final byte[] encoded;
    private final byte[] coreDigest;

    private EnvelopeHeader(int segmentSize, byte[] messageId, SortedMap<String, String> context, byte[] contextBytes,
            byte[] commitment, String kekId, byte[] wrappedKey, byte[] encoded) {
        this.segmentSize = segmentSize;
        this.messageId = messageId;
        this.context = Collections.unmodifiableSortedMap(context);
        this.contextBytes = contextBytes;
        this.commitment = commitment;
        this.kekId = kekId;
        this.wrappedKey = wrappedKey;
        this.encoded = encoded;
        MessageDigest sha = sha256();
        sha.update(encoded, 0, 7);
        sha.update(encoded, 11, FIXED_PREFIX - 11 + contextBytes.length + ID_LENGTH);
        this.coreDigest = sha.digest();
    }

    /** Builds a header for new data; validates every bound ({@link ConfigurationException} on misuse). */
    public static EnvelopeHeader create(int segmentSize, byte[] messageId, Map<String, String> context,
            byte[] commitment, String kekId, byte[] wrappedKey) {
        byte[] ctx = encodeContext(context);
        byte[] id = kekIdBytes(kekId);
        if (wrappedKey.length < 1 || wrappedKey.length > MAX_WRAPPED_KEY_LENGTH) {
            throw new ConfigurationException(Reason.CONFIGURATION, "wrapped data key must be 1.."
                    + MAX_WRAPPED_KEY_LENGTH + " bytes");
        }
        int h = FIXED_PREFIX + ctx.length + ID_LENGTH + 1 + id.length + 2 + wrappedKey.length;
        ByteBuffer b = ByteBuffer.allocate(h);
        b.put(MAGIC).put((byte) VERSION).putShort((short) SUITE_AES256_GCM_HKDF_SHA256_COMMIT).putInt(h)
                .putInt(segmentSize).put(messageId).putInt(ctx.length).put(ctx).put(commitment)
                .put((byte) id.length).put(id).putShort((short) wrappedKey.length).put(wrappedKey);
        return new EnvelopeHeader(segmentSize, messageId.clone(), new TreeMap<>(context), ctx, commitment.clone(),
                kekId, wrappedKey.clone(), b.array());
    }

    /** The same header with another KEK id and wrapped key (re-wrap); the core and so the body stay valid. */
    public EnvelopeHeader rewrapped(String newKekId, byte[] newWrappedKey) {
        return create(segmentSize, messageId, context, commitment, newKekId, newWrappedKey);
    }

    /** The encoded UTF-8 bytes of a KEK id; {@link ConfigurationException} if empty or too long. */
    public static byte[] kekIdBytes(String kekId) {
        byte[] id = kekId.getBytes(StandardCharsets.UTF_8);
        if (id.length < 1 || id.length > MAX_KEK_ID_LENGTH) {
            throw new ConfigurationException(Reason.CONFIGURATION, "KEK id must be 1.." + MAX_KEK_ID_LENGTH
                    + " UTF-8 bytes");
        }
        return id;
    }

    /** The canonical context encoding; {@link ConfigurationException} if a key is empty or it is too large. */
    public static byte[] encodeContext(Map<String, String> context) {
        TreeMap<String, String> sorted = new TreeMap<>(context);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (sorted.size() > 0xFFFF) {
            throw new ConfigurationException(Reason.CONFIGURATION, "encryption context has too many pairs");
        }
        out.write(sorted.size() >>> 8);
        out.write(sorted.size());
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (e.getKey().isEmpty()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "encryption context key must not be empty");
            }
            for (String s : new String[] {e.getKey(), e.getValue()}) {
                byte[] u = s.getBytes(StandardCharsets.UTF_8);
                if (u.length > 0xFFFF) {
                    throw new ConfigurationException(Reason.CONFIGURATION, "encryption context entry too long");
                }
                out.write(u.length >>> 8);
                out.write(u.length);
                out.writeBytes(u);
            }
        }
        if (out.size() > MAX_CONTEXT_LENGTH) {
            throw new ConfigurationException(Reason.CONFIGURATION, "encryption context larger than "
                    + MAX_CONTEXT_LENGTH + " bytes");
        }
        return out.toByteArray();
    }

    /** Reads and parses a header from the start of a stream, allocating at most the declared (bounded) length. */
    public static EnvelopeHeader read(InputStream in) throws IOException {
        byte[] prefix = in.readNBytes(11);
        checkPrefix(prefix, 0, prefix.length);
        int h = ByteBuffer.wrap(prefix, 7, 4).getInt();
        byte[] all = Arrays.copyOf(prefix, h);
        int n = in.readNBytes(all, 11, h - 11);
        if (n != h - 11) {
            throw Failure.notAuthentic();
        }
        return parse(all, 0, h);
    }

    /** The header length declared at the start of {@code data} (after checking magic, version and suite). */
    public static int declaredLength(byte[] data, int off, int len) {
        checkPrefix(data, off, len);
        return ByteBuffer.wrap(data, off + 7, 4).getInt();
    }

    private static void checkPrefix(byte[] data, int off, int len) {
        if (len < 11 || !Arrays.equals(data, off, off + 4, MAGIC, 0, 4)) {
            throw Failure.notAuthentic();
        }
        if ((data[off + 4] & 0xFF) != VERSION) {
            throw new CiphertextException(Reason.UNSUPPORTED_VERSION, "unsupported envelope format version "
                    + (data[off + 4] & 0xFF));
        }
        ByteBuffer b = ByteBuffer.wrap(data, off + 5, 6);
        int suite = b.getShort() & 0xFFFF;
        if (suite != SUITE_AES256_GCM_HKDF_SHA256_COMMIT) {
            throw new CiphertextException(Reason.UNSUPPORTED_VERSION, "unsupported envelope suite " + suite);
        }
        int h = b.getInt();
        if (h < MIN_HEADER_LENGTH || h > MAX_HEADER_LENGTH) {
            throw Failure.notAuthentic();
        }
    }

    /** Parses a header occupying {@code data[off..off+declaredLength)}; uniform {@link CiphertextException} if bad. */
    public static EnvelopeHeader parse(byte[] data, int off, int len) {
        int h = declaredLength(data, off, len);
        if (h > len) {
            throw Failure.notAuthentic();
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(data, off, h).slice();
            b.position(11);
            int segmentSize = b.getInt();
            if (segmentSize != 0 && (segmentSize < MIN_SEGMENT_SIZE || segmentSize > MAX_SEGMENT_SIZE)) {
                throw Failure.notAuthentic();
            }
            byte[] messageId = new byte[ID_LENGTH];
            b.get(messageId);
            int c = b.getInt();
            if (c < 2 || c > MAX_CONTEXT_LENGTH || c > b.remaining()) {
                throw Failure.notAuthentic();
            }
            byte[] ctx = new byte[c];
            b.get(ctx);
            SortedMap<String, String> context = decodeContext(ctx);
            byte[] commitment = new byte[ID_LENGTH];
            b.get(commitment);
            int k = b.get() & 0xFF;
            if (k < 1 || k > b.remaining()) {
                throw Failure.notAuthentic();
            }
            byte[] id = new byte[k];
            b.get(id);
            String kekId = utf8(id);
            int w = b.getShort() & 0xFFFF;
            if (w < 1 || w > MAX_WRAPPED_KEY_LENGTH || w != b.remaining()) {
                throw Failure.notAuthentic();
            }
            byte[] wrapped = new byte[w];
            b.get(wrapped);
            return new EnvelopeHeader(segmentSize, messageId, context, ctx, commitment, kekId, wrapped,
                    Arrays.copyOfRange(data, off, off + h));
        } catch (RuntimeException e) {
            if (e instanceof CiphertextException ce) {
                throw ce;
            }
            throw Failure.notAuthentic(e);
        }
    }

    private static SortedMap<String, String> decodeContext(byte[] ctx) {
        ByteBuffer b = ByteBuffer.wrap(ctx);
        int count = b.getShort() & 0xFFFF;
        TreeMap<String, String> map = new TreeMap<>();
        String previous = null;
        for (int i = 0; i < count; i++) {
            String key = utf8(chunk(b));
            String value = utf8(chunk(b));
            if (key.isEmpty() || (previous != null && previous.compareTo(key) >= 0)) {
                throw Failure.notAuthentic(); // not canonical
            }
            map.put(key, value);
            previous = key;
        }
        if (b.hasRemaining()) {
            throw Failure.notAuthentic();
        }
        return map;
    }

    private static byte[] chunk(ByteBuffer b) {
        int n = b.getShort() & 0xFFFF;
        if (n > b.remaining()) {
            throw Failure.notAuthentic();
        }
        byte[] out = new byte[n];
        b.get(out);
        return out;
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw Failure.notAuthentic(e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Plaintext bytes per segment; 0 for a record key. */
    public int segmentSize() {
        return segmentSize;
    }

    /** A copy of the message id. */
    public byte[] messageId() {
        return messageId.clone();
    }

    /** The message id in lower-case hex (for audit events). */
    public String messageIdHex() {
        return java.util.HexFormat.of().formatHex(messageId);
    }

    /** The authenticated encryption context (unmodifiable, sorted). */
    public SortedMap<String, String> context() {
        return context;
    }

    /** The canonical encoding of the context. */
    byte[] contextBytes() {
        return contextBytes;
    }

    /** The stored key commitment. */
    byte[] commitment() {
        return commitment;
    }

    /** The id of the KEK that wrapped the data key. */
    public String kekId() {
        return kekId;
    }

    /** A copy of the wrapped data key. */
    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    /** The header's bytes (a copy). */
    public byte[] encoded() {
        return encoded.clone();
    }

    /** The header's length in bytes. */
    public int length() {
        return encoded.length;
    }

    /** Writes the header bytes. */
    public void writeTo(java.io.OutputStream out) throws IOException {
        out.write(encoded);
    }

    /** SHA-256 over the header core: the associated data of every segment and record. */
    public byte[] coreDigest() {
        return coreDigest.clone();
    }

    byte[] coreDigestRef() {
        return coreDigest;
    }

    /** The associated data the KEK wraps the data key under: suite, message id, context and KEK id. */
    public static byte[] wrapAad(byte[] messageId, byte[] contextBytes, String kekId) {
        byte[] label = "coco4j-envelope-wrap-v1".getBytes(StandardCharsets.US_ASCII);
        byte[] id = kekIdBytes(kekId);
        return ByteBuffer.allocate(label.length + 1 + 2 + ID_LENGTH + 4 + contextBytes.length + 1 + id.length)
                .put(label).put((byte) 0).putShort((short) SUITE_AES256_GCM_HKDF_SHA256_COMMIT).put(messageId)
                .putInt(contextBytes.length).put(contextBytes).put((byte) id.length).put(id).array();
    }

    /** The wrap AAD of this header under {@code kekId}. */
    public byte[] wrapAad(String forKekId) {
        return wrapAad(messageId, contextBytes, forKekId);
    }
}
