package dev.coco4j.testkit;

import dev.coco4j.core.Reason;
import java.util.Objects;

/**
 * What the embedded KBS did, for a {@link KbsListener}. Events carry identifiers and outcomes only — a session
 * <em>tag</em> (a short one-way digest of the session cookie, never the cookie itself), the TEE name, the resource
 * path and a {@link Reason} — never nonces, tokens, keys or resource bytes. For development and tests, not production.
 */
public sealed interface KbsEvent {

    /** The session tag: 12 hex digits of SHA-256 of the session id, or {@code "-"} when there was no session. */
    String session();

    /** {@code POST /auth} created a session and issued a challenge. */
    record AuthIssued(String session, String tee) implements KbsEvent {
        /** Checks for nulls. */
        public AuthIssued {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(tee, "tee");
        }
    }

    /** {@code POST /auth} was refused (protocol version mismatch, malformed request, unknown TEE). */
    record AuthRefused(String session, Reason reason) implements KbsEvent {
        /** Checks for nulls. */
        public AuthRefused {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** {@code POST /attest} verified the evidence and issued a token. */
    record AttestationAccepted(String session, String tee) implements KbsEvent {
        /** Checks for nulls. */
        public AttestationAccepted {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(tee, "tee");
        }
    }

    /** {@code POST /attest} refused the evidence; no token was issued. */
    record AttestationRefused(String session, String tee, Reason reason) implements KbsEvent {
        /** Checks for nulls. */
        public AttestationRefused {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(tee, "tee");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** A resource was released, encrypted to the attested TEE key. */
    record ResourceReleased(String session, ResourcePath path) implements KbsEvent {
        /** Checks for nulls. */
        public ResourceReleased {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * A resource request was refused; no resource bytes were sent. {@code path} is null when the request path itself
     * was invalid.
     */
    record ResourceDenied(String session, ResourcePath path, Reason reason) implements KbsEvent {
        /** Checks for nulls ({@code path} may be null). */
        public ResourceDenied {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
