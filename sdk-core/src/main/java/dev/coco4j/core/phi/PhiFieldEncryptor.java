package dev.coco4j.core.phi;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.envelope.AuditSink;
import dev.coco4j.core.envelope.KeyEncryptionKey;
import dev.coco4j.core.envelope.internal.EnvelopeHeader;
import dev.coco4j.core.envelope.internal.Failure;
import dev.coco4j.core.envelope.internal.KeySession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Field-level encryption of FHIR (or any JSON) resources: the chosen fields are replaced by encrypted values, while
 * {@code resourceType}, {@code id}, references and every other field stay readable, so resources can still be routed,
 * indexed and partly processed.
 *
 * <h2>What an encrypted resource looks like</h2>
 * <ul>
 *   <li>One data key per call: per resource, or per Bundle for a Bundle (every {@code entry[].resource} is handled).
 *       Its envelope header (see {@link dev.coco4j.core.envelope.EnvelopeCipher}; a record key, encryption context
 *       {@code {resourceType, id}} of the top-level resource) is stored as
 *       {@code meta.extension[] = {"url": "}{@value #HEADER_EXTENSION_URL}{@code ", "valueBase64Binary": ...}}.</li>
 *   <li>Each selected value becomes {@code {"c4jEnc": "<base64url>"}} (plus {@code "c4jBi"} for a blind index):
 *       a record body {@code counter u64 | AES-256-GCM(JSON text of the value) | tag}, decrypting back to the exact
 *       original JSON value of any type (string, number, object, array...).</li>
 *   <li>Each value's associated data is {@code "coco4j-phi-v1" 0 resourceType 0 id 0 jsonPointer} (of the resource
 *       inside a Bundle), so a value cannot be moved to another field, array position, or resource.</li>
 * </ul>
 *
 * <h2>Blind indexes (opt-in)</h2>
 * For selectors given to {@link Builder#blindIndex}, the encrypted value also carries {@code c4jBi}, a truncated
 * HMAC-SHA-256 of the value's canonical text under a per-selector key derived from a {@link BlindIndexKey}. Equal
 * values give equal tokens, so a database can find "the patient with MRN X" ({@link #blindIndex}) without decrypting.
 * <b>Trade-off:</b> a blind index is deterministic, so it reveals which records share a value and how often each value
 * occurs (frequency analysis), and anyone holding the blind-index key can test guesses of low-entropy values (dates of
 * birth, short numbers) offline. Use it only for high-entropy identifiers that must be searchable (MRN, insurance
 * number), never for free text, names or dates; keep the key per tenant; shorter tokens ({@code tokenBytes}) add false
 * positives that blunt frequency analysis. Tokens cannot be re-keyed in place: changing the key means recomputing them
 * from plaintext.
 *
 * <p>Thread-safe. Failures to decrypt are the uniform {@link CiphertextException}.
 */
public final class PhiFieldEncryptor {
    /** The {@code meta.extension} URL under which the envelope header is stored. */
    public static final String HEADER_EXTENSION_URL = "https://coco4j.dev/fhir/StructureDefinition/envelope-header";
    /** Field name of the encrypted value in a marker object. */
    public static final String ENC = "c4jEnc";
    /** Field name of the blind-index token in a marker object. */
    public static final String BLIND = "c4jBi";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(JsonNodeFactory.withExactBigDecimals(true));
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final KeyEncryptionKey kek;
    private final Map<String, KeyEncryptionKey> keys;
    private final List<FieldSelector> fields;
    private final Map<FieldSelector, byte[]> blindKeys;
    private final int tokenBytes;
    private final AuditSink audit;
    private final Clock clock;

    private PhiFieldEncryptor(Builder b) {
        this.kek = b.kek;
        Map<String, KeyEncryptionKey> all = new HashMap<>();
        for (KeyEncryptionKey k : b.decryptionKeys) {
            all.put(k.id(), k);
        }
        all.put(kek.id(), kek);
        this.keys = Map.copyOf(all);
        LinkedHashSet<FieldSelector> f = new LinkedHashSet<>(b.fields);
        f.addAll(b.blind);
        this.fields = List.copyOf(f);
        Map<FieldSelector, byte[]> bk = new LinkedHashMap<>();
        for (FieldSelector s : b.blind) {
            bk.put(s, b.blindKey.fieldKey(s.text()));
        }
        this.blindKeys = bk;
        this.tokenBytes = b.tokenBytes;
        this.audit = b.audit;
        this.clock = b.clock;
    }

    /**
     * A builder; {@link Builder#kek} is required.
     *
     * @return a new builder with no fields, no blind index, no audit and the system UTC clock
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures a {@link PhiFieldEncryptor}. */
    public static final class Builder {
        private KeyEncryptionKey kek;
        private final List<KeyEncryptionKey> decryptionKeys = new ArrayList<>();
        private final List<FieldSelector> fields = new ArrayList<>();
        private final List<FieldSelector> blind = new ArrayList<>();
        private BlindIndexKey blindKey;
        private int tokenBytes = 16;
        private AuditSink audit = AuditSink.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        /**
         * The KEK that wraps each resource's data key. Required.
         *
         * @param kek the key-encryption key; not null, kept (not copied)
         * @return this builder
         */
        public Builder kek(KeyEncryptionKey kek) {
            this.kek = Objects.requireNonNull(kek, "kek");
            return this;
        }

        /**
         * Another KEK accepted for decryption (rotation).
         *
         * @param key an additional KEK, looked up by its id; not null; may be called repeatedly
         * @return this builder
         */
        public Builder decryptionKey(KeyEncryptionKey key) {
            decryptionKeys.add(Objects.requireNonNull(key, "key"));
            return this;
        }

        /**
         * Fields to encrypt (see {@link FieldSelector}).
         *
         * @param selectors selector texts, each a FHIRPath-like path or JSON Pointer; added to those already given
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if a selector is neither form
         */
        public Builder fields(String... selectors) {
            for (String s : selectors) {
                fields.add(FieldSelector.parse(s));
            }
            return this;
        }

        /**
         * Fields to encrypt (see {@link FieldSelector}).
         *
         * @param selectors selector texts, each a FHIRPath-like path or JSON Pointer; not null, added to those already
         *     given
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if a selector is neither form
         */
        public Builder fields(List<String> selectors) {
            return fields(selectors.toArray(String[]::new));
        }

        /**
         * Opt-in: also attach a blind-index token to these fields (which are encrypted too). Read the trade-off in the
         * class comment first.
         *
         * @param key the blind-index key
         * @param tokenBytes token length in bytes, 4..32 (default 16); shorter means more false positives
         * @param selectors the fields
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code tokenBytes} is outside 4..32 or a
         *     selector is neither form
         */
        public Builder blindIndex(BlindIndexKey key, int tokenBytes, List<String> selectors) {
            if (tokenBytes < 4 || tokenBytes > 32) {
                throw new ConfigurationException(Reason.CONFIGURATION, "blind-index tokens must be 4..32 bytes");
            }
            this.blindKey = Objects.requireNonNull(key, "key");
            this.tokenBytes = tokenBytes;
            for (String s : selectors) {
                blind.add(FieldSelector.parse(s));
            }
            return this;
        }

        /**
         * Where audit events go (data keys generated/unwrapped, failures); default none.
         *
         * @param sink the audit sink; not null
         * @return this builder
         */
        public Builder auditSink(AuditSink sink) {
            this.audit = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * The clock for audit timestamps.
         *
         * @param clock the clock; not null
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds it; {@link ConfigurationException} without a KEK. Without any field it can only decrypt
         * ({@link #encrypt(JsonNode)} then throws).
         *
         * @return a new immutable, thread-safe encryptor
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@link #kek} was not called
         */
        public PhiFieldEncryptor build() {
            if (kek == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "a key-encryption key is required");
            }
            return new PhiFieldEncryptor(this);
        }
    }

    /**
     * The configured selectors, encrypted ones and blind-indexed ones.
     *
     * @return an unmodifiable list of the selector texts, in the order configured
     */
    public List<String> fields() {
        return fields.stream().map(FieldSelector::text).toList();
    }

    // ------------------------------------------------------------------ encrypt

    /**
     * Encrypts the selected fields of a resource or Bundle; returns a new tree (the input is not changed).
     *
     * @param resource a FHIR resource or Bundle (an object with {@code resourceType}); not modified
     * @return a new tree with the selected values encrypted and the header extension added under {@code meta}
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if no fields are configured, the input is not a
     *     FHIR resource, or it is already encrypted
     */
    public ObjectNode encrypt(JsonNode resource) {
        if (fields.isEmpty()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "no fields to encrypt");
        }
        ObjectNode root = requireResource(resource).deepCopy();
        if (root.has("meta") && root.get("meta").has("extension")) {
            for (JsonNode e : root.get("meta").get("extension")) {
                if (HEADER_EXTENSION_URL.equals(e.path("url").asText())) {
                    throw new ConfigurationException(Reason.CONFIGURATION, "resource is already encrypted");
                }
            }
        }
        KeySession s = KeySession.create(kek, 0, context(root), audit, clock);
        long[] counter = {0};
        for (ObjectNode r : resources(root)) {
            encryptResource(s, r, counter);
        }
        ObjectNode meta = root.has("meta") && root.get("meta").isObject() ? (ObjectNode) root.get("meta")
                : root.putObject("meta");
        ArrayNode ext = meta.has("extension") && meta.get("extension").isArray() ? (ArrayNode) meta.get("extension")
                : meta.putArray("extension");
        ext.addObject().put("url", HEADER_EXTENSION_URL)
                .put("valueBase64Binary", Base64.getEncoder().encodeToString(s.header().encoded()));
        return root;
    }

    /**
     * Parses JSON text, encrypts, and returns JSON text.
     *
     * @param json the JSON text of a FHIR resource or Bundle; not null
     * @return compact JSON text of the encrypted resource
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the text is not JSON or as for {@link
     *     #encrypt(JsonNode)}
     */
    public String encrypt(String json) {
        return write(encrypt(read(json)));
    }

    private void encryptResource(KeySession s, ObjectNode r, long[] counter) {
        String type = r.path("resourceType").asText("");
        String id = r.path("id").asText("");
        List<JsonPointer> chosen = new ArrayList<>();
        Map<JsonPointer, FieldSelector> selectorOf = new HashMap<>();
        for (FieldSelector f : fields) {
            for (JsonPointer p : f.select(r)) {
                if (!selectorOf.containsKey(p)) {
                    chosen.add(p);
                    selectorOf.put(p, f);
                }
            }
        }
        for (JsonPointer p : chosen) {
            if (hasChosenAncestor(p, selectorOf)) {
                continue;
            }
            JsonNode value = r.at(p);
            if (isMarker(value)) {
                continue;
            }
            byte[] plain = bytes(value);
            ObjectNode marker = JSON.createObjectNode();
            marker.put(ENC, B64.encodeToString(s.sealRecord(counter[0]++, plain, aad(type, id, p))));
            byte[] bk = blindKeys.get(selectorOf.get(p));
            if (bk != null) {
                marker.put(BLIND, token(bk, value));
            }
            replace(r, p, marker);
        }
    }

    private static boolean hasChosenAncestor(JsonPointer p, Map<JsonPointer, FieldSelector> chosen) {
        for (JsonPointer a = p.head(); a != null && !a.matches(); a = a.head()) {
            if (chosen.containsKey(a)) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ decrypt

    /**
     * Decrypts every encrypted value of a resource or Bundle encrypted by this class (whatever selectors were used)
     * and removes the header extension; returns a new tree equal to the original.
     *
     * @param resource a resource or Bundle encrypted by this class; not modified
     * @return a new tree with every value decrypted and the header extension removed
     * @throws CiphertextException if the header, any value, or its binding to resource/path is not authentic
     */
    public ObjectNode decrypt(JsonNode resource) {
        ObjectNode root = requireResource(resource).deepCopy();
        ArrayNode ext = root.path("meta").path("extension") instanceof ArrayNode a ? a : null;
        int at = -1;
        if (ext != null) {
            for (int i = 0; i < ext.size(); i++) {
                if (HEADER_EXTENSION_URL.equals(ext.get(i).path("url").asText())) {
                    if (at >= 0) {
                        throw Failure.notAuthentic();
                    }
                    at = i;
                }
            }
        }
        if (at < 0) {
            throw Failure.notAuthentic();
        }
        byte[] headerBytes;
        try {
            headerBytes = Base64.getDecoder().decode(ext.get(at).path("valueBase64Binary").asText(""));
        } catch (IllegalArgumentException e) {
            throw Failure.notAuthentic(e);
        }
        EnvelopeHeader header = EnvelopeHeader.parse(headerBytes, 0, headerBytes.length);
        if (header.segmentSize() != 0 || header.length() != headerBytes.length) {
            throw Failure.notAuthentic();
        }
        KeySession s = KeySession.open(header, keys::get, audit, clock);
        if (!header.context().equals(context(root))) {
            KeySession.failed(audit, clock, header.kekId(), header.messageIdHex());
            throw Failure.notAuthentic();
        }
        ext.remove(at);
        ObjectNode meta = (ObjectNode) root.get("meta");
        if (ext.isEmpty()) {
            meta.remove("extension");
        }
        if (meta.isEmpty()) {
            root.remove("meta");
        }
        try {
            for (ObjectNode r : resources(root)) {
                decryptResource(s, r);
            }
        } catch (CiphertextException e) {
            KeySession.failed(audit, clock, header.kekId(), header.messageIdHex());
            throw e;
        }
        return root;
    }

    /**
     * Parses JSON text, decrypts, and returns JSON text.
     *
     * @param json the JSON text of an encrypted resource or Bundle; not null
     * @return compact JSON text of the decrypted resource
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the text is not JSON or not a FHIR resource
     * @throws CiphertextException with {@link Reason#CIPHERTEXT_INVALID} if anything encrypted is not authentic
     */
    public String decrypt(String json) {
        return write(decrypt(read(json)));
    }

    private void decryptResource(KeySession s, ObjectNode r) {
        String type = r.path("resourceType").asText("");
        String id = r.path("id").asText("");
        List<JsonPointer> markers = new ArrayList<>();
        findMarkers(r, JsonPointer.empty(), markers);
        for (JsonPointer p : markers) {
            JsonNode marker = r.at(p);
            byte[] body;
            try {
                body = B64D.decode(marker.get(ENC).asText());
            } catch (IllegalArgumentException e) {
                throw Failure.notAuthentic(e);
            }
            byte[] plain = s.openRecord(body, 0, body.length, aad(type, id, p));
            JsonNode value;
            try {
                value = JSON.readTree(plain);
            } catch (IOException e) {
                throw Failure.notAuthentic(e);
            }
            replace(r, p, value);
        }
    }

    private static void findMarkers(JsonNode node, JsonPointer at, List<JsonPointer> out) {
        if (isMarker(node)) {
            out.add(at);
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                if (!(at.matches() && e.getKey().equals("meta"))) {
                    findMarkers(e.getValue(), at.appendProperty(e.getKey()), out);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                findMarkers(node.get(i), at.appendIndex(i), out);
            }
        }
    }

    private static boolean isMarker(JsonNode n) {
        if (!n.isObject() || !n.has(ENC) || !n.get(ENC).isTextual()) {
            return false;
        }
        return n.size() == 1 || (n.size() == 2 && n.has(BLIND));
    }

    // ------------------------------------------------------------------ blind index

    /**
     * The blind-index token a field's value gets, for searching: compare it with stored {@code c4jBi} tokens.
     *
     * @param selector a selector configured with {@link Builder#blindIndex}
     * @param value the plaintext value (a string for {@code identifier.value})
     * @return the token as unpadded base64url of the first {@code tokenBytes} bytes of an HMAC-SHA-256
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code selector} has no blind index
     *     configured
     */
    public String blindIndex(String selector, JsonNode value) {
        byte[] k = blindKeys.get(FieldSelector.parse(selector));
        if (k == null) {
            throw new ConfigurationException(Reason.CONFIGURATION, "no blind index configured for " + selector);
        }
        return token(k, value);
    }

    private String token(byte[] key, JsonNode value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] canonical = value.isTextual() ? value.textValue().getBytes(StandardCharsets.UTF_8) : bytes(value);
            return B64.encodeToString(Arrays.copyOf(mac.doFinal(canonical), tokenBytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static ObjectNode requireResource(JsonNode n) {
        if (n == null || !n.isObject() || !n.path("resourceType").isTextual()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "not a FHIR resource (no resourceType)");
        }
        return (ObjectNode) n;
    }

    private static Map<String, String> context(ObjectNode root) {
        return Map.of("resourceType", root.path("resourceType").asText(""), "id", root.path("id").asText(""));
    }

    private static List<ObjectNode> resources(ObjectNode root) {
        if (!"Bundle".equals(root.path("resourceType").asText())) {
            return List.of(root);
        }
        List<ObjectNode> out = new ArrayList<>();
        for (JsonNode e : root.path("entry")) {
            if (e.path("resource") instanceof ObjectNode r && r.path("resourceType").isTextual()) {
                out.add(r);
            }
        }
        return out;
    }

    private static byte[] aad(String type, String id, JsonPointer p) {
        return ("coco4j-phi-v1\0" + type + "\0" + id + "\0" + p).getBytes(StandardCharsets.UTF_8);
    }

    private static void replace(ObjectNode r, JsonPointer p, JsonNode value) {
        JsonNode parent = r.at(p.head());
        JsonPointer last = p.last();
        if (parent instanceof ObjectNode o) {
            o.set(last.getMatchingProperty(), value);
        } else if (parent instanceof ArrayNode a) {
            a.set(last.getMatchingIndex(), value);
        } else {
            throw new IllegalStateException("no parent for " + p);
        }
    }

    private static byte[] bytes(JsonNode value) {
        try {
            return JSON.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Parses JSON text with exact decimals (so {@code 7.20} stays {@code 7.20}).
     *
     * @param json JSON text; not null
     * @return the parsed tree, decimals kept exact
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the text is not JSON
     */
    public static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "not JSON: " + e.getClass().getSimpleName());
        }
    }

    /**
     * Writes a tree as compact JSON text.
     *
     * @param node the tree to write; not null
     * @return compact JSON text without insignificant whitespace
     */
    public static String write(JsonNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Shows the KEK id and selectors; never key material. */
    @Override
    public String toString() {
        return "PhiFieldEncryptor[kekId=" + kek.id() + ", fields=" + fields() + "]";
    }
}
