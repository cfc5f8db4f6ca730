package dev.coco4j.kbs.internal;

import java.time.Instant;

/**
 * One attested session: the TEE key bound into the evidence, the {@code kbs-session-id} cookie (null in passport
 * mode) and the token with its expiry. The token is a bearer credential and is never printed.
 *
 * @param key the TEE key pair
 * @param cookie the session cookie value, or null
 * @param token the attestation token
 * @param expiresAt when the token expires (from its {@code exp})
 * @param renewable false in passport mode (the token came from elsewhere; no handshake can renew it)
 */
public record KbsSession(TeeKeyPair key, String cookie, String token, Instant expiresAt, boolean renewable) {
    /**
     * True if the token is still good at {@code now} (callers subtract their skew).
     *
     * @param now the instant to test, usually the clock's now plus the caller's skew
     * @return true if the key is not destroyed and {@code now} is before {@link #expiresAt()}
     */
    public boolean validAt(Instant now) {
        return !key.isDestroyed() && now.isBefore(expiresAt);
    }

    @Override
    public String toString() {
        return "KbsSession[expiresAt=" + expiresAt + ", token and key not shown]";
    }
}
