package dev.coco4j.sev.abi;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.util.Locale;
import java.util.Optional;

/**
 * AMD EPYC product lines that run SEV-SNP. The product decides the TCB_VERSION layout, the chip-id length bound into a
 * VCEK, and which AMD root key (ARK) signs the chain. Siena and Bergamo use {@link #GENOA}'s keys and layout.
 */
public enum SnpProduct {
    /** EPYC 7003 (Zen 3). */
    MILAN("Milan", TcbLayout.MILAN_GENOA, 64),
    /** EPYC 9004/8004 (Zen 4), incl. Siena and Bergamo. */
    GENOA("Genoa", TcbLayout.MILAN_GENOA, 64),
    /** EPYC 9005 (Zen 5): FMC component in the TCB, 8-byte hwID. */
    TURIN("Turin", TcbLayout.TURIN, 8);

    /** How the eight TCB_VERSION bytes map to components. */
    public enum TcbLayout {
        /** byte 0 boot loader, 1 TEE, 6 SNP, 7 microcode. */
        MILAN_GENOA,
        /** byte 0 FMC, 1 boot loader, 2 TEE, 3 SNP, 7 microcode. */
        TURIN
    }

    private final String kdsName;
    private final TcbLayout tcbLayout;
    private final int hwIdLength;

    SnpProduct(String kdsName, TcbLayout tcbLayout, int hwIdLength) {
        this.kdsName = kdsName;
        this.tcbLayout = tcbLayout;
        this.hwIdLength = hwIdLength;
    }

    /**
     * The name AMD's KDS uses in URLs ({@code Milan}, {@code Genoa}, {@code Turin}).
     *
     * @return the capitalised product name used in KDS request paths
     */
    public String kdsName() {
        return kdsName;
    }

    /**
     * The TCB_VERSION layout.
     *
     * @return how this product's TCB_VERSION bytes map to components
     */
    public TcbLayout tcbLayout() {
        return tcbLayout;
    }

    /**
     * The number of CHIP_ID bytes a VCEK's hwID binds (64, or 8 on Turin).
     *
     * @return 64, or 8 for {@link #TURIN}
     */
    public int hwIdLength() {
        return hwIdLength;
    }

    /**
     * The product from the report's CPUID fields (report version 3 and later), or empty when the family/model is not
     * one this SDK knows.
     *
     * @param family the report's CPUID_FAM_ID byte (0x19 for Zen 3/4, 0x1A for Zen 5)
     * @param model the report's CPUID_MOD_ID byte
     * @return the product, or empty for an unknown family/model combination
     */
    public static Optional<SnpProduct> fromCpuid(int family, int model) {
        if (family == 0x19) {
            if (model <= 0x0F) {
                return Optional.of(MILAN);
            }
            if ((model >= 0x10 && model <= 0x1F) || (model >= 0xA0 && model <= 0xAF)) {
                return Optional.of(GENOA);
            }
        } else if (family == 0x1A && model <= 0x11) {
            return Optional.of(TURIN);
        }
        return Optional.empty();
    }

    /**
     * The product named by a VCEK's productName extension ({@code Milan-B0}, {@code Genoa}, {@code Turin-B1}, ...), or
     * empty.
     *
     * @param productName the product name, case-insensitive, optionally followed by {@code -} and a stepping; not
     *     {@code null}
     * @return the product, or empty if the name matches none
     */
    public static Optional<SnpProduct> fromProductName(String productName) {
        String p = productName.toLowerCase(Locale.ROOT);
        for (SnpProduct s : values()) {
            String k = s.kdsName.toLowerCase(Locale.ROOT);
            if (p.equals(k) || p.startsWith(k + "-")) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /**
     * Parses {@code milan}, {@code genoa} or {@code turin} (case-insensitive).
     *
     * @param name the product name, case-insensitive; a stepping suffix such as {@code -B0} is accepted
     * @return the product
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) for other names
     */
    public static SnpProduct fromName(String name) {
        return fromProductName(name).orElseThrow(() -> new ConfigurationException(Reason.CONFIGURATION,
                "unknown SEV-SNP product '" + name + "' (milan, genoa or turin)"));
    }
}
