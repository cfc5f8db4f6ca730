package dev.coco4j.tdx;

import dev.coco4j.tdx.verify.TdxCollateral;
import java.time.Instant;

/** The PROVENANCE sets as (quote, collateral, verify-at) triples. */
public final class TdxSets {
    private TdxSets() {
    }

    /** A quote, its collateral and an instant inside its verify-at window. */
    public record Set(byte[] quote, TdxCollateral collateral, Instant at) {
    }

    static final String A_DIR = "phala-dcap-qvl/extracted_fmspcb0c06f000000_2025-06-19/";

    /** Set A: v4, UpToDate, verify-at 2025-06-20. */
    public static Set a() {
        return new Set(Vectors.bytes(Vectors.SET_A_QUOTE),
                TdxCollateral.fromBundleJson(Vectors.bytes("phala-dcap-qvl/collateral_fmspcb0c06f000000_2025-06-19.json")),
                Instant.parse("2025-06-20T00:00:00Z"));
    }

    /** Set B: v5 TDX 1.5, no matching TCB level, verify-at 2026-02-19. */
    public static Set b() {
        return new Set(Vectors.bytes(Vectors.SET_B_QUOTE),
                TdxCollateral.fromBundleJson(Vectors.bytes("phala-dcap-qvl/collateral_fmspc90c06f000000_2026-02-18.json")),
                Instant.parse("2026-02-19T00:00:00Z"));
    }

    /** Set C: go-tdx-guest SPR E4 quote with its 2023 collateral (PCS body form), verify-at 2023-07-01T01:00Z. */
    public static Set c() {
        String g = "google-go-tdx-guest/";
        return new Set(Vectors.bytes(Vectors.SET_C_QUOTE), TdxCollateral.fromPcs(
                Vectors.bytes(g + "tcbinfo_tdx_fmspc50806f000000_issued2023-06-18.json"),
                Vectors.bytes(g + "tcb_signing_chain_2018-2025.pem"),
                Vectors.bytes(g + "qeidentity_td_qe_issued2023-06-08.json"),
                Vectors.bytes(g + "tcb_signing_chain_2018-2025.pem"),
                Vectors.bytes(g + "pckcrl_platform_thisupdate2023-06-08.der"),
                Vectors.bytes(g + "pckcrl_issuer_chain_platform_ca.pem"),
                Vectors.bytes(g + "rootcacrl_thisupdate2023-04-03.der")), Instant.parse("2023-07-01T01:00:00Z"));
    }

    /** Set E: Trustee quote 6 with the assembled Oct-2025 collateral, verify-at 2025-11-01. */
    public static Set e() {
        return new Set(Vectors.bytes(Vectors.SET_E_QUOTE), TdxCollateral.fromPcs(
                Vectors.bytes("trustee/tcbinfo_tdx_fmspc00a06d080000_issued2025-10-27.json"),
                Vectors.bytes(A_DIR + "tcb_signing_chain.pem"),
                Vectors.bytes("trustee/qeidentity_td_qe_issued2025-10-28.json"),
                Vectors.bytes(A_DIR + "tcb_signing_chain.pem"),
                Vectors.bytes("automata-dcap-attestation/pckcrl_platform_thisupdate2025-10-13.der"),
                Vectors.bytes(A_DIR + "pckcrl_issuer_chain.pem"),
                Vectors.bytes(A_DIR + "rootcacrl.der")), Instant.parse("2025-11-01T00:00:00Z"));
    }
}
