package dev.coco4j.core.crypto;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** Parsing of X.509 certificates and CRLs from DER or PEM (a PEM text may hold several), and fingerprints. */
public final class Certificates {
    private Certificates() {
    }

    private static CertificateFactory factory() {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("JDK lacks X.509", e);
        }
    }

    /**
     * Every certificate in DER or PEM bytes, in file order.
     *
     * @param derOrPem one or more DER certificates or PEM blocks; not null, not modified
     * @return an unmodifiable list of at least one certificate
     * @throws ConfigurationException with {@link Reason#MALFORMED_EVIDENCE} if the bytes hold no parseable certificate
     */
    public static List<X509Certificate> parseAll(byte[] derOrPem) {
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : factory().generateCertificates(new ByteArrayInputStream(derOrPem))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new ConfigurationException(Reason.MALFORMED_EVIDENCE, "no certificate found");
            }
            return List.copyOf(out);
        } catch (CertificateException | RuntimeException e) {
            if (e instanceof ConfigurationException ce) {
                throw ce;
            }
            throw new ConfigurationException(Reason.MALFORMED_EVIDENCE, "not a DER or PEM X.509 certificate", e);
        }
    }

    /**
     * The first certificate in DER or PEM bytes.
     *
     * @param derOrPem one or more DER certificates or PEM blocks; not null, not modified
     * @return the first certificate; any others are ignored
     * @throws ConfigurationException with {@link Reason#MALFORMED_EVIDENCE} if the bytes hold no parseable certificate
     */
    public static X509Certificate parse(byte[] derOrPem) {
        return parseAll(derOrPem).getFirst();
    }

    /**
     * A CRL from DER or PEM bytes.
     *
     * @param derOrPem a DER or PEM CRL; not null, not modified
     * @return the parsed CRL (not yet verified)
     * @throws ConfigurationException with {@link Reason#MALFORMED_EVIDENCE} if the bytes are not a CRL
     */
    public static X509CRL parseCrl(byte[] derOrPem) {
        try {
            return (X509CRL) factory().generateCRL(new ByteArrayInputStream(derOrPem));
        } catch (CRLException | RuntimeException e) {
            throw new ConfigurationException(Reason.MALFORMED_EVIDENCE, "not a DER or PEM X.509 CRL", e);
        }
    }

    /**
     * Lower-case hex SHA-256 over the certificate's DER encoding.
     *
     * @param cert the certificate; not null
     * @return 64 lower-case hex digits
     */
    public static String sha256Fingerprint(X509Certificate cert) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * PEM text of one certificate.
     *
     * @param cert the certificate; not null
     * @return a {@code BEGIN CERTIFICATE} block with 64-column base64 and a trailing newline
     */
    public static String toPem(X509Certificate cert) {
        try {
            String b64 = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded());
            return "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
