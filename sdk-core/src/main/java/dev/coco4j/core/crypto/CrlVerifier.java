package dev.coco4j.core.crypto;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.security.GeneralSecurityException;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;

/**
 * Checks certificates against a CRL: the CRL must be issued and signed by the expected issuer under a
 * {@link SignatureRule} ({@link Reason#COLLATERAL_INVALID} otherwise), be within {@code [thisUpdate, nextUpdate]} at
 * the given instant ({@link Reason#COLLATERAL_EXPIRED}), and not list any checked certificate's serial
 * ({@link Reason#REVOKED}). Stateless and thread-safe.
 */
public final class CrlVerifier {
    private CrlVerifier() {
    }

    /**
     * Verifies the CRL and checks every certificate issued by {@code issuer} in {@code certs}.
     *
     * @param crl the CRL; not null
     * @param issuer the certificate that must have signed the CRL; not null
     * @param rule the signature algorithm the CRL must use; not null
     * @param at the instant the CRL must be current at; not null
     * @param certs the certificates to look up; those issued by someone else are skipped
     * @throws AttestationException with {@link Reason#COLLATERAL_INVALID} or {@link Reason#COLLATERAL_EXPIRED} as in
     *     {@link #verifyCrl}, or with {@link Reason#REVOKED} if a certificate is listed as revoked
     */
    public static void check(X509CRL crl, X509Certificate issuer, SignatureRule rule, Instant at,
                             X509Certificate... certs) {
        verifyCrl(crl, issuer, rule, at);
        for (X509Certificate c : certs) {
            if (!c.getIssuerX500Principal().equals(crl.getIssuerX500Principal())) {
                continue;
            }
            X509CRLEntry entry = crl.getRevokedCertificate(c.getSerialNumber());
            if (entry != null) {
                throw new AttestationException(Reason.REVOKED, CertificateChainVerifier.subjectName(c)
                        + " (serial " + c.getSerialNumber().toString(16) + ") was revoked on "
                        + entry.getRevocationDate().toInstant());
            }
        }
    }

    /**
     * Verifies the CRL's issuer name, algorithm, signature and update window.
     *
     * @param crl the CRL; not null
     * @param issuer the certificate that must have signed the CRL; not null
     * @param rule the signature algorithm the CRL must use; not null
     * @param at the instant that must lie between thisUpdate and nextUpdate; not null
     * @throws AttestationException with {@link Reason#COLLATERAL_INVALID} if the issuer name, algorithm or signature is
     *     wrong, or with {@link Reason#COLLATERAL_EXPIRED} if {@code at} is outside the update window or nextUpdate is
     *     missing
     */
    public static void verifyCrl(X509CRL crl, X509Certificate issuer, SignatureRule rule, Instant at) {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw new AttestationException(Reason.COLLATERAL_INVALID, "the CRL is issued by '"
                    + crl.getIssuerX500Principal().getName() + "', not by "
                    + CertificateChainVerifier.subjectName(issuer));
        }
        if (!rule.accepts(crl)) {
            throw new AttestationException(Reason.COLLATERAL_INVALID, "the CRL is signed with " + crl.getSigAlgName()
                    + ", but " + rule.description() + " is required");
        }
        try {
            crl.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new AttestationException(Reason.COLLATERAL_INVALID, "the CRL's signature does not verify");
        }
        Date when = Date.from(at);
        Date next = crl.getNextUpdate();
        if (when.before(crl.getThisUpdate()) || next == null || when.after(next)) {
            throw new AttestationException(Reason.COLLATERAL_EXPIRED, "the CRL is valid from "
                    + crl.getThisUpdate().toInstant() + " to " + (next == null ? "(no nextUpdate)" : next.toInstant())
                    + ", not at " + at);
        }
    }
}
