package dev.coco4j.core;

import java.util.List;

/** Evidence was rejected: it is malformed, not genuine, or violates policy. */
public final class AttestationException extends CocoException {

    /** Creates the exception with one failure. */
    public AttestationException(Reason reason, String detail) {
        super(reason, detail, null);
    }

    /** Creates the exception with one failure and its cause. */
    public AttestationException(Reason reason, String detail, Throwable cause) {
        super(reason, detail, cause);
    }

    /** Creates the exception reporting several failed checks at once; the first is the primary reason. */
    public AttestationException(List<Failure> failures) {
        super(failures, null);
    }
}
