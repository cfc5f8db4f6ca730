package dev.coco4j.kbs.evidence;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds the {@link EvidenceSerializer} for a TEE: the built-ins ({@code snp}, {@code tdx}, {@code sample}) first, then
 * any installed through ServiceLoader.
 */
public final class EvidenceSerializers {
    private EvidenceSerializers() {
    }

    /**
     * The serialiser for {@code tee}, if one exists.
     *
     * @param tee the TEE type; not null
     * @return a new built-in serialiser for {@code snp}, {@code tdx}, {@code az-snp-vtpm}, {@code az-tdx-vtpm} and
     *     {@code sample}, otherwise the first ServiceLoader-installed one whose {@code tee()} matches, or empty
     */
    public static Optional<EvidenceSerializer> forTee(TeeType tee) {
        switch (tee) {
            case SNP -> {
                return Optional.of(new SnpEvidenceSerializer());
            }
            case AZ_SNP_VTPM -> {
                return Optional.of(AzVtpmEvidenceSerializer.snp());
            }
            case AZ_TDX_VTPM -> {
                return Optional.of(AzVtpmEvidenceSerializer.tdx());
            }
            case SAMPLE -> {
                return Optional.of(new SampleEvidenceSerializer());
            }
            case TDX -> {
                return Optional.of(new TdxEvidenceSerializer());
            }
            default -> {
                for (EvidenceSerializer s : ServiceLoader.load(EvidenceSerializer.class,
                        EvidenceSerializers.class.getClassLoader())) {
                    if (s.tee() == tee) {
                        return Optional.of(s);
                    }
                }
                return Optional.empty();
            }
        }
    }

    /**
     * The serialiser for {@code tee}.
     *
     * @param tee the TEE type; not null
     * @return the serialiser {@link #forTee(TeeType)} finds
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if there is none
     */
    public static EvidenceSerializer require(TeeType tee) {
        return forTee(tee).orElseThrow(() -> new ConfigurationException(Reason.CONFIGURATION,
                "no KBS evidence serialiser for TEE '" + tee.id() + "'"));
    }
}
