package dev.coco4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.azure.tpm.TpmsAttest;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.sev.abi.SnpCertTable;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.tdx.abi.TdxQuote;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;

/**
 * Lays collected {@link Evidence} out as the files the other commands read: SNP → {@code report.bin} and, from the
 * host's certificate table, {@code vcek.der} (or {@code vlek.der}), {@code ask.pem}, {@code ark.pem}; TDX →
 * {@code quote.dat}; Azure vTPM → {@code evidence.json} (Trustee's version-1 form); sample → {@code evidence.json}
 * (Trustee's sample form); always {@code report-data.hex}. The evidence is parsed and its report data checked against
 * the one asked for before anything is written; then all files are written all-or-nothing.
 */
final class EvidenceFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private EvidenceFiles() {
    }

    /**
     * What was written.
     *
     * @param tee the TEE of the evidence
     * @param files the paths written, in order
     * @param notes lines for a person: what each file is and how to verify it
     */
    record Written(TeeType tee, List<Path> files, List<String> notes) {
        Written {
            files = List.copyOf(files);
            notes = List.copyOf(notes);
        }
    }

    /**
     * Checks the evidence and writes its files into {@code dir}.
     *
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the evidence is not well-formed,
     *     {@link Reason#REPORT_DATA_MISMATCH} if it binds other report data than {@code reportData}
     * @throws ConfigurationException if the TEE has no file layout or the files cannot be written
     */
    static Written write(Path dir, Evidence evidence, ReportData reportData) {
        SequencedMap<String, byte[]> files = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        switch (evidence.tee()) {
            case SNP -> snp(dir, evidence, reportData, files, notes);
            case TDX -> tdx(dir, evidence, reportData, files, notes);
            case AZ_SNP_VTPM, AZ_TDX_VTPM -> azure(dir, evidence, files, notes);
            case SAMPLE -> sample(evidence, reportData, files, notes);
            default -> throw new ConfigurationException(Reason.CONFIGURATION, "no file layout for "
                    + evidence.tee().id() + " evidence");
        }
        files.put("report-data.hex", (reportData.toHex() + "\n").getBytes(StandardCharsets.US_ASCII));
        List<Path> written = OutputFiles.allAtomically(dir, files);
        return new Written(evidence.tee(), written, notes);
    }

    private static void snp(Path dir, Evidence ev, ReportData rd, SequencedMap<String, byte[]> files,
                            List<String> notes) {
        byte[] bytes = ev.data();
        SnpReport report = SnpReport.parse(bytes);
        requireBinds(rd, report.reportData(), "SEV-SNP report");
        SnpCertTable table = SnpCertTable.parse(ev.auxiliary());
        files.put("report.bin", bytes);
        notes.add("report.bin: SEV-SNP attestation report v" + report.version() + " (" + bytes.length + " bytes)");
        Optional<byte[]> vcek = table.find(SnpCertTable.VCEK);
        Optional<byte[]> vlek = table.find(SnpCertTable.VLEK);
        String vek = null;
        if (vcek.isPresent()) {
            vek = "vcek.der";
            files.put(vek, der(vcek.get()));
        } else if (vlek.isPresent()) {
            vek = "vlek.der";
            files.put(vek, der(vlek.get()));
        }
        table.find(SnpCertTable.ASK).ifPresent(c -> files.put("ask.pem", pem(c)));
        table.find(SnpCertTable.ARK).ifPresent(c -> files.put("ark.pem", pem(c)));
        if (vek == null) {
            notes.add("the host supplied no endorsement key certificate: verify online (the VCEK is fetched from AMD"
                    + " KDS) with: coco4j verify snp --report " + dir.resolve("report.bin"));
        } else {
            notes.add(vek + ", ask.pem, ark.pem: certificates from the host's table (as supplied; verification uses "
                    + "AMD's pinned roots unless --ask/--ark are given)");
            notes.add("verify with: coco4j verify snp --report " + dir.resolve("report.bin") + " --vcek "
                    + dir.resolve(vek) + " --report-data " + rd.toHex());
        }
    }

    private static void tdx(Path dir, Evidence ev, ReportData rd, SequencedMap<String, byte[]> files,
                            List<String> notes) {
        byte[] bytes = ev.data();
        TdxQuote quote = TdxQuote.parse(bytes);
        requireBinds(rd, quote.body().reportData(), "TDX quote");
        files.put("quote.dat", bytes);
        notes.add("quote.dat: TDX quote v" + quote.version() + " (" + bytes.length + " bytes)");
        notes.add("verify with: coco4j verify tdx --quote " + dir.resolve("quote.dat") + " --report-data "
                + rd.toHex());
    }

    private static void azure(Path dir, Evidence ev, SequencedMap<String, byte[]> files, List<String> notes) {
        AzVtpmEvidence parsed = AzVtpmEvidence.of(ev);
        byte[] nonce = TpmsAttest.parse(parsed.quote().message()).extraData();
        files.put("evidence.json", ev.data());
        notes.add("evidence.json: " + ev.tee().id() + " evidence (Trustee version-1 JSON: TPM quote, HCL report, "
                + AzVtpmEvidence.proofMember(ev.tee()) + ")");
        notes.add("verify with: coco4j verify " + ev.tee().id() + " --evidence " + dir.resolve("evidence.json")
                + " --nonce " + HexFormat.of().formatHex(nonce));
    }

    private static void sample(Evidence ev, ReportData rd, SequencedMap<String, byte[]> files, List<String> notes) {
        byte[] data = ev.data();
        if (data.length != ReportData.LENGTH) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "sample evidence is the 64 report-data bytes, "
                    + "got " + data.length);
        }
        requireBinds(rd, data, "sample evidence");
        ObjectNode o = MAPPER.createObjectNode();
        o.put("svn", "1");
        o.put("report_data", Base64.getEncoder().encodeToString(data));
        files.put("evidence.json", (o.toString() + "\n").getBytes(StandardCharsets.UTF_8));
        notes.add("evidence.json: Trustee's sample evidence (NON-SECURE, test only: signed by nothing, proves "
                + "nothing)");
    }

    private static void requireBinds(ReportData expected, byte[] actual, String what) {
        if (!expected.matches(actual)) {
            throw new AttestationException(Reason.REPORT_DATA_MISMATCH, "the " + what + " carries report data "
                    + HexFormat.of().formatHex(actual) + ", not the " + expected.toHex() + " asked for");
        }
    }

    /** The certificate re-encoded in DER, after checking that it parses. */
    private static byte[] der(byte[] cert) {
        try {
            return Certificates.parse(cert).getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "certificate table entry is not an X.509 "
                    + "certificate");
        }
    }

    private static byte[] pem(byte[] cert) {
        return Certificates.toPem(Certificates.parse(cert)).getBytes(StandardCharsets.US_ASCII);
    }
}
