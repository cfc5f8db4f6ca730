package dev.coco4j.kbs.protocol;

/**
 * A KBS protocol message is not well formed: not JSON, a required member missing, or a member of the wrong type. The
 * message names the member, never a secret value. Clients map it to a coco4j {@link dev.coco4j.core.CocoException};
 * servers answer it with an error body.
 */
public final class MalformedMessageException extends IllegalArgumentException {
    /** Creates the exception. */
    public MalformedMessageException(String message) {
        super(message);
    }
}
