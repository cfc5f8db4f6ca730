package dev.coco4j.gpu.verify;

/** An OCSP certificate status. */
public enum OcspStatus {
    /** Not revoked. */
    GOOD,
    /** Revoked (see the reason; {@code certificateHold} may be tolerated by policy). */
    REVOKED,
    /** The responder does not know the certificate. */
    UNKNOWN
}
