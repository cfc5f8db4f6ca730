package dev.coco4j.core;

import java.util.List;

/** A key broker did not release a secret (policy denial, missing resource, protocol error). */
public final class KeyReleaseException extends CocoException {

    /**
     * Creates the exception with one failure.
     *
     * @param reason the stable reason of the failed check; not null
     * @param detail human-readable detail of the failure, without secrets; not null
     */
    public KeyReleaseException(Reason reason, String detail) {
        super(reason, detail, null);
    }

    /**
     * Creates the exception with one failure and its cause.
     *
     * @param reason the stable reason of the failed check; not null
     * @param detail human-readable detail of the failure, without secrets; not null
     * @param cause the underlying exception, or null for none
     */
    public KeyReleaseException(Reason reason, String detail, Throwable cause) {
        super(reason, detail, cause);
    }

    /**
     * Creates the exception reporting several failed checks at once; the first is the primary reason.
     *
     * @param failures every failed check in the order found; at least one, no null elements; copied
     * @throws IllegalArgumentException if {@code failures} is empty
     */
    public KeyReleaseException(List<Failure> failures) {
        super(failures, null);
    }
}
