package dev.coco4j.kbs.protocol;

import dev.coco4j.core.TeeType;
import java.util.Optional;
import java.util.Set;

/**
 * The TEE names of kbs-types 0.18 ({@code Request.tee} and the keys of the {@code additional_evidence} map) and their
 * mapping to {@link TeeType}. {@code az-*} use hyphens; every other name is lower case without separators.
 */
public final class KbsTee {
    /** AMD SEV-SNP. */
    public static final String SNP = "snp";
    /** Intel TDX. */
    public static final String TDX = "tdx";
    /** Azure SNP behind a vTPM. */
    public static final String AZ_SNP_VTPM = "az-snp-vtpm";
    /** Azure TDX behind a vTPM. */
    public static final String AZ_TDX_VTPM = "az-tdx-vtpm";
    /** NVIDIA GPU (additional evidence). */
    public static final String NVIDIA = "nvidia";
    /** Trustee's non-secure sample attester. */
    public static final String SAMPLE = "sample";
    /** Trustee's non-secure sample device attester. */
    public static final String SAMPLE_DEVICE = "sampledevice";

    /** Every name kbs-types 0.18 accepts ({@code nvidiadpu} as the research assumes, unverified). */
    public static final Set<String> ALL = Set.of("az-snp-vtpm", "az-tdx-vtpm", "nvidia", "nvidiadpu", "sgx", "snp",
            "tdx", "cca", "csv", "se", "hygondcu", "tpm", "sample", "sampledevice");

    private KbsTee() {
    }

    /**
     * The kbs-types name of a coco4j TEE type ({@code NVIDIA_GPU} is {@code nvidia}).
     *
     * @param tee the TEE type; not null
     * @return the kbs-types name, one of the constants of this class
     */
    public static String nameOf(TeeType tee) {
        return switch (tee) {
            case SNP -> SNP;
            case TDX -> TDX;
            case AZ_SNP_VTPM -> AZ_SNP_VTPM;
            case AZ_TDX_VTPM -> AZ_TDX_VTPM;
            case NVIDIA_GPU -> NVIDIA;
            case SAMPLE -> SAMPLE;
        };
    }

    /**
     * The coco4j TEE type a kbs-types name stands for, if coco4j has one.
     *
     * @param name the kbs-types name, e.g. {@code az-snp-vtpm}; compared exactly (case-sensitive)
     * @return the TEE type, or empty for names coco4j does not support (e.g. {@code sgx}) or does not know
     */
    public static Optional<TeeType> teeTypeOf(String name) {
        for (TeeType t : TeeType.values()) {
            if (nameOf(t).equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
