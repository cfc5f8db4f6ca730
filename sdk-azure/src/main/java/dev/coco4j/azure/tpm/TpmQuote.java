package dev.coco4j.azure.tpm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A TPM quote as Trustee's vTPM evidence carries it: the signed {@code TPMS_ATTEST} message, the signature and the
 * values of the quoted PCRs in selection order (bank by bank, indices ascending).
 *
 * <p>The signature is either the bare signature bytes of an RSA attestation key (RSASSA-PKCS1-v1_5 with SHA-256, the
 * form the Azure vTPM and Trustee use; its length equals the modulus length) or a marshalled {@code TPMT_SIGNATURE}
 * (RSASSA, RSAPSS or ECDSA with its hash algorithm), which is what an ECC attestation key produces.
 *
 * @param message   the {@code TPMS_ATTEST} bytes
 * @param signature the signature bytes
 * @param pcrs      the PCR values
 */
public record TpmQuote(byte[] message, byte[] signature, List<byte[]> pcrs) {
    /** Copies everything. */
    public TpmQuote {
        message = message.clone();
        signature = signature.clone();
        List<byte[]> copy = new ArrayList<>();
        for (byte[] p : pcrs) {
            copy.add(p.clone());
        }
        pcrs = List.copyOf(copy);
    }

    /**
     * Returns the signed {@code TPMS_ATTEST} message.
     *
     * @return a copy of the {@code message} bytes (the record keeps its own)
     */
    @Override
    public byte[] message() {
        return message.clone();
    }

    /**
     * Returns the signature over the message.
     *
     * @return a copy of the {@code signature} bytes (the record keeps its own)
     */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * Returns the reported PCR values in selection order.
     *
     * @return a copy of the {@code pcrs} list, each element copied
     */
    @Override
    public List<byte[]> pcrs() {
        List<byte[]> copy = new ArrayList<>();
        for (byte[] p : pcrs) {
            copy.add(p.clone());
        }
        return copy;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TpmQuote q) || !Arrays.equals(q.message, message) || !Arrays.equals(q.signature, signature)
                || q.pcrs.size() != pcrs.size()) {
            return false;
        }
        for (int i = 0; i < pcrs.size(); i++) {
            if (!Arrays.equals(q.pcrs.get(i), pcrs.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(message) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "TpmQuote[message=" + message.length + " bytes, signature=" + signature.length + " bytes, pcrs="
                + pcrs.size() + "]";
    }
}
