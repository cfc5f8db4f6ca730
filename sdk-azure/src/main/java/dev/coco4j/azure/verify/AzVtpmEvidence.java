package dev.coco4j.azure.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coco4j.azure.internal.StrictJson;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.azure.tpm.TpmQuote;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Azure vTPM evidence in Trustee's version-1 JSON form (what the {@code az-snp-vtpm} and {@code az-tdx-vtpm} attesters
 * send as primary evidence):
 * <pre>{"version":1,
 *  "tpm_quote":{"signature":"hex","message":"hex TPMS_ATTEST","pcrs":["hex",...]},
 *  "hcl_report":"base64url HCL report",
 *  "vcek":"base64url DER"          (az-snp-vtpm)
 *  "td_quote":"base64url TD quote" (az-tdx-vtpm)}</pre>
 * Base64url is written with padding (as Trustee does; unpadded input is accepted too); hex in lower case.
 * {@link #toJson()} writes the members in this order.
 *
 * @param tee           {@link TeeType#AZ_SNP_VTPM} or {@link TeeType#AZ_TDX_VTPM}
 * @param quote         the TPM quote
 * @param hclReport     the HCL report bytes
 * @param hardwareProof the VCEK DER (SNP) or the TD quote (TDX)
 */
public record AzVtpmEvidence(TeeType tee, TpmQuote quote, byte[] hclReport, byte[] hardwareProof) {
    /** The evidence format version this class reads and writes. */
    public static final int VERSION = 1;
    private static final int MAX_PCRS = 64;
    private static final ObjectMapper MAPPER = StrictJson.MAPPER;

    /** Checks the TEE and copies the arrays. */
    public AzVtpmEvidence {
        Objects.requireNonNull(tee, "tee");
        Objects.requireNonNull(quote, "quote");
        if (tee != TeeType.AZ_SNP_VTPM && tee != TeeType.AZ_TDX_VTPM) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "not Azure vTPM evidence: " + tee.id());
        }
        hclReport = hclReport.clone();
        hardwareProof = hardwareProof.clone();
    }

    /**
     * The name of the member holding {@link #hardwareProof()}: {@code vcek} or {@code td_quote}.
     *
     * @param tee the evidence TEE; {@link TeeType#AZ_TDX_VTPM} gives {@code td_quote}, anything else {@code vcek}
     * @return {@code "td_quote"} or {@code "vcek"}
     */
    public static String proofMember(TeeType tee) {
        return tee == TeeType.AZ_TDX_VTPM ? "td_quote" : "vcek";
    }

    /**
     * Reads evidence whose {@link Evidence#data()} is the JSON document.
     *
     * @param evidence evidence of TEE {@code az-snp-vtpm} or {@code az-tdx-vtpm}, not {@code null}
     * @return the parsed, unverified evidence, as {@link #parse(TeeType, byte[])} gives it
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} for another TEE or a malformed document;
     *                              {@link Reason#UNSUPPORTED_VERSION} for a version other than 1
     */
    public static AzVtpmEvidence of(Evidence evidence) {
        return parse(evidence.tee(), evidence.data());
    }

    /**
     * Parses the JSON document.
     *
     * @param tee  {@link TeeType#AZ_SNP_VTPM} (expects a {@code vcek} member) or {@link TeeType#AZ_TDX_VTPM}
     *             (expects {@code td_quote}); another TEE is refused with {@code MALFORMED_EVIDENCE}; not {@code null}
     * @param json the UTF-8 JSON document; not kept
     * @return the parsed evidence; nothing is verified yet (see {@link AzSnpVtpmVerifier} and
     *         {@link AzTdxVtpmVerifier})
     * @throws AttestationException {@code MALFORMED_EVIDENCE} for bad JSON, missing or extra members, bad encodings;
     *                              {@code UNSUPPORTED_VERSION} for a version other than 1
     */
    public static AzVtpmEvidence parse(TeeType tee, byte[] json) {
        Objects.requireNonNull(tee, "tee");
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (IOException e) {
            throw malformed("the " + tee.id() + " evidence is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw malformed("the " + tee.id() + " evidence is not a JSON object");
        }
        String proof = proofMember(tee);
        onlyMembers(root, "evidence", "version", "tpm_quote", "hcl_report", proof);
        JsonNode v = root.get("version");
        if (v == null || !v.isIntegralNumber()) {
            throw malformed("the evidence has no numeric \"version\"");
        }
        if (!v.canConvertToInt() || v.intValue() != VERSION) {
            throw new AttestationException(Reason.UNSUPPORTED_VERSION, "Azure vTPM evidence version " + v.asText()
                    + " is not supported (only " + VERSION + ")");
        }
        JsonNode q = root.get("tpm_quote");
        if (q == null || !q.isObject()) {
            throw malformed("the evidence has no \"tpm_quote\" object");
        }
        onlyMembers(q, "tpm_quote", "signature", "message", "pcrs");
        JsonNode pcrs = q.get("pcrs");
        if (pcrs == null || !pcrs.isArray() || pcrs.size() > MAX_PCRS) {
            throw malformed("\"tpm_quote.pcrs\" is not an array of at most " + MAX_PCRS + " values");
        }
        List<byte[]> values = new ArrayList<>();
        for (JsonNode p : pcrs) {
            values.add(hex(p, "tpm_quote.pcrs[]"));
        }
        TpmQuote quote = new TpmQuote(hex(q.get("message"), "tpm_quote.message"),
                hex(q.get("signature"), "tpm_quote.signature"), values);
        return new AzVtpmEvidence(tee, quote, b64(root.get("hcl_report"), "hcl_report"), b64(root.get(proof), proof));
    }

    /**
     * The JSON document (compact, members in Trustee's order).
     *
     * @return a new, mutable JSON tree of this evidence; changing it does not change this record
     */
    public ObjectNode toJsonNode() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("version", VERSION);
        ObjectNode q = o.putObject("tpm_quote");
        HexFormat hex = HexFormat.of();
        q.put("signature", hex.formatHex(quote.signature()));
        q.put("message", hex.formatHex(quote.message()));
        ArrayNode pcrs = q.putArray("pcrs");
        for (byte[] p : quote.pcrs()) {
            pcrs.add(hex.formatHex(p));
        }
        Base64.Encoder enc = Base64.getUrlEncoder();
        o.put("hcl_report", enc.encodeToString(hclReport));
        o.put(proofMember(tee), enc.encodeToString(hardwareProof));
        return o;
    }

    /**
     * {@link #toJsonNode()} as UTF-8 bytes.
     *
     * @return a new array with the compact JSON document that {@link #parse(TeeType, byte[])} reads back
     */
    public byte[] toJson() {
        try {
            return MAPPER.writeValueAsBytes(toJsonNode());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * This evidence as an {@link Evidence} whose data is {@link #toJson()}.
     *
     * @return new evidence with this record's TEE and JSON document
     */
    public Evidence toEvidence() {
        return Evidence.of(tee, toJson());
    }

    /**
     * Returns the HCL report bytes.
     *
     * @return a copy of the {@code hclReport} bytes (the record keeps its own)
     */
    @Override
    public byte[] hclReport() {
        return hclReport.clone();
    }

    /**
     * Returns the VCEK DER (az-snp-vtpm) or the TD quote (az-tdx-vtpm).
     *
     * @return a copy of the {@code hardwareProof} bytes (the record keeps its own)
     */
    @Override
    public byte[] hardwareProof() {
        return hardwareProof.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AzVtpmEvidence e && e.tee == tee && e.quote.equals(quote)
                && Arrays.equals(e.hclReport, hclReport) && Arrays.equals(e.hardwareProof, hardwareProof);
    }

    @Override
    public int hashCode() {
        return Objects.hash(tee, quote, Arrays.hashCode(hclReport), Arrays.hashCode(hardwareProof));
    }

    @Override
    public String toString() {
        return "AzVtpmEvidence[" + tee.id() + ", " + quote + ", hclReport=" + hclReport.length + " bytes, "
                + proofMember(tee) + "=" + hardwareProof.length + " bytes]";
    }

    private static void onlyMembers(JsonNode o, String what, String... allowed) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            if (!Arrays.asList(allowed).contains(n)) {
                throw malformed("unexpected member \"" + n + "\" in " + what);
            }
        }
    }

    private static byte[] hex(JsonNode n, String what) {
        if (n == null || !n.isTextual() || n.asText().length() % 2 != 0) {
            throw malformed("\"" + what + "\" is not a hex string");
        }
        try {
            return HexFormat.of().parseHex(n.asText());
        } catch (IllegalArgumentException e) {
            throw malformed("\"" + what + "\" is not a hex string");
        }
    }

    private static byte[] b64(JsonNode n, String what) {
        if (n == null || !n.isTextual()) {
            throw malformed("\"" + what + "\" is not a base64url string");
        }
        try {
            return Base64.getUrlDecoder().decode(n.asText());
        } catch (IllegalArgumentException e) {
            throw malformed("\"" + what + "\" is not a base64url string");
        }
    }

    private static AttestationException malformed(String detail) {
        return new AttestationException(Reason.MALFORMED_EVIDENCE, detail);
    }
}
