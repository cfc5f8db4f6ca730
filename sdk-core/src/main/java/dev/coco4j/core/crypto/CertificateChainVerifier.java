package dev.coco4j.core.crypto;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Verifies certificate chains to a pinned trust anchor under a product-specific {@link SignatureRule}: issuer names
 * link, every issuer is a CA, every signature uses the required algorithm and verifies, and every certificate is within
 * its validity at the given instant (which callers take from an injected {@link java.time.Clock}).
 *
 * <p>Stateless and thread-safe. Failures are {@link AttestationException}s: {@link Reason#CHAIN_INVALID} for a broken
 * link or a wrong algorithm, {@link Reason#CERT_EXPIRED} for validity.
 */
public final class CertificateChainVerifier {
    private CertificateChainVerifier() {
    }

    /**
     * Checks that {@code cert} was issued by {@code issuer}: names link, the issuer is a CA, the algorithm satisfies
     * the rule and the signature verifies with the issuer's key. Validity is not checked here.
     *
     * @param cert the certificate to check; not null
     * @param issuer the certificate claimed to have issued it; not null
     * @param rule the signature algorithm {@code cert} must be signed with; not null
     * @throws AttestationException with {@link Reason#CHAIN_INVALID} if the names do not link, the issuer is not a CA
     *     with {@code keyCertSign}, the algorithm breaks the rule or the signature does not verify
     */
    public static void verifyIssuedBy(X509Certificate cert, X509Certificate issuer, SignatureRule rule) {
        String who = subjectName(cert);
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw chain(who + " names issuer '" + cert.getIssuerX500Principal().getName() + "' but the issuing "
                    + "certificate is '" + issuer.getSubjectX500Principal().getName() + "'");
        }
        if (issuer.getBasicConstraints() < 0) {
            throw chain(subjectName(issuer) + " is not a CA certificate but issued " + who);
        }
        boolean[] ku = issuer.getKeyUsage();
        if (ku != null && ku.length > 5 && !ku[5]) {
            throw chain(subjectName(issuer) + " lacks the keyCertSign key usage");
        }
        verifySignature(cert, issuer.getPublicKey(), rule);
    }

    /**
     * Checks the certificate's signature algorithm against the rule and its signature against {@code key}.
     *
     * @param cert the certificate whose signature is checked; not null
     * @param key the issuer's public key; not null
     * @param rule the signature algorithm the certificate must use; not null
     * @throws AttestationException with {@link Reason#CHAIN_INVALID} if the algorithm breaks the rule or the signature
     *     does not verify
     */
    public static void verifySignature(X509Certificate cert, PublicKey key, SignatureRule rule) {
        String who = subjectName(cert);
        if (!rule.accepts(cert)) {
            throw chain(who + " is signed with " + cert.getSigAlgName() + ", but " + rule.description()
                    + " is required");
        }
        try {
            cert.verify(key);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw chain("the signature on " + who + " does not verify with its issuer's key");
        }
    }

    /**
     * Verifies a whole chain: {@code leafFirst.get(i)} is issued by {@code leafFirst.get(i+1)}, the last one is
     * issued by (or byte-identical to) {@code anchor}, the anchor is self-signed, and every certificate including the
     * anchor is valid at {@code at}.
     *
     * @param leafFirst the chain without or with the anchor at its end, leaf first; not empty, not modified
     * @param anchor the trusted, self-signed root; not null
     * @param rule the signature algorithm every certificate, the anchor's self-signature included, must use
     * @param at the instant every certificate must be valid at; not null
     * @throws AttestationException with {@link Reason#CHAIN_INVALID} if the chain is empty or a link does not verify,
     *     or with {@link Reason#CERT_EXPIRED} if a certificate is not valid at {@code at}
     */
    public static void verifyChain(List<X509Certificate> leafFirst, X509Certificate anchor, SignatureRule rule,
                                   Instant at) {
        if (leafFirst.isEmpty()) {
            throw chain("empty certificate chain");
        }
        verifyIssuedBy(anchor, anchor, rule);
        checkValidity(anchor, at);
        for (int i = 0; i < leafFirst.size(); i++) {
            X509Certificate c = leafFirst.get(i);
            boolean last = i == leafFirst.size() - 1;
            if (last && sameCertificate(c, anchor)) {
                break;
            }
            X509Certificate issuer = last ? anchor : leafFirst.get(i + 1);
            verifyIssuedBy(c, issuer, rule);
            checkValidity(c, at);
        }
    }

    /**
     * Refuses with {@link Reason#CERT_EXPIRED} if {@code at} is outside the certificate's validity.
     *
     * @param cert the certificate to check; not null
     * @param at the instant of interest; not null
     * @throws AttestationException with {@link Reason#CERT_EXPIRED} if {@code at} is before notBefore or after notAfter
     */
    public static void checkValidity(X509Certificate cert, Instant at) {
        Date when = Date.from(at);
        if (when.before(cert.getNotBefore()) || when.after(cert.getNotAfter())) {
            throw new AttestationException(Reason.CERT_EXPIRED, subjectName(cert) + " is valid from "
                    + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant() + ", not at " + at);
        }
    }

    /**
     * True if both certificates have the same DER encoding.
     *
     * @param a a certificate; not null
     * @param b another certificate; not null
     * @return true if the encodings are byte-identical; false also if either cannot be encoded
     */
    public static boolean sameCertificate(X509Certificate a, X509Certificate b) {
        try {
            return MessageDigest.isEqual(a.getEncoded(), b.getEncoded());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The subject's CN, or the whole subject DN when it has none.
     *
     * @param cert the certificate; not null
     * @return the CN in single quotes, or the whole subject DN, for use in messages
     */
    public static String subjectName(X509Certificate cert) {
        String dn = cert.getSubjectX500Principal().getName();
        for (String part : dn.split(",")) {
            String p = part.trim();
            if (p.startsWith("CN=")) {
                return "'" + p.substring(3) + "'";
            }
        }
        return "'" + dn + "'";
    }

    private static AttestationException chain(String detail) {
        return new AttestationException(Reason.CHAIN_INVALID, detail);
    }
}
