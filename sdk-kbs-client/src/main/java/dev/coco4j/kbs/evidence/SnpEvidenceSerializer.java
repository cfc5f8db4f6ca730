package dev.coco4j.kbs.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/**
 * SEV-SNP evidence as Trustee's SNP verifier parses it: the {@code sev} crate's serde layout of the 1184-byte
 * attestation report plus the certificate chain from the GHCB certificate table.
 * <pre>{"attestation_report":{"version":3,"guest_svn":0,"policy":196608,"family_id":[16 numbers],...,
 *   "current_tcb":{"fmc":null,"bootloader":10,"tee":0,"snp":23,"microcode":25},...,
 *   "signature":{"r":[72 numbers],"s":[72 numbers]}},
 *  "cert_chain":[{"cert_type":"VCEK","data":[DER bytes as numbers]}]|null}</pre>
 * Byte arrays are JSON arrays of unsigned numbers in report order; integers are little-endian fields read as unsigned.
 * TCB versions decode as Milan/Genoa ({@code fmc} null; boot loader, TEE, SNP, microcode at bytes 0, 1, 6, 7) unless
 * the report's CPUID family is 1Ah (Turin: FMC, boot loader, TEE, SNP at bytes 0–3, microcode at 7). Version 5
 * reports add {@code launch_mit_vector} and {@code current_mit_vector}. Member order follows the crate's struct; the
 * fixture {@code trustee/evidence/snp-evidence.json} is reproduced byte for byte.
 *
 * <p>The evidence bytes are the report ({@link Evidence#data()}) and the GHCB certificate table
 * ({@link Evidence#auxiliary()}: 24-byte entries of GUID, offset, length, ending with an all-zero entry); without a
 * table {@code cert_chain} is {@code null} and the verifier fetches the VCEK itself.
 */
public final class SnpEvidenceSerializer implements EvidenceSerializer {
    /** Size of an SNP attestation report. */
    public static final int REPORT_SIZE = 0x4A0;
    private static final UUID VCEK = UUID.fromString("63da758d-e664-4564-adc5-f4b93be8accd");
    private static final UUID VLEK = UUID.fromString("a8074bc2-a25a-483e-aae6-39c045a0b8a1");
    private static final UUID ASK = UUID.fromString("4ab7b379-bbac-4fe4-a02f-05aef327c782");
    private static final UUID ARK = UUID.fromString("c0b406a4-a803-4952-9743-3fb6014cd0ae");
    private static final int MAX_ENTRIES = 64;

    /** Creates the serialiser. */
    public SnpEvidenceSerializer() {
    }

    @Override
    public TeeType tee() {
        return TeeType.SNP;
    }

    @Override
    public JsonNode primaryEvidence(Evidence evidence, RuntimeDataBinding binding) {
        if (evidence.tee() != TeeType.SNP) {
            throw malformed("not SNP evidence");
        }
        ObjectNode o = Json.object();
        o.set("attestation_report", report(evidence.data()));
        if (evidence.auxiliaryIfPresent().isPresent()) {
            o.set("cert_chain", certChain(evidence.auxiliary()));
        } else {
            o.putNull("cert_chain");
        }
        return o;
    }

