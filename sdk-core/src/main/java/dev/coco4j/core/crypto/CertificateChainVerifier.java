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

    /** Checks the certificate's signature algorithm against the rule and its signature against {@code key}. */
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

    /** Refuses with {@link Reason#CERT_EXPIRED} if {@code at} is outside the certificate's validity. */
    public static void checkValidity(X509Certificate cert, Instant at) {
        Date when = Date.from(at);
        if (when.before(cert.getNotBefore()) || when.after(cert.getNotAfter())) {
            throw new AttestationException(Reason.CERT_EXPIRED, subjectName(cert) + " is valid from "
                    + cert.getNotBefore().toInstant() + " to " + cert.getNotAfter().toInstant() + ", not at " + at);
        }
    }

    /** True if both certificates have the same DER encoding. */
    public static boolean sameCertificate(X509Certificate a, X509Certificate b) {
        try {
            return MessageDigest.isEqual(a.getEncoded(), b.getEncoded());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The subject's CN, or the whole subject DN when it has none. */
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
