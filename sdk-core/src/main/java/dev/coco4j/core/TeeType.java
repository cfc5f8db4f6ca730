package dev.coco4j.core;

import java.util.Locale;

/** The kinds of trusted execution environment coco4j knows. {@link #id()} is the short lower-case name used in the
 * CLI, in JSON and in the Trustee KBS protocol. */
public enum TeeType {
    /** AMD SEV-SNP. */
    SNP("snp"),
    /** Intel TDX. */
    TDX("tdx"),
    /** NVIDIA GPU in confidential-computing mode (Hopper, Blackwell). */
    NVIDIA_GPU("gpu"),
    /** Azure confidential VM with SEV-SNP behind a vTPM (HCL report). */
    AZ_SNP_VTPM("az-snp-vtpm"),
    /** Azure confidential VM with TDX behind a vTPM (HCL report). */
    AZ_TDX_VTPM("az-tdx-vtpm"),
    /** Trustee's non-secure "sample" attester. Never chosen automatically; test use only. */
    SAMPLE("sample");

    private final String id;

    TeeType(String id) {
        this.id = id;
    }

    /**
     * The short name ({@code snp}, {@code tdx}, {@code gpu}, ...).
     *
     * @return the lower-case short name used on the CLI and in claims
     */
    public String id() {
        return id;
    }

    /**
     * Looks a TEE type up by its {@link #id()} (case-insensitive).
     *
     * @param id the short name, case-insensitive; not null
     * @return the TEE type with that {@link #id()}
     * @throws ConfigurationException if the name is unknown
     */
    public static TeeType fromId(String id) {
        String wanted = id.toLowerCase(Locale.ROOT);
        for (TeeType t : values()) {
            if (t.id.equals(wanted)) {
                return t;
            }
        }
        throw new ConfigurationException(Reason.CONFIGURATION, "unknown TEE type '" + id + "'");
    }
}
