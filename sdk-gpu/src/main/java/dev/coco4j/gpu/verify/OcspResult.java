package dev.coco4j.gpu.verify;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A verified OCSP answer for one certificate.
 *
 * @param status the status
 * @param revocationReason the CRL reason code when revoked (6 = certificateHold), or -1
 * @param thisUpdate the response's thisUpdate
 * @param nextUpdate the response's nextUpdate, or null when the responder gave none
 */
public record OcspResult(OcspStatus status, int revocationReason, Instant thisUpdate, Instant nextUpdate) {
    /** CRL reason code certificateHold. */
    public static final int CERTIFICATE_HOLD = 6;

    /**
     * Checks the components.
     *
     * @throws NullPointerException if status or thisUpdate is null
     */
    public OcspResult {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(thisUpdate, "thisUpdate");
    }

    /**
     * The nextUpdate, if given.
     *
     * @return the nextUpdate, or {@link Optional#empty()} when the responder gave none
     */
    public Optional<Instant> nextUpdateIfPresent() {
        return Optional.ofNullable(nextUpdate);
    }

    /**
     * True if revoked with reason certificateHold.
     *
     * @return {@code true} if the status is {@link OcspStatus#REVOKED} with reason {@value #CERTIFICATE_HOLD}
     *     (certificateHold), {@code false} otherwise
     */
    public boolean isOnHold() {
        return status == OcspStatus.REVOKED && revocationReason == CERTIFICATE_HOLD;
    }
}
