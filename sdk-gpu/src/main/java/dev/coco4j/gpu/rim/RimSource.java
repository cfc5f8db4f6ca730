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
     * @throws dev.coco4j.core.CollateralException {@link dev.coco4j.core.Reason#RIM_NOT_FOUND} naming the id when
     *     the source has no such RIM; SERVICE_UNAVAILABLE / COLLATERAL_UNAVAILABLE when it cannot be asked
     */
    byte[] fetch(String rimId);
}
