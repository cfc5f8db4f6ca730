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

    /**
     * Records one event.
     *
     * @param event the event to record; not null, carries no plaintext or key material
     */
    void record(AuditEvent event);

    /**
     * Records the event, ignoring any exception the sink throws.
     *
     * @param sink the sink to call; not null
     * @param event the event to pass on; not null
     */
    static void safely(AuditSink sink, AuditEvent event) {
        try {
            sink.record(event);
        } catch (RuntimeException ignored) {
            // an audit sink must not change the outcome of a cryptographic operation
        }
    }
}
