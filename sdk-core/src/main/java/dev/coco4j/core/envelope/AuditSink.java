package dev.coco4j.core.envelope;

/**
 * Receives {@link AuditEvent}s (HIPAA §164.312(b) audit controls): data keys generated, unwrapped and re-wrapped,
 * refused decryptions and destroyed KEKs. Called synchronously on the thread doing the work, so implementations
 * should be quick and must not throw; an exception thrown by a sink is ignored. {@link #NONE} is the default.
 */
@FunctionalInterface
public interface AuditSink {
    /** Discards every event. */
    AuditSink NONE = event -> { };

    /** Records one event. */
    void record(AuditEvent event);

    /** Records the event, ignoring any exception the sink throws. */
    static void safely(AuditSink sink, AuditEvent event) {
        try {
            sink.record(event);
        } catch (RuntimeException ignored) {
            // an audit sink must not change the outcome of a cryptographic operation
        }
    }
}
