package dev.coco4j.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.ReportData.HashAlgorithm;
import dev.coco4j.kbs.internal.Json;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * How KBS protocol 0.4.0 binds the challenge nonce and the TEE public key into hardware evidence (Trustee
 * {@code rcar_client.rs get_composite_evidence}; the attestation service rebuilds the same JSON and compares):
 * <ol>
 *   <li>{@code H} = the challenge's {@code selected-hash-algorithm}, otherwise SHA-384
 *       ({@link Challenge#selectedHash()});
 *   <li>device runtime data = {@code {"nonce":N,"tee-pubkey":JWK}}; device digest =
 *       {@code H(JCS(device runtime data))}; each device attester fits it to its field (NVIDIA SPDM: the first 32
 *       bytes);
 *   <li>{@code additional-evidence} = the JSON text of {@code {"<device tee>": evidence, ...}}, or {@code ""};
 *   <li>primary runtime data = {@code {"tee-pubkey":JWK,"nonce":N,"additional-evidence":<that string>}} (the member
 *       is present even when empty); primary digest = {@code H(JCS(primary runtime data))};
 *   <li>the primary attester fits the digest to its report-data field: zero-padded or truncated
 *       ({@link #fit(byte[], int)}); SNP/TDX 64 bytes = the SHA-384 digest followed by 16 zero bytes.
 * </ol>
 * JCS is RFC 8785 ({@link JsonCanonicalizer}). The JWK tree must be the very one sent in {@code runtime-data}.
 * Immutable.
 *
 * @param hash the binding hash
 * @param nonce the challenge nonce, verbatim
 * @param teePubkey the public JWK tree
 * @param additionalEvidence the composite device evidence string ({@code ""} without devices)
 */
public record RuntimeDataBinding(HashAlgorithm hash, String nonce, JsonNode teePubkey, String additionalEvidence) {

    /** Validates and copies. */
    public RuntimeDataBinding {
        Objects.requireNonNull(hash, "hash");
        Objects.requireNonNull(nonce, "nonce");
        teePubkey = Objects.requireNonNull(teePubkey, "teePubkey").deepCopy();
        Objects.requireNonNull(additionalEvidence, "additionalEvidence");
    }

    /**
     * The binding for a challenge (its hash and nonce), a TEE key and the composite device evidence string.
     *
     * @param challenge the KBS challenge; supplies the nonce and the hash ({@link Challenge#selectedHash()})
     * @param teePubkey the public JWK tree sent in {@code runtime-data}; not null, copied
     * @param additionalEvidence the composite device evidence string from {@link #compositeAdditionalEvidence(Map)},
     *     {@code ""} without devices; not null
     * @return the binding
     * @throws dev.coco4j.core.KeyReleaseException with {@code MALFORMED_EVIDENCE} if the challenge selects a malformed
     *     or unsupported hash
     */
    public static RuntimeDataBinding of(Challenge challenge, JsonNode teePubkey, String additionalEvidence) {
        return new RuntimeDataBinding(challenge.selectedHash(), challenge.nonce(), teePubkey, additionalEvidence);
    }

    /** {@return a copy of the public JWK tree} */
    @Override
    public JsonNode teePubkey() {
        return teePubkey.deepCopy();
    }

    /**
     * {@code {"nonce","tee-pubkey"}}: what device attesters bind.
     *
     * @return a new JSON object with the nonce and a copy of the JWK
     */
    public ObjectNode deviceRuntimeData() {
        ObjectNode o = Json.object();
        o.put("nonce", nonce);
        o.set("tee-pubkey", teePubkey.deepCopy());
        return o;
    }

    /**
     * {@code {"tee-pubkey","nonce","additional-evidence"}}: what the primary attester binds.
     *
     * @return a new JSON object with a copy of the JWK, the nonce and the additional-evidence string
     */
    public ObjectNode primaryRuntimeData() {
        ObjectNode o = Json.object();
        o.set("tee-pubkey", teePubkey.deepCopy());
        o.put("nonce", nonce);
        o.put("additional-evidence", additionalEvidence);
        return o;
    }

    /**
     * JCS bytes of {@link #deviceRuntimeData()}.
     *
     * @return a new array with the RFC 8785 canonical UTF-8 bytes
     */
    public byte[] deviceCanonicalJson() {
        return JsonCanonicalizer.canonicalize(deviceRuntimeData());
    }

    /**
     * JCS bytes of {@link #primaryRuntimeData()}.
     *
     * @return a new array with the RFC 8785 canonical UTF-8 bytes
     */
    public byte[] primaryCanonicalJson() {
        return JsonCanonicalizer.canonicalize(primaryRuntimeData());
    }

    /**
     * {@code H(JCS(device runtime data))}.
     *
     * @return a new array holding the digest (32, 48 or 64 bytes by hash)
     */
    public byte[] deviceDigest() {
        return hash.digest(deviceCanonicalJson());
    }

    /**
     * {@code H(JCS(primary runtime data))}.
     *
     * @return a new array holding the digest (32, 48 or 64 bytes by hash)
     */
    public byte[] primaryDigest() {
        return hash.digest(primaryCanonicalJson());
    }

    /**
     * The primary digest fitted to the 64-byte SNP/TDX report-data field.
     *
     * @return the report data: the primary digest zero-padded or truncated to {@link ReportData#LENGTH} bytes
     */
    public ReportData reportData() {
        return ReportData.of(fit(primaryDigest(), ReportData.LENGTH));
    }

    /**
     * Trustee's {@code regularize_data}: zero-pad on the right or truncate to {@code length} bytes.
     *
     * @param digest the digest; not null, not modified
     * @param length the target length in bytes; not negative
     * @return a new array of {@code length} bytes
     */
    public static byte[] fit(byte[] digest, int length) {
        return Arrays.copyOf(digest, length);
    }

    /**
     * The {@code additional_evidence} string for a map of device TEE names ({@link KbsTee}) to their evidence JSON:
     * the compact JSON text of the map in iteration order, or {@code ""} for an empty map.
     *
     * @param devices the device TEE names and their evidence; not null, may be empty; the trees are copied
     * @return the JSON text, or {@code ""} for an empty map
     */
    public static String compositeAdditionalEvidence(Map<String, ? extends JsonNode> devices) {
        if (devices.isEmpty()) {
            return "";
        }
        ObjectNode o = Json.object();
        devices.forEach((k, v) -> o.set(Objects.requireNonNull(k), v.deepCopy()));
        return Json.write(o);
    }
}
