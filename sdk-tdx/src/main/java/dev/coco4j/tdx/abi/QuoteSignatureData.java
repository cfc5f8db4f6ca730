package dev.coco4j.tdx.abi;

import java.util.Arrays;

/**
 * The ECDSA-256 quote signature data of a TDX quote (attestation key type 2), with certification data type 6 (QE
 * report certification data) that nests certification data type 5 (the PCK certificate chain, PEM). Integers
 * little-endian; signatures are raw big-endian r‖s. Immutable: accessors return copies.
 *
 * <pre>
 * rel off  len  field
 *   0       64  quote signature r‖s (by the attestation key over the quote's signed region)
 *  64       64  attestation public key x‖y (P-256, no 0x04 prefix)
 * 128        2  certification data type = 6
 * 130        4  size of the type-6 data
 * 134      384  QE report (SGX report body)
 * 518       64  QE report signature r‖s (by the PCK key)
 * 582        2  QE authentication data size n
 * 584        n  QE authentication data
 * 584+n      2  certification data type = 5
 * 586+n      4  size m
 * 590+n      m  PCK chain, PEM: leaf PCK, PCK Platform/Processor CA, Intel SGX Root CA (may end with NUL)
 * </pre>
 *
 * @param quoteSignature 64-byte r‖s
 * @param attestationKey 64-byte x‖y
 * @param qeReport the quoting enclave's report
 * @param qeReportSignature 64-byte r‖s
 * @param qeAuthData the QE authentication data
 * @param pckChainPem the PEM chain bytes exactly as carried
 */
public record QuoteSignatureData(byte[] quoteSignature, byte[] attestationKey, SgxReportBody qeReport,
                                 byte[] qeReportSignature, byte[] qeAuthData, byte[] pckChainPem) {

    /** Copies the arrays and checks the fixed lengths. */
    public QuoteSignatureData {
        quoteSignature = Bytes.exact(quoteSignature, 64, "the quote signature");
        attestationKey = Bytes.exact(attestationKey, 64, "the attestation key");
        java.util.Objects.requireNonNull(qeReport, "qeReport");
        qeReportSignature = Bytes.exact(qeReportSignature, 64, "the QE report signature");
        qeAuthData = qeAuthData.clone();
        pckChainPem = pckChainPem.clone();
    }

    /** {@return a copy of 64-byte r‖s} */
    @Override
    public byte[] quoteSignature() {
        return quoteSignature.clone();
    }

    /** {@return a copy of 64-byte x‖y} */
    @Override
    public byte[] attestationKey() {
        return attestationKey.clone();
    }

    /** {@return a copy of 64-byte r‖s} */
    @Override
    public byte[] qeReportSignature() {
        return qeReportSignature.clone();
    }

    /** {@return a copy of the QE authentication data} */
    @Override
    public byte[] qeAuthData() {
        return qeAuthData.clone();
    }

    /** {@return a copy of the PEM chain bytes exactly as carried} */
    @Override
    public byte[] pckChainPem() {
        return pckChainPem.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuoteSignatureData d && Arrays.equals(quoteSignature, d.quoteSignature)
                && Arrays.equals(attestationKey, d.attestationKey) && qeReport.equals(d.qeReport)
                && Arrays.equals(qeReportSignature, d.qeReportSignature) && Arrays.equals(qeAuthData, d.qeAuthData)
                && Arrays.equals(pckChainPem, d.pckChainPem);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(quoteSignature);
    }

    @Override
    public String toString() {
        return "QuoteSignatureData[qeReport=" + qeReport + ", qeAuthData=" + qeAuthData.length + " bytes, pckChain="
                + pckChainPem.length + " bytes]";
    }
}
