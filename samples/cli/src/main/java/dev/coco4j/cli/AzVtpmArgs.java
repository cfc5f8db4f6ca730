package dev.coco4j.cli;

import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.PcrSelection;
import dev.coco4j.azure.tpm.TpmsAttest;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.TeeType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Shared input and output of the {@code az-snp-vtpm} / {@code az-tdx-vtpm} commands. */
final class AzVtpmArgs {
    private AzVtpmArgs() {
    }

    /** Reads the Trustee-format evidence JSON. */
    static AzVtpmEvidence evidence(TeeType tee, Path file) {
        return AzVtpmEvidence.parse(tee, InputFiles.read("--evidence", file));
    }

    /** The fields {@code show} prints for the vTPM parts (HCL report and TPM quote), not verified. */
    static Fields vtpmFields(AzVtpmEvidence ev, HclReport hcl, TpmsAttest attest) {
        HexFormat h = HexFormat.of();
        Fields f = new Fields();
        f.add("hcl_version", hcl.version());
        f.add("hcl_report_type", hcl.reportType().name().toLowerCase(java.util.Locale.ROOT));
        f.add("hcl_hash_type", hcl.hashType().name().toLowerCase(java.util.Locale.ROOT));
        f.add("hcl_variable_data_digest", h.formatHex(hcl.variableDataDigest()));
        f.add("ak_type", hcl.runtimeClaims().attestationKey().getAlgorithm());
        f.add("vm_configuration", hcl.runtimeClaims().vmConfiguration().toString(),
                hcl.runtimeClaims().vmConfiguration());
        hcl.runtimeClaims().userData().ifPresent(u -> f.add("user_data", u));
        f.add("quote_nonce", h.formatHex(attest.extraData()));
        List<String> sel = new ArrayList<>();
        for (PcrSelection s : attest.pcrSelections()) {
            sel.add("0x" + Integer.toHexString(s.hashAlg()) + ":" + s.indices());
        }
        f.add("quote_pcr_selection", String.join(" ", sel), sel);
        f.add("quote_pcr_digest", h.formatHex(attest.pcrDigest()));
        f.add("quote_clock_ms", attest.clock());
        f.add("quote_firmware_version", String.format("0x%016x", attest.firmwareVersion()));
        List<String> pcrs = new ArrayList<>();
        for (byte[] p : ev.quote().pcrs()) {
            pcrs.add(h.formatHex(p));
        }
        f.add("pcrs", pcrs.size() + " values", pcrs);
        return f;
    }

    /** The human summary of an accepted verification. */
    static void printAccepted(PrintWriter out, AttestationResult r, String what) {
        Map<String, Object> c = r.claims();
        out.println("OK: " + what + " verified (HCL report, TPM quote, PCR digest)");
        Fields f = new Fields();
        f.add("nonce", c.get("nonce"));
        if (c.get("pcrs") instanceof Map<?, ?> pcrs) {
            for (var e : pcrs.entrySet()) {
                f.add("pcr " + e.getKey(), e.getValue());
            }
        }
        if (c.get("hcl") instanceof Map<?, ?> hcl) {
            f.add("vm_configuration", String.valueOf(hcl.get("vm-configuration")));
            if (hcl.get("user-data") != null) {
                f.add("user_data", hcl.get("user-data"));
            }
        }
        for (String tee : List.of("snp", "tdx")) {
            if (c.get(tee) instanceof Map<?, ?> hw) {
                for (String k : List.of("measurement", "report_data", "chip_id", "tcb", "mr_td", "tcb_status",
                        "fmspc")) {
                    if (hw.containsKey(k)) {
                        f.add(tee + "." + k, hw.get(k));
                    }
                }
            }
        }
        f.add("verified_at", r.verifiedAt());
        f.printAligned(out, "  ");
        for (String w : r.warnings()) {
            out.println("warning: " + w);
        }
    }
}
