package dev.coco4j.azure.tpm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One {@code TPMS_PCR_SELECTION}: a PCR bank (hash algorithm) and a bitmap of PCR indices (bit {@code i % 8} of byte
 * {@code i / 8} selects PCR {@code i}).
 *
 * @param hashAlg the bank's {@code TPM_ALG_ID}
 * @param bitmap  the selection bitmap (usually 3 bytes)
 */
public record PcrSelection(int hashAlg, byte[] bitmap) {
    /** Copies the bitmap. */
    public PcrSelection {
        bitmap = bitmap.clone();
    }

    /**
     * A selection of the given PCR indices (0..23) in a bank.
     *
     * @param hashAlg the bank's {@code TPM_ALG_ID}, e.g. {@link TpmAlg#SHA256}
     * @param indices the PCR indices, each 0..23; duplicates are harmless, none gives an empty selection
     * @return a selection with a 3-byte bitmap
     * @throws IllegalArgumentException if an index is outside 0..23
     */
    public static PcrSelection of(int hashAlg, int... indices) {
        byte[] map = new byte[3];
        for (int i : indices) {
            if (i < 0 || i >= 24) {
                throw new IllegalArgumentException("PCR index " + i + " is not 0..23");
            }
            map[i / 8] |= (byte) (1 << (i % 8));
        }
        return new PcrSelection(hashAlg, map);
    }

    /**
     * Returns the selection bitmap.
     *
     * @return a copy of the {@code bitmap} bytes (the record keeps its own)
     */
    @Override
    public byte[] bitmap() {
        return bitmap.clone();
    }

    /**
     * The selected indices in increasing order (the order in which the TPM digests PCR values).
     *
     * @return a new mutable list of the selected indices, empty if none is selected
     */
    public List<Integer> indices() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < bitmap.length * 8; i++) {
            if ((bitmap[i / 8] & (1 << (i % 8))) != 0) {
                out.add(i);
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcrSelection p && p.hashAlg == hashAlg && Arrays.equals(p.bitmap, bitmap);
    }

    @Override
    public int hashCode() {
        return 31 * hashAlg + Arrays.hashCode(bitmap);
    }

    @Override
    public String toString() {
        return "PcrSelection[bank=0x" + Integer.toHexString(hashAlg) + ", pcrs=" + indices() + "]";
    }
}
