package dev.coco4j.azure.tpm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A {@code TPMS_ATTEST} of type {@code TPM_ST_ATTEST_QUOTE}, the message a TPM2_Quote signs (big-endian):
 * <pre>
 * u32 magic = TPM_GENERATED_VALUE (0xFF544347)   u16 type = TPM_ST_ATTEST_QUOTE (0x8018)
 * TPM2B_NAME qualifiedSigner   TPM2B_DATA extraData (the caller's nonce)
 * TPMS_CLOCK_INFO {u64 clock, u32 resetCount, u32 restartCount, u8 safe}   u64 firmwareVersion
 * TPMS_QUOTE_INFO {TPML_PCR_SELECTION {u32 count, count × {u16 hash, u8 sizeofSelect, u8[sizeofSelect]}},
 *                  TPM2B_DIGEST pcrDigest}
 * </pre>
 *
 * @param qualifiedSigner the signing key's qualified name
 * @param extraData       the qualifying data (nonce) given to TPM2_Quote
 * @param clock           TPMS_CLOCK_INFO.clock (ms)
 * @param resetCount      TPMS_CLOCK_INFO.resetCount
 * @param restartCount    TPMS_CLOCK_INFO.restartCount
 * @param safe            TPMS_CLOCK_INFO.safe
 * @param firmwareVersion the TPM firmware version
 * @param pcrSelections   the quoted PCR selections
 * @param pcrDigest       the digest over the selected PCR values
 */
public record TpmsAttest(byte[] qualifiedSigner, byte[] extraData, long clock, long resetCount, long restartCount,
                         boolean safe, long firmwareVersion, List<PcrSelection> pcrSelections, byte[] pcrDigest) {
    /** TPM_GENERATED_VALUE. */
    public static final int MAGIC = 0xFF544347;
    /** TPM_ST_ATTEST_QUOTE. */
    public static final int ST_ATTEST_QUOTE = 0x8018;
    private static final int MAX_SELECTIONS = 16;

    /** Copies the arrays. */
    public TpmsAttest {
        qualifiedSigner = qualifiedSigner.clone();
        extraData = extraData.clone();
        pcrSelections = List.copyOf(pcrSelections);
        pcrDigest = pcrDigest.clone();
    }

    /**
     * Parses a quote's {@code TPMS_ATTEST}; every byte must be consumed.
     *
     * @param message the marshalled {@code TPMS_ATTEST} as signed by the TPM; not kept. Nothing is verified here:
     *                check its signature first (see {@link TpmQuoteVerifier})
     * @return the parsed, unverified message
     * @throws dev.coco4j.core.AttestationException {@code MALFORMED_EVIDENCE} on any fault
     */
    public static TpmsAttest parse(byte[] message) {
        TpmReader r = new TpmReader(message, "TPMS_ATTEST");
        if ((int) r.u32() != MAGIC) {
            throw TpmReader.malformed("TPMS_ATTEST magic is not TPM_GENERATED_VALUE");
        }
        int type = r.u16();
        if (type != ST_ATTEST_QUOTE) {
            throw TpmReader.malformed("TPMS_ATTEST type 0x" + Integer.toHexString(type) + " is not a quote");
        }
        byte[] signer = r.tpm2b(2 + 64);
        byte[] extra = r.tpm2b(64);
        long clock = r.u64();
        long reset = r.u32();
        long restart = r.u32();
        int safe = r.u8();
        if (safe > 1) {
            throw TpmReader.malformed("TPMS_CLOCK_INFO.safe is " + safe);
        }
        long fw = r.u64();
        long count = r.u32();
        if (count > MAX_SELECTIONS) {
            throw TpmReader.malformed("TPML_PCR_SELECTION count " + count + " is too large");
        }
        List<PcrSelection> sel = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int hash = r.u16();
            int size = r.u8();
            if (size > 8) {
                throw TpmReader.malformed("PCR selection bitmap of " + size + " bytes");
            }
            sel.add(new PcrSelection(hash, r.bytes(size)));
        }
        byte[] digest = r.tpm2b(64);
        r.end();
        return new TpmsAttest(signer, extra, clock, reset, restart, safe == 1, fw, sel, digest);
    }

    /**
     * Returns the signing key's qualified name.
     *
     * @return a copy of the {@code qualifiedSigner} bytes (the record keeps its own)
     */
    @Override
    public byte[] qualifiedSigner() {
        return qualifiedSigner.clone();
    }

    /**
     * Returns the qualifying data (nonce) given to TPM2_Quote.
     *
     * @return a copy of the {@code extraData} bytes (the record keeps its own)
     */
    @Override
    public byte[] extraData() {
        return extraData.clone();
    }

    /**
     * Returns the digest over the selected PCR values.
     *
     * @return a copy of the {@code pcrDigest} bytes (the record keeps its own)
     */
    @Override
    public byte[] pcrDigest() {
        return pcrDigest.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TpmsAttest a && Arrays.equals(a.qualifiedSigner, qualifiedSigner)
                && Arrays.equals(a.extraData, extraData) && a.clock == clock && a.resetCount == resetCount
                && a.restartCount == restartCount && a.safe == safe && a.firmwareVersion == firmwareVersion
                && a.pcrSelections.equals(pcrSelections) && Arrays.equals(a.pcrDigest, pcrDigest);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(pcrDigest) * 31 + Arrays.hashCode(extraData);
    }

    @Override
    public String toString() {
        return "TpmsAttest[extraData=" + HexFormat.of().formatHex(extraData) + ", pcrs=" + pcrSelections
                + ", pcrDigest=" + HexFormat.of().formatHex(pcrDigest) + "]";
    }
}
