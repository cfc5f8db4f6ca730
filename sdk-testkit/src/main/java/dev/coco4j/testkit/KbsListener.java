package dev.coco4j.testkit;

/**
 * Observes the embedded KBS. Called on the HTTP worker thread after the outcome is decided and before the response
 * is written; must be thread-safe and quick. An exception thrown by a listener is logged and otherwise ignored — it
 * never changes a response. For development and tests, not production.
 */
@FunctionalInterface
public interface KbsListener {

    /**
     * Receives one event.
     *
     * @param event what happened, never null; carries no secrets
     */
    void onEvent(KbsEvent event);

    /**
     * A listener that does nothing (the default).
     *
     * @return a stateless listener that ignores every event
     */
    static KbsListener noOp() {
        return event -> { };
    }
}
