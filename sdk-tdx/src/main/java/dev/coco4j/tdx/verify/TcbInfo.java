package dev.coco4j.tdx.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Intel TCB Info for TDX (version 3, id "TDX"), parsed from the exact bytes of the {@code tcbInfo} member whose
 * signature was verified. Components must be exactly 16 per level. Immutable.
 *
 * @param id "TDX" (an "SGX" TCB Info is parsed but refused by the verifier)
 * @param version 3 for TDX
 * @param issueDate issue date
 * @param nextUpdate next update: the document expires then
 * @param fmspc 6 bytes
 * @param pceId 2 bytes
 * @param tcbType TCB type
 * @param tcbEvaluationDataNumber evaluation data number
 * @param tdxModule the legacy module identity (used when TEE_TCB_SVN[1] is 0), if present
 * @param tdxModuleIdentities module identities by major version
 * @param tcbLevels platform levels, in the document's (descending) order
 */
public record TcbInfo(String id, int version, Instant issueDate, Instant nextUpdate, byte[] fmspc, byte[] pceId,
                      int tcbType, int tcbEvaluationDataNumber, Optional<TdxModuleIdentity> tdxModule,
                      List<TdxModuleIdentity> tdxModuleIdentities, List<TcbLevel> tcbLevels) {

    /** Copies arrays and lists. */
    public TcbInfo {
        fmspc = fmspc.clone();
        pceId = pceId.clone();
        tdxModuleIdentities = List.copyOf(tdxModuleIdentities);
        tcbLevels = List.copyOf(tcbLevels);
    }

    /** {@return a copy of 6 bytes} */
    @Override
    public byte[] fmspc() {
        return fmspc.clone();
    }

    /** {@return a copy of 2 bytes} */
    @Override
    public byte[] pceId() {
        return pceId.clone();
    }

    /**
     * Parses the raw {@code tcbInfo} object bytes.
     *
     * @param rawTcbInfo the exact bytes of the {@code tcbInfo} JSON object (not the whole PCS response), not null; its
     *     signature is not checked here
     * @return the parsed TCB Info
     * @throws dev.coco4j.core.AttestationException COLLATERAL_INVALID if a field is missing or malformed
     */
    public static TcbInfo parse(byte[] rawTcbInfo) {
        String w = "tcbInfo";
        JsonNode n = Json.read(rawTcbInfo, w);
        String id = Json.text(n, "id", w);
        int version = Json.integer(n, "version", w);
        Optional<TdxModuleIdentity> module = Optional.empty();
        List<TdxModuleIdentity> identities = new ArrayList<>();
        if (n.has("tdxModule")) {
            module = Optional.of(moduleIdentity(n.get("tdxModule"), false));
        }
        if (n.has("tdxModuleIdentities")) {
            JsonNode arr = n.get("tdxModuleIdentities");
            if (!arr.isArray()) {
                throw Json.invalid("tcbInfo.tdxModuleIdentities is not an array");
            }
            for (JsonNode m : arr) {
                identities.add(moduleIdentity(m, true));
            }
        }
        JsonNode levels = Json.req(n, "tcbLevels", w);
        if (!levels.isArray() || levels.isEmpty()) {
            throw Json.invalid("tcbInfo.tcbLevels is not a non-empty array");
        }
        List<TcbLevel> out = new ArrayList<>();
        boolean tdx = "TDX".equals(id);
        for (JsonNode l : levels) {
            JsonNode tcb = Json.req(l, "tcb", "tcbInfo.tcbLevels[]");
            List<Integer> sgx = components(tcb, "sgxtcbcomponents");
            List<Integer> tdxc = tdx ? components(tcb, "tdxtcbcomponents") : List.of();
            out.add(new TcbLevel(sgx, Json.integer(tcb, "pcesvn", "tcb"), tdxc, Json.instant(l, "tcbDate", w),
                    TdxTcbStatus.fromCollateral(Json.text(l, "tcbStatus", w)), Json.advisories(l, w)));
        }
        return new TcbInfo(id, version, Json.instant(n, "issueDate", w), Json.instant(n, "nextUpdate", w),
                Json.hex(n, "fmspc", 6, w), Json.hex(n, "pceId", 2, w), n.has("tcbType") ? Json.integer(n, "tcbType", w)
                : 0, Json.integer(n, "tcbEvaluationDataNumber", w), module, identities, out);
    }

    private static List<Integer> components(JsonNode tcb, String name) {
        JsonNode arr = Json.req(tcb, name, "tcb");
        if (!arr.isArray() || arr.size() != 16) {
            throw Json.invalid("tcb." + name + " must hold exactly 16 components");
        }
        List<Integer> out = new ArrayList<>();
        for (JsonNode c : arr) {
            out.add(Json.integer(c, "svn", name + "[]"));
        }
        return out;
    }

    private static TdxModuleIdentity moduleIdentity(JsonNode m, boolean withLevels) {
        String w = withLevels ? "tdxModuleIdentities[]" : "tdxModule";
        return new TdxModuleIdentity(withLevels ? Json.text(m, "id", w) : "", Json.hex(m, "mrsigner", 48, w),
                Json.hex(m, "attributes", 8, w), Json.hex(m, "attributesMask", 8, w),
                withLevels ? Json.isvLevels(m, w) : List.of());
    }
}
