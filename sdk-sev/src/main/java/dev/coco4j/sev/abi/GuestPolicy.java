package dev.coco4j.sev.abi;

/**
 * The 64-bit guest policy the owner set at launch. Unknown and reserved bits are preserved in {@link #raw()} and never
 * make parsing fail; policy decides about them.
 *
 * @param raw the raw value
 */
public record GuestPolicy(long raw) {
    /** Bit 16: SMT allowed. */
    public static final long SMT = 1L << 16;
    /** Bit 17: reserved, must be one. */
    public static final long RESERVED_ONE = 1L << 17;
    /** Bit 18: a migration agent may be associated. */
    public static final long MIGRATE_MA = 1L << 18;
    /** Bit 19: debugging allowed. */
    public static final long DEBUG = 1L << 19;
    /** Bit 20: single socket required. */
    public static final long SINGLE_SOCKET = 1L << 20;
    /** Bit 21: CXL allowed. */
    public static final long CXL_ALLOW = 1L << 21;
    /** Bit 22: AES-256-XTS memory encryption required. */
    public static final long MEM_AES_256_XTS = 1L << 22;
    /** Bit 23: RAPL must be disabled. */
    public static final long RAPL_DIS = 1L << 23;
    /** Bit 24: ciphertext hiding required. */
    public static final long CIPHERTEXT_HIDING = 1L << 24;
    /** Bit 25: page swap disabled. */
    public static final long PAGE_SWAP_DISABLE = 1L << 25;
    /** Bits 63:26 must be zero in every firmware so far. */
    public static final long MBZ_MASK = ~((1L << 26) - 1);

    /**
     * Minimum firmware ABI minor version (bits 7:0).
     *
     * @return the minimum ABI minor version the guest requires, 0..255
     */
    public int abiMinor() {
        return (int) (raw & 0xff);
    }

    /**
     * Minimum firmware ABI major version (bits 15:8).
     *
     * @return the minimum ABI major version the guest requires, 0..255
     */
    public int abiMajor() {
        return (int) (raw >>> 8 & 0xff);
    }

    /**
     * True if the bit is set.
     *
     * @param bit a mask such as {@link #DEBUG}; with several bits set, any one of them counts
     * @return {@code true} if {@link #raw()} has at least one bit of {@code bit} set
     */
    public boolean has(long bit) {
        return (raw & bit) != 0;
    }

    /**
     * DEBUG (bit 19).
     *
     * @return {@code true} if the guest may be debugged (the hypervisor can read its memory)
     */
    public boolean debug() {
        return has(DEBUG);
    }

    /**
     * SMT (bit 16).
     *
     * @return {@code true} if the guest allows SMT on its host
     */
    public boolean smt() {
        return has(SMT);
    }

    /**
     * MIGRATE_MA (bit 18).
     *
     * @return {@code true} if a migration agent may be associated with the guest
     */
    public boolean migrateMa() {
        return has(MIGRATE_MA);
    }

    /**
     * SINGLE_SOCKET (bit 20).
     *
     * @return {@code true} if the guest may only run on a single socket
     */
    public boolean singleSocket() {
        return has(SINGLE_SOCKET);
    }

    /**
     * Names of the set flag bits (lower_snake_case, ABI order): smt, migrate_ma, debug, single_socket, ...
     *
     * @return a new mutable list of the names of the set named bits; empty when none is set; unknown bits are not
     *     listed
     */
    public java.util.List<String> flagNames() {
        java.util.List<String> out = new java.util.ArrayList<>();
        long[] bits = {SMT, MIGRATE_MA, DEBUG, SINGLE_SOCKET, CXL_ALLOW, MEM_AES_256_XTS, RAPL_DIS, CIPHERTEXT_HIDING,
            PAGE_SWAP_DISABLE};
        String[] names = {"smt", "migrate_ma", "debug", "single_socket", "cxl_allow", "mem_aes_256_xts", "rapl_dis",
            "ciphertext_hiding", "page_swap_disable"};
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
