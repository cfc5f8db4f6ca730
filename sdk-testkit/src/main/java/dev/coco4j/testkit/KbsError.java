package dev.coco4j.testkit;

/**
 * Trustee's error bodies: {@code {"type":"https://github.com/confidential-containers/kbs/errors/<Variant>",
 * "detail":"..."}} where {@code <Variant>} is the Rust enum variant of {@code kbs/src/error.rs}; status 404 only for
 * {@code InvalidRequestPath} and {@code PluginNotFound}, 401 for everything else.
 */
enum KbsError {
    AdminAuthInitialization(401),
    AttestationError(401),
    InvalidRequestPath(404),
    JweError(401),
    PluginNotFound(404),
    PluginInternalError(401),
    PolicyDeny(401),
    TokenNotFound(401),
    TokenVerifierError(401);

    static final String TYPE_PREFIX = "https://github.com/confidential-containers/kbs/errors/";

    private final int status;

    KbsError(int status) {
        this.status = status;
    }

    int status() {
        return status;
    }

    String type() {
        return TYPE_PREFIX + name();
    }
}
