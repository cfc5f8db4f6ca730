package dev.coco4j.gpu.rim;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.CertificateChainVerifier;
import dev.coco4j.core.crypto.SignatureRule;
import dev.coco4j.gpu.verify.OcspChecks;
import dev.coco4j.gpu.verify.OcspClient;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMValidateContext;
import javax.xml.crypto.KeySelector;

/**
 * Verifies a RIM, in this order:
 * <ol>
 *   <li>parse it securely ({@link RimParser}; {@link Reason#RIM_INVALID});</li>
 *   <li>the signing chain from KeyInfo/X509Data (leaf first; an embedded self-signed root is dropped) must chain to
 *       the pinned RIM root under ECDSA, every certificate valid at the instant ({@link Reason#CHAIN_INVALID},
 *       {@link Reason#CERT_EXPIRED} — RIM signer certificates live about two years);</li>
 *   <li>the enveloped XMLDSig signature, validated with the JDK's {@code javax.xml.crypto.dsig} (secure validation
 *       on) using the leaf certificate's key: exactly one Reference, with {@code URI=""} (the whole document),
 *       enveloped-signature transform, C14N 1.1 and ECDSA-SHA384 as NVIDIA signs ({@link Reason#RIM_INVALID});</li>
 *   <li>when online, OCSP for certificates 0..n-2 (as NVIDIA does); offline, a warning says it was not checked.</li>
 * </ol>
 * Immutable and thread-safe.
 */
public final class RimVerifier {
    /** The canonicalization NVIDIA uses: C14N 1.1. */
    public static final String C14N_11 = "http://www.w3.org/2006/12/xml-c14n11";
    /** The signature method NVIDIA uses. */
    public static final String ECDSA_SHA384 = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384";

    private final RimTrustRoots roots;
    private final OcspClient ocsp;
    private final boolean offline;
    private final boolean allowCertificateHold;

    private RimVerifier(Builder b) {
        this.roots = b.roots;
        this.ocsp = b.ocsp;
        this.offline = b.offline;
        this.allowCertificateHold = b.allowCertificateHold;
    }

    /**
     * A builder: NVIDIA's pinned RIM root, online (an OCSP client is then required).
     *
     * @return a new builder; set {@link Builder#ocspClient} or {@link Builder#offline} before {@link Builder#build()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies a RIM and returns its manifest.
     *
     * @param warnings receives non-fatal conditions (OCSP not checked, tolerated hold)
     * @param xml the raw SWID XML as a {@link RimSource} returned it; at most {@value RimParser#MAX_LENGTH} bytes
     * @param at the instant the signer chain must be valid at, and the OCSP check instant; must not be {@code null}
     * @return the verified manifest; returned only when every check passed
     * @throws AttestationException RIM_INVALID, CHAIN_INVALID, CERT_EXPIRED, REVOKED
     */
    public ReferenceManifest verify(byte[] xml, Instant at, List<String> warnings) {
        Objects.requireNonNull(at, "at");
        RimParser.Parsed parsed = RimParser.parseDocument(xml);
        List<X509Certificate> path = verifyChain(parsed.manifest().signerChain(), at);
        verifySignature(parsed, path.getFirst());
        if (offline) {
            warnings.add("OCSP not checked (offline): RIM '" + parsed.manifest().colloquialVersion()
                    + "' signer revocation is unknown");
        } else {
            OcspChecks.check(ocsp, path, 0, path.size() - 2, at, allowCertificateHold, warnings);
        }
        return parsed.manifest();
    }

    /**
     * As {@link #verify(byte[], Instant, List)}, discarding warnings; only for offline use in tests and tools.
     *
     * @param xml the raw SWID XML as a {@link RimSource} returned it
     * @param at the instant the signer chain must be valid at; must not be {@code null}
     * @return the verified manifest
     * @throws AttestationException as {@link #verify(byte[], Instant, List)}
     */
    public ReferenceManifest verify(byte[] xml, Instant at) {
        return verify(xml, at, new ArrayList<>());
    }

