package dev.coco4j.sev.abi;

import java.util.Locale;

/**
 * A decoded 8-byte TCB_VERSION: the security patch levels (SPLs) of each firmware component. The layout depends on
 * the {@link SnpProduct}, not on the report version. Immutable.
 *
 * @param raw the 64-bit little-endian value as stored in the report
 * @param product the product whose layout decoded it
 * @param bootLoader boot loader SPL
 * @param tee PSP OS (TEE) SPL
 * @param snp SNP firmware SPL
 * @param microcode CPU microcode SPL
 * @param fmc FMC SPL on Turin and later, -1 on products without it
 */
public record TcbVersion(long raw, SnpProduct product, int bootLoader, int tee, int snp, int microcode, int fmc) {

    /**
     * Decodes a raw TCB_VERSION under a product's layout.
     *
     * @param raw the 64-bit TCB_VERSION as read little-endian from a report or certificate
     * @param product the product whose layout applies, not {@code null}
     * @return the decoded components; {@code fmc} is -1 on products without an FMC component
     */
    public static TcbVersion decode(long raw, SnpProduct product) {
        int b0 = (int) (raw & 0xff);
        int b1 = (int) (raw >>> 8 & 0xff);
        int b2 = (int) (raw >>> 16 & 0xff);
        int b3 = (int) (raw >>> 24 & 0xff);
        int b6 = (int) (raw >>> 48 & 0xff);
        int b7 = (int) (raw >>> 56 & 0xff);
        return switch (product.tcbLayout()) {
            case MILAN_GENOA -> new TcbVersion(raw, product, b0, b1, b6, b7, -1);
            case TURIN -> new TcbVersion(raw, product, b1, b2, b3, b7, b0);
        };
    }

    /**
     * Encodes components under a product's layout (reserved bytes zero).
     *
     * @param product the product whose layout applies, not {@code null}
     * @param bootLoader boot loader SPL; only the low 8 bits are kept
     * @param tee PSP OS (TEE) SPL; only the low 8 bits are kept
     * @param snp SNP firmware SPL; only the low 8 bits are kept
     * @param microcode microcode SPL; only the low 8 bits are kept
     * @param fmc FMC SPL, low 8 bits kept; ignored on products without an FMC component
     * @return the encoded value, decoded again (so {@code fmc} reads -1 where the layout has none)
     */
    public static TcbVersion of(SnpProduct product, int bootLoader, int tee, int snp, int microcode, int fmc) {
        long raw = switch (product.tcbLayout()) {
            case MILAN_GENOA -> (bootLoader & 0xffL) | (tee & 0xffL) << 8 | (snp & 0xffL) << 48
                    | (microcode & 0xffL) << 56;
            case TURIN -> (fmc & 0xffL) | (bootLoader & 0xffL) << 8 | (tee & 0xffL) << 16 | (snp & 0xffL) << 24
                    | (microcode & 0xffL) << 56;
        };
        return decode(raw, product);
    }

    /**
     * True if the product's layout has an FMC component.
     *
     * @return {@code true} for the Turin layout, {@code false} for Milan and Genoa
     */
    public boolean hasFmc() {
        return product.tcbLayout() == SnpProduct.TcbLayout.TURIN;
    }

    /**
     * True if every component is at least the corresponding component of {@code other} (same layout).
     *
     * @param other the minimum to compare against, not {@code null}; should use the same layout (the product is not
     *     compared)
     * @return {@code true} if no component is below the corresponding one in {@code other}
     */
    public boolean isAtLeast(TcbVersion other) {
        return bootLoader >= other.bootLoader && tee >= other.tee && snp >= other.snp && microcode >= other.microcode
                && (!hasFmc() || fmc >= other.fmc);
    }

    /**
     * The raw value as 16 hex digits, most significant byte first (as AMD tools print it).
     *
     * @return 16 lower-case hex digits
     */
    public String toHex() {
        return String.format(Locale.ROOT, "%016x", raw);
    }

    /**
     * The components as an ordered map for JSON and claims: {@code raw} (16 hex digits), {@code fmc} (Turin only),
     * {@code bootloader}, {@code tee}, {@code snp}, {@code microcode}.
     *
     * @return a new mutable insertion-ordered map; {@code raw} is a {@code String}, the components are {@code Integer}s
     */
    public java.util.Map<String, Object> toMap() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("raw", toHex());
        if (hasFmc()) {
            m.put("fmc", fmc);
        }
        m.put("bootloader", bootLoader);
        m.put("tee", tee);
        m.put("snp", snp);
        m.put("microcode", microcode);
        return m;
    }

    @Override
    public String toString() {
        return (hasFmc() ? "fmc=" + fmc + " " : "") + "bl=" + bootLoader + " tee=" + tee + " snp=" + snp
                + " ucode=" + microcode + " (0x" + toHex() + ")";
    }
}
