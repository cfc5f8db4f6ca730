package dev.coco4j.cli;

import dev.coco4j.core.internal.Hex;
import dev.coco4j.sev.abi.GuestPolicy;
import dev.coco4j.sev.abi.PlatformInfo;
import dev.coco4j.sev.abi.SignerInfo;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.abi.TcbVersion;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Every field of an SEV-SNP report, decoded, in ABI order; TCB values decoded only when the product is known. */
final class SnpReportFields {
    private SnpReportFields() {
    }

    /**
     * The report's fields.
     *
     * @param product the product to decode TCB values with, or null to show them raw only
     */
    static Fields of(SnpReport r, SnpProduct product) {
        Fields f = new Fields();
        f.add("version", r.version());
        f.add("product", product == null ? "unknown" : product.kdsName(), product == null ? null : product.kdsName());
        f.add("guest_svn", r.guestSvn());
        f.add("policy", policyText(r.policy()), policyJson(r.policy()));
        f.add("family_id", Hex.encode(r.familyId()));
        f.add("image_id", Hex.encode(r.imageId()));
        f.add("vmpl", r.vmpl());
        f.add("signature_algo", r.signatureAlgorithm() + (r.signatureAlgorithm() == 1 ? " (ECDSA P-384 SHA-384)"
                : " (unknown)"), r.signatureAlgorithm());
        tcb(f, "current_tcb", r.currentTcbRaw(), product);
        f.add("platform_info", platformText(r.platformInfo()), platformJson(r.platformInfo()));
        f.add("signer_info", signerText(r.signerInfo()), signerJson(r.signerInfo()));
        f.add("report_data", Hex.encode(r.reportData()));
        f.add("measurement", Hex.encode(r.measurement()));
        f.add("host_data", Hex.encode(r.hostData()));
        f.add("id_key_digest", Hex.encode(r.idKeyDigest()));
        f.add("author_key_digest", Hex.encode(r.authorKeyDigest()));
        f.add("report_id", Hex.encode(r.reportId()));
        f.add("report_id_ma", Hex.encode(r.reportIdMa()));
        tcb(f, "reported_tcb", r.reportedTcbRaw(), product);
        if (r.version() >= 3) {
            f.add("cpuid_fam_id", String.format(Locale.ROOT, "0x%02x", r.cpuidFamily()));
            f.add("cpuid_mod_id", String.format(Locale.ROOT, "0x%02x", r.cpuidModel()));
            f.add("cpuid_step", String.format(Locale.ROOT, "0x%02x", r.cpuidStepping()));
        }
        f.add("chip_id", Hex.encode(r.chipId()) + (r.chipIdMasked() ? " (masked)" : ""), Hex.encode(r.chipId()));
        tcb(f, "committed_tcb", r.committedTcbRaw(), product);
        f.add("current_firmware", r.currentFirmware().toString());
        f.add("committed_firmware", r.committedFirmware().toString());
        tcb(f, "launch_tcb", r.launchTcbRaw(), product);
        if (r.version() >= 5) {
            f.add("launch_mit_vector", String.format(Locale.ROOT, "0x%x", r.launchMitigationVector()));
            f.add("current_mit_vector", String.format(Locale.ROOT, "0x%x", r.currentMitigationVector()));
        }
        f.add("signature_r", Hex.encode(r.signatureR()));
        f.add("signature_s", Hex.encode(r.signatureS()));
        return f;
    }

    private static void tcb(Fields f, String name, long raw, SnpProduct product) {
        String hex = String.format(Locale.ROOT, "%016x", raw);
        if (product == null) {
            f.add(name, hex, Map.of("raw", hex));
            return;
        }
        TcbVersion t = TcbVersion.decode(raw, product);
        String text = hex + " (" + (t.hasFmc() ? "fmc=" + t.fmc() + " " : "") + "bl=" + t.bootLoader() + " tee="
                + t.tee() + " snp=" + t.snp() + " ucode=" + t.microcode() + ")";
        f.add(name, text, t.toMap());
    }

    private static List<String> policyFlags(GuestPolicy p) {
        return p.flagNames();
    }

    private static String policyText(GuestPolicy p) {
        return String.format(Locale.ROOT, "0x%x (abi %d.%d%s%s)", p.raw(), p.abiMajor(), p.abiMinor(),
                policyFlags(p).isEmpty() ? "" : ", " + String.join(", ", policyFlags(p)),
                (p.raw() & GuestPolicy.MBZ_MASK) != 0 ? ", reserved bits set" : "");
    }

    private static Map<String, Object> policyJson(GuestPolicy p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("raw", String.format(Locale.ROOT, "0x%x", p.raw()));
        m.put("abi_major", p.abiMajor());
        m.put("abi_minor", p.abiMinor());
        m.put("smt", p.smt());
        m.put("migrate_ma", p.migrateMa());
        m.put("debug", p.debug());
        m.put("single_socket", p.singleSocket());
        m.put("flags", policyFlags(p));
        return m;
    }

    private static List<String> platformFlags(PlatformInfo p) {
        return new ArrayList<>(p.flagNames());
    }

    private static String platformText(PlatformInfo p) {
        List<String> flags = platformFlags(p);
        if (p.unknownBits() != 0) {
            flags.add(String.format(Locale.ROOT, "unknown bits 0x%x", p.unknownBits()));
        }
        return String.format(Locale.ROOT, "0x%x", p.raw()) + (flags.isEmpty() ? "" : " (" + String.join(", ", flags)
                + ")");
    }

    private static Map<String, Object> platformJson(PlatformInfo p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("raw", String.format(Locale.ROOT, "0x%x", p.raw()));
        m.put("flags", platformFlags(p));
        return m;
    }

    private static String signerText(SignerInfo s) {
        return String.format(Locale.ROOT, "0x%x (signing_key %s, author_key_en %s, mask_chip_key %s)", s.raw(),
                s.signingKey().name().toLowerCase(Locale.ROOT), s.authorKeyEnabled(), s.maskChipKey());
    }

    private static Map<String, Object> signerJson(SignerInfo s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("raw", String.format(Locale.ROOT, "0x%x", s.raw()));
        m.put("signing_key", s.signingKey().name().toLowerCase(Locale.ROOT));
        m.put("author_key_en", s.authorKeyEnabled());
        m.put("mask_chip_key", s.maskChipKey());
        return m;
    }
}
