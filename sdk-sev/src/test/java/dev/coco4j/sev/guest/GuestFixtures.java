package dev.coco4j.sev.guest;

import dev.coco4j.core.ReportData;
import dev.coco4j.sev.Vectors;
import dev.coco4j.sev.abi.SnpCertTable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Shared test data for the guest tests: a real Genoa report and a certificate table built from real certs. */
final class GuestFixtures {
    private GuestFixtures() {
    }

    /** An unknown GUID whose entry must be kept. */
    static final UUID OTHER = UUID.fromString("0b5b4fdd-59ae-4d1b-8f9a-0b9d4c1f2e3a");

    /** The canned report (a real Genoa v5 report). */
    static byte[] cannedReport() {
        return Vectors.report("genoa/oak_genoa_v5_report.bin");
    }

    /** VCEK, ASK, ARK and an unknown entry. */
    static SnpCertTable certTable() {
        List<byte[]> roots = pemBlocks(new String(Vectors.bytes("roots/genoa_ask_ark_asvk.pem"),
                StandardCharsets.US_ASCII));
        return new SnpCertTable(List.of(
                new SnpCertTable.Entry(SnpCertTable.VCEK, Vectors.bytes("genoa/oak_genoa_v5_vcek.der")),
                new SnpCertTable.Entry(SnpCertTable.ASK, roots.get(0)),
                new SnpCertTable.Entry(SnpCertTable.ARK, roots.get(1)),
                new SnpCertTable.Entry(OTHER, "endorsement".getBytes(StandardCharsets.US_ASCII))));
    }

    /** The canned report with REPORT_DATA and VMPL replaced, as the fakes produce it. */
    static byte[] reportFor(ReportData reportData, int vmpl) {
        byte[] r = cannedReport();
        System.arraycopy(reportData.toByteArray(), 0, r, 0x50, 64);
        r[0x30] = (byte) vmpl;
        r[0x31] = 0;
        r[0x32] = 0;
        r[0x33] = 0;
        return r;
    }

    /** Report data 1, 2, ..., 64. */
    static ReportData nonce() {
        byte[] n = new byte[64];
        for (int i = 0; i < n.length; i++) {
            n[i] = (byte) (i + 1);
        }
        return ReportData.of(n);
    }

    private static List<byte[]> pemBlocks(String pem) {
        Matcher m = Pattern.compile("-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", Pattern.DOTALL)
                .matcher(pem);
        List<byte[]> out = new ArrayList<>();
        while (m.find()) {
            out.add(Base64.getMimeDecoder().decode(m.group(1)));
        }
        return out;
    }
}
