package dev.coco4j.core.envelope.internal;

import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.Reason;

/** The one decrypt failure the envelope format reports: uniform message, {@link Reason#CIPHERTEXT_INVALID}. */
public final class Failure {
    /** The uniform message of every decrypt failure. */
    public static final String NOT_AUTHENTIC = "ciphertext is not authentic";

    private Failure() {
    }

    /** A new uniform decrypt failure. */
    public static CiphertextException notAuthentic() {
        return new CiphertextException(Reason.CIPHERTEXT_INVALID, NOT_AUTHENTIC);
    }

    /** A new uniform decrypt failure keeping the cause (for {@code --debug}; causes never carry secrets). */
    public static CiphertextException notAuthentic(Throwable cause) {
        return new CiphertextException(Reason.CIPHERTEXT_INVALID, NOT_AUTHENTIC, cause);
    }
}
