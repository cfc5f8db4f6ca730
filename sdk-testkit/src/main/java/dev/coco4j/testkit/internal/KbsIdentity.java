package dev.coco4j.testkit.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The embedded KBS's identities, all generated fresh per instance and never persisted: a self-signed P-256 CA, a TLS
 * server certificate it issues for the loopback names, and a token-signing certificate it issues (the EAR token's
 * {@code x5c}). Clients trust {@link #caCertificate()} for both TLS and tokens. Private keys never leave this object.
 */
public final class KbsIdentity {
    private final X509Certificate ca;
    private final X509Certificate tlsCert;
    private final KeyPair tlsKeys;
    private final X509Certificate tokenCert;
    private final KeyPair tokenKeys;

    private KbsIdentity(X509Certificate ca, X509Certificate tlsCert, KeyPair tlsKeys, X509Certificate tokenCert,
                        KeyPair tokenKeys) {
        this.ca = ca;
        this.tlsCert = tlsCert;
        this.tlsKeys = tlsKeys;
        this.tokenCert = tokenCert;
        this.tokenKeys = tokenKeys;
    }

    /**
     * Generates the CA and both leaf certificates, valid from one hour before {@code now} for {@code days} days.
     *
     * @param now the issue instant (the KBS clock's), not null
     * @param days how many days after {@code now} the certificates stay valid, positive
     * @param host the bound address, added as an IP SAN besides {@code localhost} and the loopback addresses
     * @param random the randomness for the three P-256 key pairs and the serial numbers, not null
     * @return a fresh identity: CA, TLS server and token-signing certificates with their keys
     * @throws IllegalStateException if the JDK or Bouncy Castle cannot generate a key or certificate
     */
    public static KbsIdentity generate(Instant now, int days, InetAddress host, SecureRandom random) {
        try {
            KeyPair caKeys = p256(random);
            KeyPair tlsKeys = p256(random);
            KeyPair tokenKeys = p256(random);
            Instant from = now.minus(1, ChronoUnit.HOURS);
            Instant to = now.plus(days, ChronoUnit.DAYS);
            X500Principal caName = new X500Principal("CN=coco4j embedded KBS test CA, O=coco4j testkit");
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();

            X509v3CertificateBuilder caB = new JcaX509v3CertificateBuilder(caName, serial(random), Date.from(from),
                    Date.from(to), caName, caKeys.getPublic());
            caB.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            caB.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            caB.addExtension(Extension.subjectKeyIdentifier, false,
                    ext.createSubjectKeyIdentifier(caKeys.getPublic()));
            X509Certificate ca = convert(caB, caKeys);

            List<GeneralName> names = new ArrayList<>();
            names.add(new GeneralName(GeneralName.dNSName, "localhost"));
            names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            names.add(new GeneralName(GeneralName.iPAddress, "::1"));
            String hostIp = host.getHostAddress();
            if (!hostIp.equals("127.0.0.1") && !host.isLoopbackAddress()) {
                names.add(new GeneralName(GeneralName.iPAddress, hostIp));
            }
            X509v3CertificateBuilder tlsB = new JcaX509v3CertificateBuilder(ca, serial(random), Date.from(from),
                    Date.from(to), new X500Principal("CN=localhost, O=coco4j testkit"), tlsKeys.getPublic());
            tlsB.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            tlsB.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            tlsB.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            tlsB.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(names.toArray(GeneralName[]::new)));
            tlsB.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            X509Certificate tls = convert(tlsB, caKeys);

            X509v3CertificateBuilder tokB = new JcaX509v3CertificateBuilder(ca, serial(random), Date.from(from),
                    Date.from(to), new X500Principal("CN=coco4j embedded KBS token signer, O=coco4j testkit"),
                    tokenKeys.getPublic());
            tokB.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            tokB.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            tokB.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(ca));
            X509Certificate token = convert(tokB, caKeys);
            return new KbsIdentity(ca, tls, tlsKeys, token, tokenKeys);
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate the embedded KBS identity", e);
        }
    }

    private static KeyPair p256(SecureRandom random) throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private static BigInteger serial(SecureRandom random) {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private static X509Certificate convert(X509v3CertificateBuilder b, KeyPair signer)
            throws OperatorCreationException, GeneralSecurityException {
        ContentSigner s = new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(b.build(s));
    }

    /**
     * The self-signed CA certificate that issued the TLS and token-signing certificates.
     *
     * @return the CA certificate (the same instance on every call)
     */
    public X509Certificate caCertificate() {
        return ca;
    }

    /**
     * The TLS server certificate.
     *
     * @return the generated TLS leaf certificate, issued by the CA
     */
    public X509Certificate tlsCertificate() {
        return tlsCert;
    }

    /**
     * The token-signing certificate (its key is P-256, for ES256).
     *
     * @return the token-signing leaf certificate, issued by the CA
     */
    public X509Certificate tokenCertificate() {
        return tokenCert;
    }

    /**
     * The token-signing public key.
     *
     * @return the P-256 public key of {@link #tokenCertificate()}
     */
    public ECPublicKey tokenPublicKey() {
        return (ECPublicKey) tokenKeys.getPublic();
    }

    /** The token-signing private key, for the token issuer only. */
    ECPrivateKey tokenPrivateKey() {
        return (ECPrivateKey) tokenKeys.getPrivate();
    }

    /**
     * A TLS context presenting the server certificate and the CA.
     *
     * @param random the randomness for the TLS context, not null
     * @return a new context whose key manager presents the TLS certificate followed by the CA certificate
     * @throws IllegalStateException if the JDK cannot build the key store or context (not expected)
     */
    public SSLContext sslContext(SecureRandom random) {
        try {
            char[] pass = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("kbs", tlsKeys.getPrivate(), pass, new X509Certificate[] {tlsCert, ca});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pass);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, random);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build the embedded KBS TLS context", e);
        }
    }

    /**
     * A TLS context presenting a given key and certificate chain (leaf first).
     *
     * @param key the private key of the chain's leaf, not null
     * @param chain the certificate chain, leaf first, not null or empty; copied
     * @param random the randomness for the TLS context, not null
     * @return a new context whose key manager presents {@code chain}
     * @throws IllegalArgumentException if the key and chain cannot be stored together (the message names only the
     *     exception type, never key material)
     */
    public static SSLContext sslContext(PrivateKey key, X509Certificate[] chain, SecureRandom random) {
        try {
            char[] pass = new char[0];
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("kbs", key, pass, chain.clone());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, pass);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, random);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("unusable TLS key or certificate chain ("
                    + e.getClass().getSimpleName() + ")");
        }
    }

    /**
     * PEM text of a certificate.
     *
     * @param cert the certificate, not null
     * @return one {@code -----BEGIN CERTIFICATE-----} block, ending with a line break
     */
    public static String pem(X509Certificate cert) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
            pw.writeObject(cert);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }

    @Override
    public String toString() {
        return "KbsIdentity[ca=" + ca.getSubjectX500Principal() + "]";
    }
}
