package dev.coco4j.core.crypto;

import java.security.AlgorithmParameters;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Locale;

/**
 * A product-specific rule on the signature algorithm of a certificate or CRL, checked before its signature is
 * verified: AMD's chain must use RSASSA-PSS with SHA-384, MGF1-SHA-384 and a 48-byte salt; Intel's uses ECDSA with
 * SHA-256. Immutable.
 *
 * @param description what the rule requires, for error messages
 * @param algorithm the required signature algorithm family: {@code RSASSA-PSS}, {@code ECDSA} or {@code ANY}
 * @param hash the required digest name for PSS ({@code SHA-384}), or null
 * @param saltLength the required PSS salt length, or -1
 */
public record SignatureRule(String description, String algorithm, String hash, int saltLength) {

    /**
     * RSASSA-PSS with the given digest for both the message and MGF1, and the given salt length.
     *
     * @param hash the JCA digest name, e.g. {@code SHA-384}
     * @param saltLength the required PSS salt length in bytes
     * @return a rule accepting only that exact PSS parameter set
     */
    public static SignatureRule rsaPss(String hash, int saltLength) {
        return new SignatureRule("RSASSA-PSS " + hash + "/MGF1-" + hash + "/salt " + saltLength, "RSASSA-PSS",
                hash, saltLength);
    }

    /**
     * ECDSA with any digest the JDK verifies.
     *
     * @return a rule accepting any ECDSA signature algorithm
     */
    public static SignatureRule ecdsa() {
        return new SignatureRule("ECDSA", "ECDSA", null, -1);
    }

    /**
     * Any algorithm the JDK can verify (for chains whose profile is not fixed).
     *
     * @return a rule accepting every algorithm
     */
    public static SignatureRule any() {
        return new SignatureRule("any", "ANY", null, -1);
    }

    /**
     * True if the certificate's signature algorithm satisfies this rule.
     *
     * @param cert the certificate; not null
     * @return true if the certificate's algorithm and parameters satisfy this rule
     */
    public boolean accepts(X509Certificate cert) {
        return accepts(cert.getSigAlgName(), cert.getSigAlgParams());
    }

    /**
     * True if the CRL's signature algorithm satisfies this rule.
     *
     * @param crl the CRL; not null
     * @return true if the CRL's algorithm and parameters satisfy this rule
     */
    public boolean accepts(X509CRL crl) {
        return accepts(crl.getSigAlgName(), crl.getSigAlgParams());
    }

    private boolean accepts(String sigAlgName, byte[] params) {
        String name = sigAlgName.toUpperCase(Locale.ROOT);
        return switch (algorithm) {
            case "ANY" -> true;
            case "ECDSA" -> name.endsWith("WITHECDSA");
            case "RSASSA-PSS" -> name.equals("RSASSA-PSS") && pssMatches(params);
            default -> false;
        };
    }

    private boolean pssMatches(byte[] params) {
        if (params == null) {
            return false;
        }
        try {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("RSASSA-PSS");
            ap.init(params);
            PSSParameterSpec spec = ap.getParameterSpec(PSSParameterSpec.class);
            return normalise(spec.getDigestAlgorithm()).equals(normalise(hash))
                    && "MGF1".equalsIgnoreCase(spec.getMGFAlgorithm())
                    && spec.getMGFParameters() instanceof MGF1ParameterSpec mgf
                    && normalise(mgf.getDigestAlgorithm()).equals(normalise(hash))
                    && spec.getSaltLength() == saltLength
                    && spec.getTrailerField() == PSSParameterSpec.TRAILER_FIELD_BC;
        } catch (Exception e) {
            return false;
        }
    }

    private static String normalise(String digest) {
        return digest.toUpperCase(Locale.ROOT).replace("-", "");
    }
}