    private List<X509Certificate> verifyChain(List<X509Certificate> chain, Instant at) {
        List<X509Certificate> certs = new ArrayList<>(chain);
        while (!certs.isEmpty() && selfSigned(certs.getLast())) {
            certs.removeLast();
        }
        if (certs.isEmpty()) {
            throw new AttestationException(Reason.CHAIN_INVALID, "the RIM carries no signer certificate below a root");
        }
        CertificateChainVerifier.verifyChain(certs, roots.rimRoot(), SignatureRule.ecdsa(), at);
        certs.add(roots.rimRoot());
        return List.copyOf(certs);
    }

    private static boolean selfSigned(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return false;
        }
        try {
            c.verify(c.getPublicKey());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static void verifySignature(RimParser.Parsed parsed, X509Certificate signer) {
        boolean valid;
        try {
            XMLSignatureFactory fac = XMLSignatureFactory.getInstance("DOM");
            DOMValidateContext ctx = new DOMValidateContext(KeySelector.singletonKeySelector(signer.getPublicKey()),
                    parsed.signature());
            ctx.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
            XMLSignature sig = fac.unmarshalXMLSignature(ctx);
            var si = sig.getSignedInfo();
            if (!ECDSA_SHA384.equals(si.getSignatureMethod().getAlgorithm())) {
                throw RimParser.invalid("RIM signature method " + si.getSignatureMethod().getAlgorithm()
                        + " is not ECDSA-SHA384");
            }
            if (!C14N_11.equals(si.getCanonicalizationMethod().getAlgorithm())
                    && !CanonicalizationMethod.INCLUSIVE.equals(si.getCanonicalizationMethod().getAlgorithm())) {
                throw RimParser.invalid("unexpected RIM canonicalization "
                        + si.getCanonicalizationMethod().getAlgorithm());
            }
            if (si.getReferences().size() != 1) {
                throw RimParser.invalid("RIM signature must have exactly one reference");
            }
            Reference ref = (Reference) si.getReferences().getFirst();
            if (ref.getURI() == null || !ref.getURI().isEmpty()) {
                throw RimParser.invalid("RIM signature reference must cover the whole document (URI=\"\")");
            }
            boolean enveloped = ref.getTransforms().stream()
                    .anyMatch(t -> Transform.ENVELOPED.equals(((Transform) t).getAlgorithm()));
            if (!enveloped) {
                throw RimParser.invalid("RIM signature is not an enveloped signature");
            }
            valid = sig.validate(ctx);
        } catch (AttestationException e) {
            throw e;
        } catch (Exception e) {
            throw new AttestationException(Reason.RIM_INVALID, "RIM signature cannot be validated: " + e.getMessage(),
                    e);
        }
        if (!valid) {
            throw new AttestationException(Reason.RIM_INVALID, "RIM XMLDSig signature does not verify");
        }
    }

    /** Builder for {@link RimVerifier}. */
    public static final class Builder {
        private RimTrustRoots roots = RimTrustRoots.nvidia();
        private OcspClient ocsp;
        private boolean offline;
        private boolean allowCertificateHold;

        private Builder() {
        }

        /**
         * The trust anchor (default: NVIDIA's pinned RIM root).
         *
         * @param roots the RIM trust anchor; must not be {@code null}
         * @return this builder
         */
        public Builder trustRoots(RimTrustRoots roots) {
            this.roots = Objects.requireNonNull(roots, "roots");
            return this;
        }

        /**
         * The OCSP client used when online.
         *
         * @param ocsp the client asked about the signer certificates; must not be {@code null}
         * @return this builder
         */
        public Builder ocspClient(OcspClient ocsp) {
            this.ocsp = Objects.requireNonNull(ocsp, "ocsp");
            return this;
        }

        /**
         * Offline: OCSP not checked, with a warning.
         *
         * @param offline {@code true} to skip OCSP with a warning, {@code false} (default) to require an OCSP client
         * @return this builder
         */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * Tolerate certificateHold with a warning (default false).
         *
         * @param allow {@code true} to turn an OCSP {@code certificateHold} into a warning, {@code false} to refuse it
         * @return this builder
         */
        public Builder allowCertificateHold(boolean allow) {
            this.allowCertificateHold = allow;
            return this;
        }

        /**
         * {@return a new {@code RimVerifier} with these settings}
         *
         * @throws ConfigurationException if online without an OCSP client
         */
        public RimVerifier build() {
            if (!offline && ocsp == null) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "an online RIM verifier needs an OCSP client (or offline(true))");
            }
            return new RimVerifier(this);
        }
    }
}
