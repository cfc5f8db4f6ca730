package dev.coco4j.gpu.verify;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Asks an OCSP responder about one certificate and verifies the answer. Implementations must verify the response
 * signature with a responder certificate that chains to a certificate of {@code issuerPath}, and must check the
 * response's time window at {@code at}; they throw {@link dev.coco4j.core.CollateralException} with
 * {@link dev.coco4j.core.Reason#SERVICE_UNAVAILABLE} when the responder cannot be reached and
 * {@link dev.coco4j.core.AttestationException} (REVOKED is decided by the caller, not here) with
 * {@link dev.coco4j.core.Reason#SIGNATURE_INVALID} or {@link dev.coco4j.core.Reason#CHAIN_INVALID} for a response
 * that is not authentic. See {@link HttpOcspClient}.
 */
public interface OcspClient {
    /**
     * Checks {@code cert}.
     *
     * @param cert the certificate to check
     * @param issuerPath its issuer first, then the issuer's issuers up to the (pinned) root, all already verified
     * @param at the verification instant
     * @return the verified answer; never {@code null} (REVOKED and UNKNOWN are results, not exceptions)
     */
    OcspResult check(X509Certificate cert, List<X509Certificate> issuerPath, Instant at);
}
