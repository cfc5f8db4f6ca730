package dev.coco4j.sev.abi;

/**
 * The 64-bit PLATFORM_INFO: platform state when the report was made. Unknown bits (bit 6 is set on real Turin parts)
 * are preserved and never make parsing fail.
 *
 * @param raw the raw value
 */
public record PlatformInfo(long raw) {
    /** Bit 0: SMT enabled. */
    public static final long SMT_EN = 1L;
    /** Bit 1: TSME enabled. */
    public static final long TSME_EN = 1L << 1;
    /** Bit 2: ECC memory in use. */
    public static final long ECC_EN = 1L << 2;
    /** Bit 3: RAPL disabled. */
    public static final long RAPL_DIS = 1L << 3;
    /** Bit 4: ciphertext hiding for DRAM enabled. */
    public static final long CIPHERTEXT_HIDING_DRAM_EN = 1L << 4;
    /** Bit 5: alias check complete (BadRAM mitigation). */
    public static final long ALIAS_CHECK_COMPLETE = 1L << 5;
    /** Bit 7: SEV-TIO enabled. */
    public static final long SEV_TIO_EN = 1L << 7;
    /** The bits this SDK names. */
    public static final long KNOWN = SMT_EN | TSME_EN | ECC_EN | RAPL_DIS | CIPHERTEXT_HIDING_DRAM_EN
            | ALIAS_CHECK_COMPLETE | SEV_TIO_EN;

    /**
     * True if the bit is set.
     *
     * @param bit a mask such as {@link #SMT_EN}; with several bits set, any one of them counts
     * @return {@code true} if {@link #raw()} has at least one bit of {@code bit} set
     */
    public boolean has(long bit) {
        return (raw & bit) != 0;
    }

    /**
     * Set bits this SDK does not name.
     *
     * @return {@link #raw()} with the {@link #KNOWN} bits cleared; 0 when every set bit is named
     */
    public long unknownBits() {
        return raw & ~KNOWN;
    }

    /**
     * Names of the set known bits (lower_snake_case, bit order): smt_en, tsme_en, ecc_en, ...
     *
     * @return a new mutable list of the names of the set known bits; empty when none is set
     */
    public java.util.List<String> flagNames() {
        java.util.List<String> out = new java.util.ArrayList<>();
        long[] bits = {SMT_EN, TSME_EN, ECC_EN, RAPL_DIS, CIPHERTEXT_HIDING_DRAM_EN, ALIAS_CHECK_COMPLETE, SEV_TIO_EN};
        String[] names = {"smt_en", "tsme_en", "ecc_en", "rapl_dis", "ciphertext_hiding_dram_en",
            "alias_check_complete", "sev_tio_en"};
        for (int i = 0; i < bits.length; i++) {
            if (has(bits[i])) {
                out.add(names[i]);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format("0x%x", raw);
    }
}
