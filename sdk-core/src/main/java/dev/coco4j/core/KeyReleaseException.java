package dev.coco4j.core;

import java.util.List;

/** A key broker did not release a secret (policy denial, missing resource, protocol error). */
public final class KeyReleaseException extends CocoException {

    /** Creates the exception with one failure. */
    public KeyReleaseException(Reason reason, String detail) {
        super(reason, detail, null);
    }

    /** Creates the exception with one failure and its cause. */
    public KeyReleaseException(Reason reason, String detail, Throwable cause) {
        super(reason, detail, cause);
    }

    /** Creates the exception reporting several failed checks at once; the first is the primary reason. */
    public KeyReleaseException(List<Failure> failures) {
        super(failures, null);
    }
}
