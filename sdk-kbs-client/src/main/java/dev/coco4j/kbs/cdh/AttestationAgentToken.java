package dev.coco4j.kbs.cdh;

import java.util.Objects;
import java.util.Optional;

/**
 * An attestation token from the Attestation Agent ({@code GET /aa/token}): the token (a bearer credential) and, for
 * {@code kbs} tokens, the TEE key pair bound into it (PEM, private key included). Both are secrets:
 * {@link #toString()} shows neither.
 */
public final class AttestationAgentToken {
    private final String tokenType;
    private final String token;
    private final String teeKeyPair;

    AttestationAgentToken(String tokenType, String token, String teeKeyPair) {
        this.tokenType = Objects.requireNonNull(tokenType, "tokenType");
        this.token = Objects.requireNonNull(token, "token");
        this.teeKeyPair = teeKeyPair;
    }

    /**
     * The token type it was requested as ({@code kbs}, ...); not secret.
     *
     * @return the requested token type, never null
     */
    public String tokenType() {
        return tokenType;
    }

    /**
     * The token (usually a JWT); a credential, do not log it.
     *
     * @return the token exactly as the agent returned it, never null or empty
     */
    public String token() {
        return token;
    }

    /**
     * The TEE key pair (PEM) bound into the token, if the agent returned one; secret.
     *
     * @return the PEM text of the key pair (private key included), or empty if the agent returned none
     */
    public Optional<String> teeKeyPairPem() {
        return Optional.ofNullable(teeKeyPair);
    }

    @Override
    public String toString() {
        return "AttestationAgentToken[" + tokenType + ", " + token.length() + " chars"
                + (teeKeyPair == null ? "" : ", with TEE key pair") + ", content not shown]";
    }
}
