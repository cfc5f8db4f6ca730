package dev.coco4j.gpu.verify;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.CertificateChainVerifier;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Applies NVIDIA's OCSP rules to a verified path: each checked certificate must be {@link OcspStatus#GOOD};
 * {@link OcspStatus#REVOKED} or {@link OcspStatus#UNKNOWN} is {@link Reason#REVOKED}, except certificateHold when the
 * caller allows it, which becomes a warning. Used for device chains (certificates 1..n-2) and RIM chains (0..n-2).
 */
public final class OcspChecks {
    private OcspChecks() {
    }

    /**
     * Checks {@code path.get(from) .. path.get(toInclusive)}; the issuer path of certificate i is
     * {@code path.subList(i+1, size)}.
     *
     * @param client the OCSP client to ask; must not be {@code null}
     * @param path a verified path, leaf first, ending with the pinned root
     * @param from the index of the first certificate to check, 0-based
     * @param toInclusive the index of the last certificate to check; nothing is checked if it is below {@code from}
     * @param at the verification instant passed to the OCSP client
     * @param allowCertificateHold {@code true} to turn {@code certificateHold} into a warning, {@code false} to refuse
     *     it
     * @param warnings receives a warning per tolerated hold
     * @throws AttestationException {@link Reason#REVOKED} for a revoked certificate (hold included unless allowed) or
     *     one the responder does not know; the client's own exceptions pass through
     */
    public static void check(OcspClient client, List<X509Certificate> path, int from, int toInclusive, Instant at,
                             boolean allowCertificateHold, List<String> warnings) {
        for (int i = from; i <= toInclusive; i++) {
            X509Certificate cert = path.get(i);
            OcspResult r = client.check(cert, path.subList(i + 1, path.size()), at);
            String who = CertificateChainVerifier.subjectName(cert);
            switch (r.status()) {
                case GOOD -> {
                }
                case REVOKED -> {
                    if (r.isOnHold() && allowCertificateHold) {
                        warnings.add(who + " is on hold (certificateHold), tolerated by configuration");
                    } else {
                        throw new AttestationException(Reason.REVOKED, who + " is revoked (reason "
                                + r.revocationReason() + ")");
                    }
                }
                case UNKNOWN -> throw new AttestationException(Reason.REVOKED, "the OCSP responder does not know "
                        + who);
                default -> throw new IllegalStateException();
            }
        }
    }
}