    /**
     * The {@code attestation_report} member for raw report bytes.
     *
     * @param r the raw report, exactly {@value #REPORT_SIZE} bytes, version 2 to 5; not modified
     * @return a new JSON object in the {@code sev} crate's member order
     * @throws AttestationException with {@link Reason#MALFORMED_EVIDENCE} if the length or version is wrong
     */
    public static ObjectNode report(byte[] r) {
        if (r.length != REPORT_SIZE) {
            throw malformed("SNP report is " + r.length + " bytes, expected " + REPORT_SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(r).order(ByteOrder.LITTLE_ENDIAN);
        int version = b.getInt(0);
        if (version < 2 || version > 5) {
            throw malformed("SNP report version " + version + " is not 2..5");
        }
        boolean turin = (r[0x188] & 0xFF) == 0x1A;
        ObjectNode o = Json.object();
        o.put("version", u32(b, 0x00));
        o.put("guest_svn", u32(b, 0x04));
        o.put("policy", u64(b, 0x08));
        o.set("family_id", bytes(r, 0x10, 16));
        o.set("image_id", bytes(r, 0x20, 16));
        o.put("vmpl", u32(b, 0x30));
        o.put("sig_algo", u32(b, 0x34));
        o.set("current_tcb", tcb(r, 0x38, turin));
        o.put("plat_info", u64(b, 0x40));
        o.put("key_info", u32(b, 0x48));
        o.set("report_data", bytes(r, 0x50, 64));
        o.set("measurement", bytes(r, 0x90, 48));
        o.set("host_data", bytes(r, 0xC0, 32));
        o.set("id_key_digest", bytes(r, 0xE0, 48));
        o.set("author_key_digest", bytes(r, 0x110, 48));
        o.set("report_id", bytes(r, 0x140, 32));
        o.set("report_id_ma", bytes(r, 0x160, 32));
        o.set("reported_tcb", tcb(r, 0x180, turin));
        o.put("cpuid_fam_id", r[0x188] & 0xFF);
        o.put("cpuid_mod_id", r[0x189] & 0xFF);
        o.put("cpuid_step", r[0x18A] & 0xFF);
        o.set("chip_id", bytes(r, 0x1A0, 64));
        o.set("committed_tcb", tcb(r, 0x1E0, turin));
        o.set("current", firmware(r, 0x1E8));
        o.set("committed", firmware(r, 0x1EC));
        o.set("launch_tcb", tcb(r, 0x1F0, turin));
        if (version >= 5) {
            o.put("launch_mit_vector", u64(b, 0x1F8));
            o.put("current_mit_vector", u64(b, 0x200));
        }
        ObjectNode sig = o.putObject("signature");
        sig.set("r", bytes(r, 0x2A0, 72));
        sig.set("s", bytes(r, 0x2A0 + 72, 72));
        return o;
    }

    private static ArrayNode certChain(byte[] table) {
        ByteBuffer b = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
        ArrayNode out = Json.MAPPER.createArrayNode();
        int pos = 0;
        int count = 0;
        int[][] entries = new int[MAX_ENTRIES][];
        UUID[] guids = new UUID[MAX_ENTRIES];
        while (true) {
            if (pos + 24 > table.length) {
                throw malformed("SNP certificate table has no all-zero terminator entry");
            }
            long msb = ByteBuffer.wrap(table, pos, 8).getLong();
            long lsb = ByteBuffer.wrap(table, pos + 8, 8).getLong();
            long off = Integer.toUnsignedLong(b.getInt(pos + 16));
            long len = Integer.toUnsignedLong(b.getInt(pos + 20));
            pos += 24;
            if (msb == 0 && lsb == 0 && off == 0 && len == 0) {
                break;
            }
            if (count == MAX_ENTRIES) {
                throw malformed("SNP certificate table has more than " + MAX_ENTRIES + " entries");
            }
            if (off > table.length || len > table.length - off) {
                throw malformed("SNP certificate table entry points past the table");
            }
            guids[count] = new UUID(msb, lsb);
            entries[count++] = new int[] {(int) off, (int) len};
        }
        for (int i = 0; i < count; i++) {
            if (entries[i][0] < pos) {
                throw malformed("SNP certificate table entry points into the table header");
            }
            ObjectNode e = out.addObject();
            UUID g = guids[i];
            if (g.equals(VCEK)) {
                e.put("cert_type", "VCEK");
            } else if (g.equals(VLEK)) {
                e.put("cert_type", "VLEK");
            } else if (g.equals(ASK)) {
                e.put("cert_type", "ASK");
            } else if (g.equals(ARK)) {
                e.put("cert_type", "ARK");
            } else {
                e.putObject("cert_type").put("OTHER", g.toString());
            }
            e.set("data", bytes(table, entries[i][0], entries[i][1]));
        }
        return out;
    }

    private static ObjectNode tcb(byte[] r, int off, boolean turin) {
        ObjectNode t = Json.object();
        if (turin) {
            t.put("fmc", r[off] & 0xFF);
            t.put("bootloader", r[off + 1] & 0xFF);
            t.put("tee", r[off + 2] & 0xFF);
            t.put("snp", r[off + 3] & 0xFF);
        } else {
            t.putNull("fmc");
            t.put("bootloader", r[off] & 0xFF);
            t.put("tee", r[off + 1] & 0xFF);
            t.put("snp", r[off + 6] & 0xFF);
        }
        t.put("microcode", r[off + 7] & 0xFF);
        return t;
    }

    private static ObjectNode firmware(byte[] r, int off) {
        ObjectNode f = Json.object();
        f.put("major", r[off + 2] & 0xFF);
        f.put("minor", r[off + 1] & 0xFF);
        f.put("build", r[off] & 0xFF);
        return f;
    }

    private static long u32(ByteBuffer b, int off) {
        return Integer.toUnsignedLong(b.getInt(off));
    }

    private static BigInteger u64(ByteBuffer b, int off) {
        return new BigInteger(Long.toUnsignedString(b.getLong(off)));
    }

    private static ArrayNode bytes(byte[] r, int off, int len) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        for (int i = 0; i < len; i++) {
            a.add(r[off + i] & 0xFF);
        }
        return a;
    }

    private static AttestationException malformed(String detail) {
        return new AttestationException(Reason.MALFORMED_EVIDENCE, detail);
    }
}
