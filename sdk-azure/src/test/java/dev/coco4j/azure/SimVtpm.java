package dev.coco4j.azure;

import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.sim.SimulatedAzVtpm;
import dev.coco4j.azure.tpm.TpmQuote;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;

/** Test helper: simulated HCL reports and TPM quotes in the Azure vTPM layouts (delegates to {@link SimulatedAzVtpm}). */
public final class SimVtpm {
    private SimVtpm() {
    }

    /** Runtime claims JSON with the AK as HCLAkPub. */
    public static byte[] claims(PublicKey ak, byte[] userData) {
        return SimulatedAzVtpm.runtimeClaims(ak, userData);
    }

    /** An HCL report (SHA-256 binding) around a hardware report and variable data. */
    public static byte[] hcl(HclReport.ReportType type, byte[] hwReport, byte[] varData, int padTo) {
        return SimulatedAzVtpm.hclReport(type, hwReport, varData, padTo);
    }

    /** A TPMS_ATTEST quote message over the SHA-256 bank PCRs 0..pcrs-1. */
    public static byte[] attest(byte[] nonce, List<byte[]> pcrs) {
        return SimulatedAzVtpm.quoteMessage(nonce, pcrs);
    }

    /** A quote over PCRs 0..n-1 with deterministic values, signed by the AK (RSA: bare RSASSA signature). */
    public static TpmQuote quote(KeyPair ak, byte[] nonce, int n) {
        List<byte[]> pcrs = SimulatedAzVtpm.defaultPcrValues(n);
        return SimulatedAzVtpm.signQuote(ak.getPrivate(), attest(nonce, pcrs), pcrs);
    }
}
