package dev.coco4j.kbs.protocol;

import java.util.Optional;

/**
 * The error variants Trustee's KBS puts in {@link ErrorInformation#type()} ({@code kbs/src/error.rs}): the type URI is
 * {@value #PREFIX} followed by the Rust variant name. Status codes are 404 only for {@link #INVALID_REQUEST_PATH} and
 * {@link #PLUGIN_NOT_FOUND}; everything else, policy denials and missing resources included, is 401.
 */
public enum ErrorType {
    /** Admin authentication could not be initialised (also what resource POST/DELETE report for a bad admin token). */
    ADMIN_AUTH_INITIALIZATION("AdminAuthInitialization"),
    /** Admin authentication refused the request. */
    ADMIN_AUTH_ACCESS("AdminAuthAccess"),
    /** The RCAR handshake failed (including a protocol version mismatch, told apart by its detail). */
    ATTESTATION_ERROR("AttestationError"),
    /** An HTTP server failure. */
    HTTP_FAILED("HTTPFailed"),
    /** An HTTPS server failure. */
    HTTPS_FAILED("HTTPSFailed"),
    /** The request path is not a valid KBS path (404). */
    INVALID_REQUEST_PATH("InvalidRequestPath"),
    /** The resource could not be encrypted to the TEE key. */
    JWE_ERROR("JweError"),
    /** The plugin manager failed to start. */
    PLUGIN_MANAGER_INITIALIZATION("PluginManagerInitialization"),
    /** No plugin serves the first path segment (404). */
    PLUGIN_NOT_FOUND("PluginNotFound"),
    /** A plugin failed; for the resource plugin this is also how a missing resource is reported (401). */
    PLUGIN_INTERNAL_ERROR("PluginInternalError"),
    /** The resource policy denied the request. */
    POLICY_DENY("PolicyDeny"),
    /** A policy could not be parsed. */
    PARSE_POLICY_ERROR("ParsePolicyError"),
    /** The policy engine failed. */
    POLICY_ENGINE_ERROR("PolicyEngineError"),
    /** The reference value provider failed. */
    RVPS_ERROR("RvpsError"),
    /** A body could not be (de)serialised. */
    SERDE_ERROR("SerdeError"),
    /** The storage backend failed to start. */
    STORAGE_BACKEND_INITIALIZATION("StorageBackendInitialization"),
    /** No attestation token came with the request (no session, no Bearer). */
    TOKEN_NOT_FOUND("TokenNotFound"),
    /** The attestation token did not verify (expired, unknown signer, ...). */
    TOKEN_VERIFIER_ERROR("TokenVerifierError"),
    /** Metrics failure. */
    PROMETHEUS_ERROR("PrometheusError");

    /** The prefix of every type URI. */
    public static final String PREFIX = "https://github.com/confidential-containers/kbs/errors/";

    private final String variant;

    ErrorType(String variant) {
        this.variant = variant;
    }

    /**
     * The Rust variant name ({@code PolicyDeny}, ...).
     *
     * @return the variant name, e.g. {@code PolicyDeny}
     */
    public String variant() {
        return variant;
    }

    /**
     * The full type URI.
     *
     * @return {@value #PREFIX} followed by the variant name
     */
    public String typeUri() {
        return PREFIX + variant;
    }

    /**
     * The HTTP status Trustee sends with this type: 404 for the two path errors, 401 for every other.
     *
     * @return 404 or 401
     */
    public int httpStatus() {
        return this == INVALID_REQUEST_PATH || this == PLUGIN_NOT_FOUND ? 404 : 401;
    }

    /**
     * The known variant a type URI (or bare variant name) names; empty for unknown or legacy names.
     *
     * @param type a type URI or bare variant name; null allowed (gives empty); only the text after the last {@code /}
     *     is compared, case-sensitively
     * @return the variant, or empty
     */
    public static Optional<ErrorType> fromType(String type) {
        if (type == null) {
            return Optional.empty();
        }
        String v = type.substring(type.lastIndexOf('/') + 1);
        for (ErrorType t : values()) {
            if (t.variant.equals(v)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
