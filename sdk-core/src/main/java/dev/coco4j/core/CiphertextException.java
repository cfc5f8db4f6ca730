package dev.coco4j.core;

import java.util.List;

/** A ciphertext is not authentic or not well formed. The message is uniform and never says which byte failed. */
public final class CiphertextException extends CocoException {

    /** Creates the exception with one failure. */
    public CiphertextException(Reason reason, String detail) {
        super(reason, detail, null);
    }

    /** Creates the exception with one failure and its cause. */
    public CiphertextException(Reason reason, String detail, Throwable cause) {
        super(reason, detail, cause);
    }

    /** Creates the exception reporting several failed checks at once; the first is the primary reason. */
    public CiphertextException(List<Failure> failures) {
        super(failures, null);
    }
}
