package dev.coco4j.core;

import java.util.List;

/** The SDK was configured or called incorrectly. */
public final class ConfigurationException extends CocoException {

    /** Creates the exception with one failure. */
    public ConfigurationException(Reason reason, String detail) {
        super(reason, detail, null);
    }

    /** Creates the exception with one failure and its cause. */
    public ConfigurationException(Reason reason, String detail, Throwable cause) {
        super(reason, detail, cause);
    }

    /** Creates the exception reporting several failed checks at once; the first is the primary reason. */
    public ConfigurationException(List<Failure> failures) {
        super(failures, null);
    }
}
