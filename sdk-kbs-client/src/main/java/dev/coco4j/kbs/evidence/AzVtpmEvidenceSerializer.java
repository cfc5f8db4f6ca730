package dev.coco4j.kbs.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Azure vTPM evidence ({@code az-snp-vtpm}, {@code az-tdx-vtpm}) as Trustee's verifiers parse it (version 1):
 * <pre>{"version":1,"tpm_quote":{"signature":"hex","message":"hex","pcrs":["hex",...]},
 *  "hcl_report":"base64url","vcek":"base64url DER"}          (az-snp-vtpm)
 * {..., "td_quote":"base64url"} in place of "vcek"            (az-tdx-vtpm)</pre>
 * The evidence's {@link Evidence#data()} is this JSON document as sdk-azure's guest collector writes it. The
 * serialiser checks its shape (no other members, version 1, lower-case hex, base64url with padding as Trustee's
 * serde writes it) and re-emits it with the members in Trustee's order; the fixtures
 * {@code trustee/evidence/az-*-evidence-v1.json} are reproduced value for value. The quote's nonce is bound to the
 * runtime data by the attester (TPM2_Quote qualifying data = the runtime-data digest), not by this serialiser.
 */
public final class AzVtpmEvidenceSerializer implements EvidenceSerializer {
    private static final int MAX_PCRS = 64;
    private final TeeType tee;

    private AzVtpmEvidenceSerializer(TeeType tee) {
        this.tee = tee;
    }

    /**
     * The {@code az-snp-vtpm} serialiser.
     *
     * @return a new serialiser for {@link TeeType#AZ_SNP_VTPM} (proof member {@code vcek})
     */
    public static AzVtpmEvidenceSerializer snp() {
        return new AzVtpmEvidenceSerializer(TeeType.AZ_SNP_VTPM);
    }

    /**
     * The {@code az-tdx-vtpm} serialiser.
     *
     * @return a new serialiser for {@link TeeType#AZ_TDX_VTPM} (proof member {@code td_quote})
     */
    public static AzVtpmEvidenceSerializer tdx() {
        return new AzVtpmEvidenceSerializer(TeeType.AZ_TDX_VTPM);
    }

    @Override
    public TeeType tee() {
        return tee;
    }

    @Override
    public JsonNode primaryEvidence(Evidence evidence, RuntimeDataBinding binding) {
        if (evidence.tee() != tee) {
            throw malformed("not " + tee.id() + " evidence: " + evidence.tee().id());
        }
        JsonNode in;
        try {
            in = Json.parse(evidence.data(), tee.id() + " evidence");
        } catch (KeyReleaseException e) {
            throw malformed(e.getMessage());
        }
        String proof = tee == TeeType.AZ_TDX_VTPM ? "td_quote" : "vcek";
        if (!in.isObject()) {
            throw malformed(tee.id() + " evidence is not a JSON object");
        }
        only(in, Set.of("version", "tpm_quote", "hcl_report", proof));
        JsonNode version = in.get("version");
        if (version == null || !version.isIntegralNumber() || !version.canConvertToInt() || version.intValue() != 1) {
            throw new AttestationException(Reason.UNSUPPORTED_VERSION, tee.id() + " evidence version "
                    + (version == null ? "(missing)" : version.asText()) + " is not 1");
        }
        JsonNode q = in.get("tpm_quote");
        if (q == null || !q.isObject()) {
            throw malformed("\"tpm_quote\" is not an object");
        }
        only(q, Set.of("signature", "message", "pcrs"));
        JsonNode pcrs = q.get("pcrs");
        if (pcrs == null || !pcrs.isArray() || pcrs.size() > MAX_PCRS) {
            throw malformed("\"tpm_quote.pcrs\" is not an array of at most " + MAX_PCRS + " values");
        }

        ObjectNode out = Json.object();
        out.put("version", 1);
        ObjectNode oq = out.putObject("tpm_quote");
        oq.put("signature", hex(q.get("signature"), "tpm_quote.signature"));
        oq.put("message", hex(q.get("message"), "tpm_quote.message"));
        ArrayNode op = oq.putArray("pcrs");
        for (JsonNode p : pcrs) {
            op.add(hex(p, "tpm_quote.pcrs[]"));
        }
        out.put("hcl_report", base64Url(in.get("hcl_report"), "hcl_report"));
        out.put(proof, base64Url(in.get(proof), proof));
        return out;
    }

    private static void only(JsonNode o, Set<String> allowed) {
        List<String> names = new ArrayList<>();
        o.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            if (!allowed.contains(n)) {
                throw malformed("unexpected member \"" + n + "\"");
            }
        }
    }

    private static String hex(JsonNode n, String what) {
        if (n == null || !n.isTextual() || n.asText().isEmpty() || n.asText().length() % 2 != 0) {
            throw malformed("\"" + what + "\" is not a hex string");
        }
        try {
            return HexFormat.of().formatHex(HexFormat.of().parseHex(n.asText().toLowerCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw malformed("\"" + what + "\" is not a hex string");
        }
    }

    private static String base64Url(JsonNode n, String what) {
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw malformed("\"" + what + "\" is not a base64url string");
        }
        try {
            return Base64.getUrlEncoder().encodeToString(Base64.getUrlDecoder().decode(n.asText()));
        } catch (IllegalArgumentException e) {
            throw malformed("\"" + what + "\" is not a base64url string");
        }
    }

    private static AttestationException malformed(String detail) {
        return new AttestationException(Reason.MALFORMED_EVIDENCE, detail);
    }
}
