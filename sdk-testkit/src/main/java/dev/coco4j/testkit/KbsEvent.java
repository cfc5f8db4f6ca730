package dev.coco4j.testkit;

import dev.coco4j.core.Reason;
import java.util.Objects;

/**
 * What the embedded KBS did, for a {@link KbsListener}. Events carry identifiers and outcomes only — a session
 * <em>tag</em> (a short one-way digest of the session cookie, never the cookie itself), the TEE name, the resource
 * path and a {@link Reason} — never nonces, tokens, keys or resource bytes. For development and tests, not production.
 */
public sealed interface KbsEvent {

    /**
     * The session tag: 12 hex digits of SHA-256 of the session id, or {@code "-"} when there was no session.
     *
     * @return the tag, never null; safe to log, it cannot be turned back into the session cookie
     */
    String session();

    /**
     * {@code POST /auth} created a session and issued a challenge.
     *
     * @param session the tag of the new session
     * @param tee the TEE name the client's request announced, as sent (e.g. {@code snp}, {@code tdx})
     */
    record AuthIssued(String session, String tee) implements KbsEvent {
        /** Checks for nulls. */
        public AuthIssued {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(tee, "tee");
        }
    }

    /**
     * {@code POST /auth} was refused (protocol version mismatch, malformed request, unknown TEE).
     *
     * @param session {@code "-"}: a refused request gets no session
     * @param reason why, e.g. {@link Reason#PROTOCOL_VERSION_MISMATCH} or {@link Reason#MALFORMED_EVIDENCE}
     */
    record AuthRefused(String session, Reason reason) implements KbsEvent {
        /** Checks for nulls. */
        public AuthRefused {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * {@code POST /attest} verified the evidence and issued a token.
     *
     * @param session the tag of the session that is now attested
     * @param tee the TEE name announced at {@code /auth} for this session
     */
    record AttestationAccepted(String session, String tee) implements KbsEvent {
        /** Checks for nulls. */
        public AttestationAccepted {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(tee, "tee");
        }
    }

    /**
     * {@code POST /attest} refused the evidence; no token was issued.
     *
     * @param session the session tag, {@code "-"} when the request carried no valid session cookie
     * @param tee the TEE name announced at {@code /auth}, {@code "-"} when there was no session
     * @param reason why the evidence was refused, e.g. {@link Reason#NONCE_MISMATCH} for a missing or expired
     *     session
     */
    record AttestationRefused(String session, String tee, Reason reason) implements KbsEvent {
        /** Checks for nulls. */
        public AttestationRefused {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(tee, "tee");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A resource was released, encrypted to the attested TEE key.
     *
     * @param session the session tag, {@code "-"} when the caller used a bearer token instead of a session cookie
     * @param path the released resource
     */
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
     *
     * @param session the session tag, {@code "-"} when there was no session (bearer token or no credentials)
     * @param path the requested resource, null when the request path itself was invalid
     * @param reason why: {@link Reason#KEY_RELEASE_DENIED} (policy denial or no credentials),
     *     {@link Reason#SIGNATURE_INVALID} (bearer token not accepted), {@link Reason#RESOURCE_NOT_FOUND} or
     *     {@link Reason#CONFIGURATION} (invalid path, or the resource could not be encrypted to the TEE key)
     */
    record ResourceDenied(String session, ResourcePath path, Reason reason) implements KbsEvent {
        /** Checks for nulls ({@code path} may be null). */
        public ResourceDenied {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
