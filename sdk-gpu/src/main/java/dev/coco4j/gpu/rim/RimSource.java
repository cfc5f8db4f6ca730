package dev.coco4j.gpu.rim;

/**
 * Where RIM documents come from: a local directory ({@link DirectoryRimStore}), NVIDIA's RIM service
 * ({@link RimServiceClient}), or anything else (an operator-pinned map). Returns the raw, unverified SWID XML;
 * {@link RimVerifier} checks it.
 */
@FunctionalInterface
public interface RimSource {
    /**
     * The RIM with this id.
     *
     * @param rimId the RIM id as {@link RimIds} derives it; the built-in sources accept only {@code [A-Za-z0-9._-]},
     *     1 to 128 characters, and refuse others with {@link dev.coco4j.core.Reason#CONFIGURATION}
     * @return the raw, unverified SWID XML bytes; a fresh array the caller may keep
     * @throws dev.coco4j.core.CollateralException {@link dev.coco4j.core.Reason#RIM_NOT_FOUND} naming the id when
     *     the source has no such RIM; SERVICE_UNAVAILABLE / COLLATERAL_UNAVAILABLE when it cannot be asked
     */
    byte[] fetch(String rimId);
}
