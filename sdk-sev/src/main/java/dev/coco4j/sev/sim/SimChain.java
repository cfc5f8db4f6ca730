package dev.coco4j.sev.sim;

import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.TcbVersion;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the simulator's AMD-shaped certificates: ARK (self-signed root), ASK and ASVK (intermediates signed by the
 * ARK), and the VCEK and VLEK (P-384 endorsement keys with only AMD's extensions). Every RSA signature is RSASSA-PSS
 * with SHA-384, MGF1-SHA-384, a 48-byte salt and trailer field 1, with the parameters written explicitly in the
 * AlgorithmIdentifier, as in AMD's certificates. Not part of the API.
 */
final class SimChain {
    /** The organisation in every simulated name, so a simulated certificate is obvious on sight. */
    static final String ORGANISATION = "Simulated AMD (coco4j sim)";
    /** AMD's private enterprise arc for the VCEK/VLEK extensions. */
    static final String AMD_ARC = "1.3.6.1.4.1.3704.1.";

    static final ASN1ObjectIdentifier STRUCT_VERSION = oid("1");
    static final ASN1ObjectIdentifier PRODUCT_NAME = oid("2");
    static final ASN1ObjectIdentifier BL_SPL = oid("3.1");
    static final ASN1ObjectIdentifier TEE_SPL = oid("3.2");
    static final ASN1ObjectIdentifier SNP_SPL = oid("3.3");
    static final ASN1ObjectIdentifier SPL_4 = oid("3.4");
    static final ASN1ObjectIdentifier SPL_5 = oid("3.5");
    static final ASN1ObjectIdentifier SPL_6 = oid("3.6");
    static final ASN1ObjectIdentifier SPL_7 = oid("3.7");
    static final ASN1ObjectIdentifier UCODE_SPL = oid("3.8");
    static final ASN1ObjectIdentifier FMC_SPL = oid("3.9");
    static final ASN1ObjectIdentifier HW_ID = oid("4");
    static final ASN1ObjectIdentifier CSP_ID = oid("5");

    /** RSA modulus size of the simulated ARK/ASK/ASVK. AMD's real roots are RSA-4096; 2048 keeps tests fast. */
    static final int RSA_BITS = 2048;

    private static final PSSParameterSpec AMD_PSS =
            new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, PSSParameterSpec.TRAILER_FIELD_BC);

    private static final long ROOT_VALIDITY_YEARS = 25;
    private static final long VCEK_VALIDITY_YEARS = 7;
    private static final long VLEK_VALIDITY_YEARS = 1;

    /** A key pair and the certificate issued for its public key. */
    record Issued(KeyPair keys, X509Certificate certificate) {
    }

    private static final class Bc {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    private final SecureRandom random;
    private final Instant now;

    SimChain(SecureRandom random, Instant now) {
        this.random = random;
        this.now = now;
    }

    private static ASN1ObjectIdentifier oid(String suffix) {
        return new ASN1ObjectIdentifier(AMD_ARC + suffix);
    }

    /** An AMD-style name in AMD's RDN order (OU, C, L, ST, O, CN) with the simulator's organisation. */
    static X500Name name(String commonName) {
        return new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.OU, "Engineering")
                .addRDN(BCStyle.C, "US")
                .addRDN(BCStyle.L, "Santa Clara")
                .addRDN(BCStyle.ST, "CA")
                .addRDN(BCStyle.O, ORGANISATION)
                .addRDN(BCStyle.CN, commonName)
                .build();
    }

    KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(new RSAKeyGenParameterSpec(RSA_BITS, RSAKeyGenParameterSpec.F4), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK cannot generate RSA keys", e);
        }
    }

    KeyPair p384KeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp384r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK cannot generate P-384 keys", e);
        }
    }

    /** The self-signed ARK: CA, keyCertSign + cRLSign, 25 years. */
    Issued ark(SnpProduct product) {
        KeyPair keys = rsaKeyPair();
        X500Name subject = name("ARK-" + product.kdsName());
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(subject, serial(), ROOT_VALIDITY_YEARS, subject, keys.getPublic())
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            return new Issued(keys, sign(b, keys.getPrivate()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue the simulated ARK", e);
        }
    }

    /** An intermediate (ASK {@code SEV-<P>} or ASVK {@code SEV-VLEK-<P>}): CA with pathLen 0, keyCertSign. */
    Issued intermediate(String commonName, Issued ark) {
        KeyPair keys = rsaKeyPair();
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = builder(issuerOf(ark), serial(), ROOT_VALIDITY_YEARS, name(commonName),
                    keys.getPublic())
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            ext.createSubjectKeyIdentifier(keys.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false,
                            ext.createAuthorityKeyIdentifier(ark.certificate()))
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
            return new Issued(keys, sign(b, ark.keys().getPrivate()));
        } catch (GeneralSecurityException | CertIOException e) {
            throw new IllegalStateException("cannot issue the simulated " + commonName, e);
        }
    }

    /**
     * The VCEK: {@code CN=SEV-VCEK}, serial 0, P-384, no standard extensions, AMD's TCB extensions and the hwID as
     * raw bytes (the chip id's first {@link SnpProduct#hwIdLength()} bytes).
     */
    Issued vcek(SnpProduct product, TcbVersion tcb, byte[] chipId, Issued ask) {
        KeyPair keys = p384KeyPair();
        X509v3CertificateBuilder b = builder(issuerOf(ask), BigInteger.ZERO, VCEK_VALIDITY_YEARS, name("SEV-VCEK"),
                keys.getPublic());
        addTcbExtensions(b, product, tcb);
        add(b, new Extension(HW_ID, false, Arrays.copyOf(chipId, product.hwIdLength())));
        return new Issued(keys, sign(b, ask.keys().getPrivate()));
    }

    /** The VLEK: {@code CN=SEV-VLEK}, serial 0, P-384, AMD's TCB extensions, a cspID and no hwID. */
    Issued vlek(SnpProduct product, TcbVersion tcb, String cspId, Issued asvk) {
        KeyPair keys = p384KeyPair();
        X509v3CertificateBuilder b = builder(issuerOf(asvk), BigInteger.ZERO, VLEK_VALIDITY_YEARS, name("SEV-VLEK"),
                keys.getPublic());
        addTcbExtensions(b, product, tcb);
        add(b, CSP_ID, new DERIA5String(cspId));
        return new Issued(keys, sign(b, asvk.keys().getPrivate()));
    }

    /** The product name AMD writes in the productName extension. */
    static String productName(SnpProduct product) {
        return switch (product) {
            case MILAN -> "Milan-B0";
            case GENOA -> "Genoa";
            case TURIN -> "Turin";
        };
    }

    private static void addTcbExtensions(X509v3CertificateBuilder b, SnpProduct product, TcbVersion tcb) {
        boolean turin = tcb.hasFmc();
        add(b, STRUCT_VERSION, new ASN1Integer(turin ? 1 : 0));
        add(b, PRODUCT_NAME, new DERIA5String(productName(product)));
        if (turin) {
            add(b, FMC_SPL, new ASN1Integer(tcb.fmc()));
        }
        add(b, BL_SPL, new ASN1Integer(tcb.bootLoader()));
        add(b, TEE_SPL, new ASN1Integer(tcb.tee()));
        add(b, SNP_SPL, new ASN1Integer(tcb.snp()));
        if (!turin) {
            add(b, SPL_4, new ASN1Integer(0));
        }
        add(b, SPL_5, new ASN1Integer(0));
        add(b, SPL_6, new ASN1Integer(0));
        add(b, SPL_7, new ASN1Integer(0));
        add(b, UCODE_SPL, new ASN1Integer(tcb.microcode()));
    }

    private static void add(X509v3CertificateBuilder b, ASN1ObjectIdentifier oid, ASN1Encodable value) {
        try {
            add(b, new Extension(oid, false, value.toASN1Primitive().getEncoded(ASN1Encoding.DER)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode extension " + oid, e);
        }
    }

    private static void add(X509v3CertificateBuilder b, Extension extension) {
        try {
            b.addExtension(extension);
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot add extension " + extension.getExtnId(), e);
        }
    }

    private static X500Name issuerOf(Issued issuer) {
        return X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded());
    }

    private X509v3CertificateBuilder builder(X500Name issuer, BigInteger serial, long years, X500Name subject,
            PublicKey key) {
        Instant notBefore = now.minusSeconds(86_400);
        Instant notAfter = now.atOffset(ZoneOffset.UTC).plusYears(years).toInstant();
        return new JcaX509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notAfter), subject,
                key);
    }

    /** A random positive 63-bit serial, so chains of different simulator instances never share issuer + serial. */
    private BigInteger serial() {
        return BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE).setBit(62);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey issuerKey) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder("RSASSA-PSS", AMD_PSS)
                    .setProvider(Bc.PROVIDER)
                    .build(issuerKey);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a simulated certificate", e);
        }
    }

    /** A CRL issued by {@code ark} with AMD's PSS parameters, listing the given serials as revoked. */
    static java.security.cert.X509CRL crl(Issued ark, Instant thisUpdate, Instant nextUpdate,
                                          BigInteger... revokedSerials) {
        try {
            org.bouncycastle.cert.X509v2CRLBuilder b = new org.bouncycastle.cert.X509v2CRLBuilder(
                    org.bouncycastle.asn1.x500.X500Name.getInstance(
                            ark.certificate().getSubjectX500Principal().getEncoded()), Date.from(thisUpdate));
            b.setNextUpdate(Date.from(nextUpdate));
            for (BigInteger serial : revokedSerials) {
                b.addCRLEntry(serial, Date.from(thisUpdate), 0);
            }
            ContentSigner signer = new JcaContentSignerBuilder("RSASSA-PSS", AMD_PSS)
                    .setProvider(Bc.PROVIDER)
                    .build(ark.keys().getPrivate());
            return new org.bouncycastle.cert.jcajce.JcaX509CRLConverter().getCRL(b.build(signer));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a simulated CRL", e);
        }
    }
}
