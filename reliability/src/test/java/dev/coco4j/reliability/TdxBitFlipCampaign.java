package dev.coco4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.CocoException;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.verify.TdxCollateral;
import dev.coco4j.tdx.verify.TdxQuoteVerifier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Single-bit flips over every real TDX quote that has collateral in {@code vectors/tdx}: the signed region (header and
 * TD report body), then the quote signature, attestation key, certification data type and size, the QE report and the
 * QE report signature. Set A (UpToDate) and set E (OutOfDate) verify unmodified, so a flip must turn an acceptance into
 * a refusal; sets B and C (and the two other quotes of the same FMSPCs) are refused unmodified at the TCB-level step,
 * so for them the campaign also counts how many flips were caught earlier (a different reason). Zero may be accepted;
 * every refusal must be a typed {@link CocoException}. The CI form flips one bit in every fourth byte.
 */
class TdxBitFlipCampaign {
    static final String A = "phala-dcap-qvl/extracted_fmspcb0c06f000000_2025-06-19/";
    static final String G = "google-go-tdx-guest/";
    /** Quote signature 64, attestation key 64, certification data type 2 and size 4, QE report 384, its signature 64. */
    static final int SIGNATURE_DATA_CHECKED = 64 + 64 + 2 + 4 + 384 + 64;

    record Set(String name, String quote, Supplier<TdxCollateral> collateral, Instant at) {
    }

    static byte[] v(String path) {
        return Campaigns.vector("tdx/" + path);
    }

    static TdxCollateral setB() {
        return TdxCollateral.fromBundleJson(v("phala-dcap-qvl/collateral_fmspc90c06f000000_2026-02-18.json"));
    }

    static TdxCollateral setC() {
        return TdxCollateral.fromPcs(v(G + "tcbinfo_tdx_fmspc50806f000000_issued2023-06-18.json"),
                v(G + "tcb_signing_chain_2018-2025.pem"), v(G + "qeidentity_td_qe_issued2023-06-08.json"),
                v(G + "tcb_signing_chain_2018-2025.pem"), v(G + "pckcrl_platform_thisupdate2023-06-08.der"),
                v(G + "pckcrl_issuer_chain_platform_ca.pem"), v(G + "rootcacrl_thisupdate2023-04-03.der"));
    }

    static final List<Set> SETS = List.of(
            new Set("A (v4, UpToDate)", "phala-dcap-qvl/quote_v4_fmspcb0c06f000000_uptodate.dat",
                    () -> TdxCollateral.fromBundleJson(v("phala-dcap-qvl/collateral_fmspcb0c06f000000_2025-06-19.json")),
                    Instant.parse("2025-06-20T00:00:00Z")),
            new Set("E (v4, OutOfDate)", "trustee/quote_v4_fmspc00a06d080000_70byte_pad.dat",
                    () -> TdxCollateral.fromPcs(v("trustee/tcbinfo_tdx_fmspc00a06d080000_issued2025-10-27.json"),
                            v(A + "tcb_signing_chain.pem"), v("trustee/qeidentity_td_qe_issued2025-10-28.json"),
                            v(A + "tcb_signing_chain.pem"),
                            v("automata-dcap-attestation/pckcrl_platform_thisupdate2025-10-13.der"),
                            v(A + "pckcrl_issuer_chain.pem"), v(A + "rootcacrl.der")),
                    Instant.parse("2025-11-01T00:00:00Z")),
            new Set("B (v5, no matching TCB)", "phala-dcap-qvl/quote_v5_tdx15_fmspc90c06f000000_no_matching_tcb.dat",
                    TdxBitFlipCampaign::setB, Instant.parse("2026-02-19T00:00:00Z")),
            new Set("D (v5, go-tdx-guest, set B collateral)", G + "quote_v5_tdx15_fmspc90c06f000000.dat",
                    TdxBitFlipCampaign::setB, Instant.parse("2026-02-19T00:00:00Z")),
            new Set("trustee v5 (set B collateral)", "trustee/quote_v5_tdx15_fmspc90c06f000000.dat",
                    TdxBitFlipCampaign::setB, Instant.parse("2026-02-19T00:00:00Z")),
            new Set("C (v4, SPR E4)", G + "quote_v4_fmspc50806f000000_spr_e4.dat", TdxBitFlipCampaign::setC,
                    Instant.parse("2023-07-01T01:00:00Z")),
            new Set("trustee v4 (set C collateral)", "trustee/quote_v4_fmspc50806f000000.dat",
                    TdxBitFlipCampaign::setC, Instant.parse("2023-07-01T01:00:00Z")));

    @Test
    void noSingleBitFlipOfAnyRealQuoteIsAccepted() {
        long started = System.nanoTime();
        TdxQuoteVerifier verifier = TdxQuoteVerifier.builder().build();
        Campaigns.Tally reasons = new Campaigns.Tally();
        List<String> accepted = new ArrayList<>();
        List<String> untyped = new ArrayList<>();
        List<String> perSet = new ArrayList<>();
        long flips = 0;
        for (int s = 0; s < SETS.size(); s++) {
            Set set = SETS.get(s);
            byte[] quote = v(set.quote());
            TdxCollateral collateral = set.collateral().get();
            TdxQuote parsed = TdxQuote.parse(quote);
            String baseline;
            try {
                baseline = "accepted " + verifier.verify(parsed, collateral, set.at()).tcbStatus();
            } catch (CocoException e) {
                baseline = e.reason().name();
            }
            int signed = parsed.signedLength();
            int sigStart = signed + 4;
            int end = Math.min(quote.length, sigStart + SIGNATURE_DATA_CHECKED);
            long setFlips = 0;
            long earlier = 0;
            for (int i = 0; i < end; i++) {
                if (i >= signed && i < sigStart) {
                    continue; // the signature data length: its own bounds checks, not a signed field
                }
                int[] bits;
                if (Campaigns.full()) {
                    bits = new int[] {0, 1, 2, 3, 4, 5, 6, 7};
                } else if (i % 4 == s % 4) {
                    bits = new int[] {(i / 4 + s) % 8};
                } else {
                    continue;
                }
                for (int bit : bits) {
                    byte[] m = quote.clone();
                    m[i] ^= (byte) (1 << bit);
                    setFlips++;
                    try {
                        verifier.verify(TdxQuote.parse(m), collateral, set.at());
                        accepted.add(set.name() + " byte " + i + " bit " + bit);
                    } catch (CocoException e) {
                        reasons.add(e.reason().name());
                        if (!e.reason().name().equals(baseline)) {
                            earlier++;
                        }
                    } catch (RuntimeException e) {
                        untyped.add(set.name() + " byte " + i + " bit " + bit + ": " + e);
                    }
                }
            }
            flips += setFlips;
            perSet.add(set.name() + ": unmodified " + baseline + ", " + setFlips + " flips"
                    + (baseline.startsWith("accepted") ? "" : ", " + earlier + " caught before the TCB step"));
        }
        long ms = (System.nanoTime() - started) / 1_000_000;
        Campaigns.record("TDX quote bit flips", SETS.size() + " real quotes, " + flips + " single-bit flips over "
                + "header+body and signature/QE report; accepted " + accepted.size() + ", untyped " + untyped.size()
                + "; refusals: " + reasons + "; " + String.join("; ", perSet) + " (" + ms + " ms)");
        assertThat(accepted).as("accepted flips").isEmpty();
        assertThat(untyped).as("flips that escaped as untyped exceptions").isEmpty();
        assertThat(perSet.getFirst()).contains("accepted");
    }
}
