package dev.coco4j.testkit.internal;

import com.fasterxml.jackson.databind.JsonNode;
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
 * missing or out-of-range field is {@link Reason#MALFORMED_EVIDENCE}. This is the server direction only; the client
 * direction is sdk-kbs-client's {@code dev.coco4j.kbs.evidence.SnpEvidenceSerializer}, and the tests check that
 * decoding its output gives back the very evidence bytes.
 */
public final class SnpSerdeJson {
    private SnpSerdeJson() {
    }

    /**
     * Decodes {@code primary_evidence} into SNP {@link Evidence} (report bytes, and the certificate table as auxiliary
     * bytes when {@code cert_chain} is present).
     *
     * @param primary the {@code primary_evidence} node of a Trustee {@code snp} attestation, not null
     * @return the evidence, its report bytes re-encoded from the JSON fields
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
