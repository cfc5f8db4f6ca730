package dev.coco4j.cli;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.tdx.abi.QuoteSignatureData;
import dev.coco4j.tdx.abi.SgxReportBody;
import dev.coco4j.tdx.abi.TdReportBody;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.verify.PckCertificate;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

/** Every field of a TDX quote, for {@code show tdx}. Parsing only: nothing here is verified. */
final class TdxQuoteFields {
    private static final HexFormat H = HexFormat.of();

    private TdxQuoteFields() {
    }

    static Fields of(TdxQuote q) {
        Fields f = new Fields();
        f.add("version", q.version());
        f.add("body_type", q.bodyType() + (q.bodyType() == 3 ? " (TDX 1.5)" : " (TDX 1.0)"), q.bodyType());
        f.add("attestation_key_type", q.attestationKeyType());
        f.add("tee_type", String.format("0x%x", q.teeType()), q.teeType());
        f.add("qe_vendor_id", H.formatHex(q.qeVendorId()));
        f.add("user_data", H.formatHex(q.userData()));
        TdReportBody b = q.body();
        f.add("tee_tcb_svn", H.formatHex(b.teeTcbSvn()));
        f.add("mr_seam", H.formatHex(b.mrSeam()));
        f.add("mr_signer_seam", H.formatHex(b.mrSignerSeam()));
        f.add("seam_attributes", H.formatHex(b.seamAttributes()));
        f.add("td_attributes", H.formatHex(b.tdAttributes()));
        f.add("debug", b.debug());
        f.add("xfam", H.formatHex(b.xfam()));
        f.add("mr_td", H.formatHex(b.mrTd()));
        f.add("mr_config_id", H.formatHex(b.mrConfigId()));
        f.add("mr_owner", H.formatHex(b.mrOwner()));
        f.add("mr_owner_config", H.formatHex(b.mrOwnerConfig()));
        for (int i = 0; i < 4; i++) {
            f.add("rtmr" + i, H.formatHex(b.rtmr(i)));
        }
        f.add("report_data", H.formatHex(b.reportData()));
        if (b.isTdx15()) {
            f.add("tee_tcb_svn2", H.formatHex(b.teeTcbSvn2()));
            f.add("mr_service_td", H.formatHex(b.mrServiceTd()));
        }
        QuoteSignatureData sd = q.signatureData();
        f.add("signature_data_length", q.signatureDataLength());
        f.add("trailing_bytes", q.trailingBytes());
        f.add("quote_signature", H.formatHex(sd.quoteSignature()));
        f.add("attestation_key", H.formatHex(sd.attestationKey()));
        SgxReportBody qe = sd.qeReport();
        f.add("qe_cpu_svn", H.formatHex(qe.cpuSvn()));
        f.add("qe_misc_select", String.format("0x%08x", qe.miscSelect()), qe.miscSelect());
        f.add("qe_attributes", H.formatHex(qe.attributes()));
        f.add("qe_mr_enclave", H.formatHex(qe.mrEnclave()));
        f.add("qe_mr_signer", H.formatHex(qe.mrSigner()));
        f.add("qe_isv_prod_id", qe.isvProdId());
        f.add("qe_isv_svn", qe.isvSvn());
        f.add("qe_report_data", H.formatHex(qe.reportData()));
        f.add("qe_report_signature", H.formatHex(sd.qeReportSignature()));
        f.add("qe_auth_data", H.formatHex(sd.qeAuthData()));
        pck(f, sd.pckChainPem());
        return f;
    }

    private static void pck(Fields f, byte[] pem) {
        List<X509Certificate> chain;
        try {
            chain = Certificates.parseAll(pem);
        } catch (CocoException e) {
            f.add("pck_chain", "unparseable", null);
            return;
        }
        f.add("pck_chain_length", chain.size());
        for (int i = 0; i < chain.size(); i++) {
            f.add("pck_chain_" + i, chain.get(i).getSubjectX500Principal().getName());
        }
        try {
            PckCertificate p = PckCertificate.of(chain.getFirst(), PckCertificate.CaType.PLATFORM);
            f.add("fmspc", H.formatHex(p.fmspc()));
            f.add("pce_id", H.formatHex(p.pceId()));
            f.add("pce_svn", p.pceSvn());
            f.add("pck_component_svns", p.componentSvns().toString(), p.componentSvns());
            f.add("ppid", H.formatHex(p.ppid()));
        } catch (CocoException e) {
            f.add("pck_sgx_extension", "unparseable: " + Failures.oneLine(e.detail()), null);
        }
    }
}
