package dev.coco4j.sev.abi;

/**
 * The report's signer-info word (offset 0x48): which key signed the report, whether an author key is present and
 * whether the chip key was masked. Unknown bits are preserved.
 *
 * @param raw the raw 32-bit value
 */
public record SignerInfo(int raw) {

    /** The kind of key that signed a report. */
    public enum SigningKey {
        /** Versioned chip endorsement key (per chip, fetched from AMD KDS). */
        VCEK,
        /** Versioned loaded endorsement key (per cloud provider). */
        VLEK,
        /** The report is unsigned. */
        NONE,
        /** A value the ABI reserves (2–6). */
        RESERVED
    }

    /**
     * AUTHOR_KEY_EN (bit 0).
     *
     * @return {@code true} if AUTHOR_KEY_DIGEST holds an author key digest
     */
    public boolean authorKeyEnabled() {
        return (raw & 1) != 0;
    }

    /**
     * MASK_CHIP_KEY (bit 1): the signature is zero and no chip key was used.
     *
     * @return {@code true} if the chip key was masked
     */
    public boolean maskChipKey() {
        return (raw & 2) != 0;
    }

    /**
     * The raw 3-bit SIGNING_KEY field (bits 4:2).
     *
     * @return the field value, 0..7
     */
    public int signingKeyField() {
        return raw >>> 2 & 7;
    }

    /**
     * The decoded signing key kind.
     *
     * @return {@link SigningKey#VCEK} for 0, {@link SigningKey#VLEK} for 1, {@link SigningKey#NONE} for 7, otherwise
     *     {@link SigningKey#RESERVED}
     */
    public SigningKey signingKey() {
        return switch (signingKeyField()) {
            case 0 -> SigningKey.VCEK;
            case 1 -> SigningKey.VLEK;
            case 7 -> SigningKey.NONE;
            default -> SigningKey.RESERVED;
        };
    }

    /**
     * Builds the word from its parts.
     *
     * @param key the signing key kind, not {@code null}; {@link SigningKey#RESERVED} is written as 2
     * @param authorKey whether to set AUTHOR_KEY_EN
     * @param maskChipKey whether to set MASK_CHIP_KEY
     * @return the word with all other bits zero
     */
    public static SignerInfo of(SigningKey key, boolean authorKey, boolean maskChipKey) {
        int field = switch (key) {
            case VCEK -> 0;
            case VLEK -> 1;
            case NONE -> 7;
            case RESERVED -> 2;
        };
        return new SignerInfo(field << 2 | (maskChipKey ? 2 : 0) | (authorKey ? 1 : 0));
    }
}
