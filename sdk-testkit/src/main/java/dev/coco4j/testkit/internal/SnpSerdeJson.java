package dev.coco4j.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.sev.abi.FirmwareVersion;
import dev.coco4j.sev.abi.SignerInfo;
import dev.coco4j.sev.abi.SnpCertTable;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.abi.SnpReportBuilder;
import dev.coco4j.sev.abi.TcbVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The SNP {@code primary_evidence} of the Trustee protocol: {@code {"attestation_report": <the sev crate's serde JSON
 * of the 1184-byte report>, "cert_chain": [{"cert_type": "VCEK"|"VLEK"|"ASK"|"ARK", "data": [DER bytes]}] | null}}.
 * The report is rebuilt byte for byte through {@link SnpReportBuilder} (reserved fields zero, as firmware writes
 * them), so the signature is checked over exactly the bytes the guest's firmware signed. Decoding is strict: a
 * missing or out-of-range field is {@link Reason#MALFORMED_EVIDENCE}.
 */
public final class SnpSerdeJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SnpSerdeJson() {
    }

    /**
     * Decodes {@code primary_evidence} into SNP {@link Evidence} (report bytes, and the certificate table as auxiliary
     * bytes when {@code cert_chain} is present).
     *
     * @throws AttestationException with {@link Reason#MALFORMED_EVIDENCE} if the JSON does not describe a report
     */
    public static Evidence decode(JsonNode primary) {
        try {
            JsonNode r = required(primary, "attestation_report");
            int version = u32(r, "version");
            SnpReportBuilder b = SnpReport.builder(version);
            b.version(version)
                    .guestSvn(u32(r, "guest_svn"))
                    .policy(u64(r, "policy"))
                    .familyId(bytes(r, "family_id", 16))
                    .imageId(bytes(r, "image_id", 16))
                    .vmpl(u32(r, "vmpl"))
                    .signatureAlgorithm(u32(r, "sig_algo"))
                    .currentTcb(tcb(r, "current_tcb"))
                    .platformInfo(u64(r, "plat_info"))
                    .signerInfo(new SignerInfo(u32(r, "key_info")))
                    .reportData(bytes(r, "report_data", 64))
                    .measurement(bytes(r, "measurement", 48))
                    .hostData(bytes(r, "host_data", 32))
                    .idKeyDigest(bytes(r, "id_key_digest", 48))
                    .authorKeyDigest(bytes(r, "author_key_digest", 48))
                    .reportId(bytes(r, "report_id", 32))
                    .reportIdMa(bytes(r, "report_id_ma", 32))
                    .reportedTcb(tcb(r, "reported_tcb"))
                    .chipId(bytes(r, "chip_id", 64))
                    .committedTcb(tcb(r, "committed_tcb"))
                    .currentFirmware(firmware(r, "current"))
                    .committedFirmware(firmware(r, "committed"))
                    .launchTcb(tcb(r, "launch_tcb"));
            JsonNode fam = r.get("cpuid_fam_id");
            if (fam != null && !fam.isNull()) {
                b.cpuid(u8(r, "cpuid_fam_id"), u8(r, "cpuid_mod_id"), u8(r, "cpuid_step"));
            }
            if (r.hasNonNull("launch_mit_vector")) {
                b.launchMitigationVector(u64(r, "launch_mit_vector"));
            }
            if (r.hasNonNull("current_mit_vector")) {
                b.currentMitigationVector(u64(r, "current_mit_vector"));
            }
            JsonNode sig = required(r, "signature");
            b.signature(bytes(sig, "r", 72), bytes(sig, "s", 72));
            byte[] report = b.build().toBytes();

            JsonNode chain = primary.get("cert_chain");
            byte[] aux = null;
            if (chain != null && !chain.isNull()) {
                if (!chain.isArray()) {
                    throw malformed("cert_chain is not an array");
                }
                List<SnpCertTable.Entry> entries = new ArrayList<>();
                for (JsonNode e : chain) {
                    UUID guid = switch (required(e, "cert_type").asText().toUpperCase(Locale.ROOT)) {
                        case "VCEK" -> SnpCertTable.VCEK;
                        case "VLEK" -> SnpCertTable.VLEK;
                        case "ASK" -> SnpCertTable.ASK;
                        case "ARK" -> SnpCertTable.ARK;
                        default -> null; // OtherCert: ignored, as the verifier would ignore an unknown GUID
                    };
                    if (guid != null) {
                        entries.add(new SnpCertTable.Entry(guid, bytes(e, "data", -1)));
                    }
                }
                aux = entries.isEmpty() ? null : new SnpCertTable(entries).toBytes();
            }
            return new Evidence(TeeType.SNP, report, aux);
        } catch (AttestationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE,
                    "SNP evidence JSON does not describe a report: " + e.getMessage(), e);
        }
    }

    /** Encodes SNP {@link Evidence} as the sev crate serializes it, with {@code cert_chain} from the table (or null). */
    public static ObjectNode encode(Evidence evidence) {
        SnpReport rep = SnpReport.parse(evidence.data());
        boolean turin = rep.productFromCpuid().map(p -> p == SnpProduct.TURIN).orElse(false);
        ObjectNode r = F.objectNode();
        r.put("version", rep.version());
        r.put("guest_svn", rep.guestSvn());
        r.put("policy", rep.policy().raw());
        r.set("family_id", array(rep.familyId()));
        r.set("image_id", array(rep.imageId()));
        r.put("vmpl", rep.vmpl());
        r.put("sig_algo", rep.signatureAlgorithm());
        r.set("current_tcb", tcbNode(rep.currentTcbRaw(), turin));
        r.put("plat_info", rep.platformInfo().raw());
        r.put("key_info", rep.signerInfo().raw());
        r.set("report_data", array(rep.reportData()));
        r.set("measurement", array(rep.measurement()));
        r.set("host_data", array(rep.hostData()));
        r.set("id_key_digest", array(rep.idKeyDigest()));
        r.set("author_key_digest", array(rep.authorKeyDigest()));
        r.set("report_id", array(rep.reportId()));
        r.set("report_id_ma", array(rep.reportIdMa()));
        r.set("reported_tcb", tcbNode(rep.reportedTcbRaw(), turin));
        if (rep.version() >= 3) {
            r.put("cpuid_fam_id", rep.cpuidFamily());
            r.put("cpuid_mod_id", rep.cpuidModel());
            r.put("cpuid_step", rep.cpuidStepping());
        } else {
            r.putNull("cpuid_fam_id");
            r.putNull("cpuid_mod_id");
            r.putNull("cpuid_step");
        }
        r.set("chip_id", array(rep.chipId()));
        r.set("committed_tcb", tcbNode(rep.committedTcbRaw(), turin));
        r.set("current", fwNode(rep.currentFirmware()));
        r.set("committed", fwNode(rep.committedFirmware()));
        r.set("launch_tcb", tcbNode(rep.launchTcbRaw(), turin));
        if (rep.version() >= 5) {
            r.put("launch_mit_vector", rep.launchMitigationVector());
            r.put("current_mit_vector", rep.currentMitigationVector());
        }
        ObjectNode sig = F.objectNode();
        sig.set("r", array(rep.signatureR()));
        sig.set("s", array(rep.signatureS()));
        r.set("signature", sig);

        ObjectNode out = F.objectNode();
        out.set("attestation_report", r);
        if (evidence.auxiliaryIfPresent().isPresent()) {
            SnpCertTable table = SnpCertTable.parse(evidence.auxiliary());
            ArrayNode chain = F.arrayNode();
            for (SnpCertTable.Entry e : table.entries()) {
                String type = e.guid().equals(SnpCertTable.VCEK) ? "VCEK"
                        : e.guid().equals(SnpCertTable.VLEK) ? "VLEK"
                        : e.guid().equals(SnpCertTable.ASK) ? "ASK"
                        : e.guid().equals(SnpCertTable.ARK) ? "ARK" : null;
                if (type != null) {
                    chain.addObject().put("cert_type", type).set("data", array(e.data()));
                }
            }
            out.set("cert_chain", chain);
        } else {
            out.putNull("cert_chain");
        }
        return out;
    }

    private static ObjectNode tcbNode(long raw, boolean turin) {
        TcbVersion t = TcbVersion.decode(raw, turin ? SnpProduct.TURIN : SnpProduct.GENOA);
        ObjectNode n = F.objectNode();
        if (turin) {
            n.put("fmc", t.fmc());
        } else {
            n.putNull("fmc");
        }
        n.put("bootloader", t.bootLoader());
        n.put("tee", t.tee());
        n.put("snp", t.snp());
        n.put("microcode", t.microcode());
        return n;
    }

    private static ObjectNode fwNode(FirmwareVersion v) {
        return F.objectNode().put("major", v.major()).put("minor", v.minor()).put("build", v.build());
    }

    private static ArrayNode array(byte[] bytes) {
        ArrayNode a = F.arrayNode(bytes.length);
        for (byte x : bytes) {
            a.add(x & 0xff);
        }
        return a;
    }

    private static long tcb(JsonNode r, String name) {
        JsonNode t = required(r, name);
        JsonNode fmc = t.get("fmc");
        boolean turin = fmc != null && !fmc.isNull();
        return TcbVersion.of(turin ? SnpProduct.TURIN : SnpProduct.GENOA, u8(t, "bootloader"), u8(t, "tee"),
                u8(t, "snp"), u8(t, "microcode"), turin ? u8(t, "fmc") : 0).raw();
    }

    private static FirmwareVersion firmware(JsonNode r, String name) {
        JsonNode v = required(r, name);
        return new FirmwareVersion(u8(v, "major"), u8(v, "minor"), u8(v, "build"));
    }

    private static JsonNode required(JsonNode n, String name) {
        JsonNode v = n == null ? null : n.get(name);
        if (v == null || v.isNull()) {
            throw malformed("missing " + name);
        }
        return v;
    }

    private static long number(JsonNode n, String name, long max) {
        JsonNode v = required(n, name);
        if (!v.isIntegralNumber() || !v.canConvertToLong() && max != -1) {
            throw malformed(name + " is not an integer");
        }
        long x = v.asLong();
        if (max != -1 && (x < 0 || x > max)) {
            throw malformed(name + " is out of range");
        }
        return x;
    }

    private static int u8(JsonNode n, String name) {
        return (int) number(n, name, 0xff);
    }

    private static int u32(JsonNode n, String name) {
        return (int) number(n, name, 0xffff_ffffL);
    }

    private static long u64(JsonNode n, String name) {
        JsonNode v = required(n, name);
        if (!v.isIntegralNumber() || v.bigIntegerValue().signum() < 0 || v.bigIntegerValue().bitLength() > 64) {
            throw malformed(name + " is not a u64");
        }
        return v.bigIntegerValue().longValue();
    }

    private static byte[] bytes(JsonNode n, String name, int length) {
        JsonNode v = required(n, name);
        if (!v.isArray() || (length >= 0 && v.size() != length)) {
            throw malformed(name + " is not an array of " + (length >= 0 ? length + " " : "") + "bytes");
        }
        byte[] out = new byte[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode x = v.get(i);
            if (!x.isIntegralNumber() || x.asInt() < 0 || x.asInt() > 255) {
                throw malformed(name + "[" + i + "] is not a byte");
            }
            out[i] = (byte) x.asInt();
        }
        return out;
    }

    private static AttestationException malformed(String detail) {
        return new AttestationException(Reason.MALFORMED_EVIDENCE, "SNP evidence JSON: " + detail);
    }
}
