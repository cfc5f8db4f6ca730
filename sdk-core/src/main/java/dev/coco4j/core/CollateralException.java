package dev.coco4j.core;

import java.util.List;

/** Collateral or a service needed for verification is unavailable, invalid or expired. */
public final class CollateralException extends CocoException {

    /** Creates the exception with one failure. */
    public CollateralException(Reason reason, String detail) {
        super(reason, detail, null);
    }

    /** Creates the exception with one failure and its cause. */
    public CollateralException(Reason reason, String detail, Throwable cause) {
        super(reason, detail, cause);
    }

    /** Creates the exception reporting several failed checks at once; the first is the primary reason. */
    public CollateralException(List<Failure> failures) {
        super(failures, null);
    }
}
