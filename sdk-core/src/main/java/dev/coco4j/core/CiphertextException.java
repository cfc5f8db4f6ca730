package dev.coco4j.core;

import java.util.List;

/** A ciphertext is not authentic or not well formed. The message is uniform and never says which byte failed. */
public final class CiphertextException extends CocoException {

    /**
     * Creates the exception with one failure.
     *
     * @param reason the stable reason of the failed check; not null
     * @param detail human-readable detail of the failure, without secrets; not null
     */
    public CiphertextException(Reason reason, String detail) {
        super(reason, detail, null);
    }

    /**
     * Creates the exception with one failure and its cause.
     *
     * @param reason the stable reason of the failed check; not null
     * @param detail human-readable detail of the failure, without secrets; not null
     * @param cause the underlying exception, or null for none
     */
    public CiphertextException(Reason reason, String detail, Throwable cause) {
        super(reason, detail, cause);
    }

    /**
     * Creates the exception reporting several failed checks at once; the first is the primary reason.
     *
     * @param failures every failed check in the order found; at least one, no null elements; copied
     * @throws IllegalArgumentException if {@code failures} is empty
     */
    public CiphertextException(List<Failure> failures) {
        super(failures, null);
    }
}
