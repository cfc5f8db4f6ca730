package dev.coco4j.core;

/**
 * Stable reason codes for every refusal or failure coco4j reports. The names are a public contract (scripts read them
 * from the CLI's first stderr line and from {@code --json} output): new names may be added, existing ones keep their
 * meaning. {@link #exitCode()} gives the CLI exit status each reason maps to.
 */
public enum Reason {
    /**
     * The evidence bytes, or a protocol message carrying them, are not a well-formed structure (wrong length, bad
     * field, truncated, not JSON).
     */
    MALFORMED_EVIDENCE(2),
    /** The structure declares a version this SDK does not implement. */
    UNSUPPORTED_VERSION(2),
    /** A signature over evidence or collateral does not verify. */
    SIGNATURE_INVALID(1),
    /** A certificate chain does not lead to the trusted root, or a certificate breaks a product rule. */
    CHAIN_INVALID(1),
    /** A certificate is outside its validity period at the verification instant. */
    CERT_EXPIRED(1),
    /** A certificate in the chain is listed on its issuer's CRL. */
    REVOKED(1),
    /** The evidence says one kind of signing key signed it, but another kind was supplied (e.g. VCEK vs VLEK). */
    SIGNER_KIND_MISMATCH(1),
    /** The chip identifier in the evidence does not match the one in the endorsement key certificate. */
    CHIP_ID_MISMATCH(1),
    /** TCB values in the evidence do not match those certified by the endorsement key. */
    TCB_MISMATCH(1),
    /** The platform's TCB is not covered by the vendor's TCB information. */
    TCB_NOT_SUPPORTED(1),
    /** The platform's TCB status is not among the accepted ones. */
    TCB_STATUS_REJECTED(1),
    /** The quoting enclave's identity does not match the vendor's QE identity collateral. */
    QE_IDENTITY_MISMATCH(1),
    /** Collateral (TCB info, CRL, RIM, ...) is malformed or not signed by the expected authority. */
    COLLATERAL_INVALID(1),
    /** Collateral is outside its validity window at the verification instant. */
    COLLATERAL_EXPIRED(1),
    /** Needed collateral could not be obtained: offline and not supplied, or the service failed. */
    COLLATERAL_UNAVAILABLE(3),
    /** A freshness nonce in the evidence differs from the expected one. */
    NONCE_MISMATCH(1),
    /** The report-data field differs from the expected value. */
    REPORT_DATA_MISMATCH(1),
    /** A TPM quote's PCR digest does not match the digest of the reported PCR values. */
    PCR_DIGEST_MISMATCH(1),
    /** A measurement differs from the expected (reference) value. */
    MEASUREMENT_MISMATCH(1),
    /** A reference integrity manifest could not be found. */
    RIM_NOT_FOUND(3),
    /** A reference integrity manifest is malformed or its signature or chain is invalid. */
    RIM_INVALID(1),
    /** Verified evidence violates the caller's policy (debug, VMPL, minimum TCB, ...). */
    POLICY_VIOLATION(1),
    /** The peer speaks a protocol version this client does not support. */
    PROTOCOL_VERSION_MISMATCH(1),
    /** The key broker refused to release the requested secret. */
    KEY_RELEASE_DENIED(1),
    /** The requested resource does not exist. */
    RESOURCE_NOT_FOUND(1),
    /** The server's TLS certificate is not trusted. */
    TLS_UNTRUSTED(1),
    /** A needed service is unreachable, timed out or answered with a server error. */
    SERVICE_UNAVAILABLE(3),
    /** A ciphertext is not authentic or not well formed. */
    CIPHERTEXT_INVALID(1),
    /** The SDK was configured or called incorrectly (missing option, bad file, unusable key). */
    CONFIGURATION(2);

    private final int exitCode;

    Reason(int exitCode) {
        this.exitCode = exitCode;
    }

    /**
     * The {@code coco4j} CLI exit status for this reason: 1 refused, 2 usage or input error, 3 service unavailable.
     *
     * @return 1, 2 or 3 as described above
     */
    public int exitCode() {
        return exitCode;
    }
}
