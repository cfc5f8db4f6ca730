package dev.coco4j.tdx.sim;

import dev.coco4j.tdx.verify.PckCertificate;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Issues the simulator's Intel-shaped P-256 certificates and CRLs with Bouncy Castle: a self-signed root, the PCK
 * Platform CA, the PCK leaf with the SGX extension exactly as {@link PckCertificate} reads it, and the TCB Signing
 * certificate. Every name carries "(coco4j sim)". Not part of the API.
 */
final class SimPki {
    /** The organisation in every simulated name. */
    static final String ORGANISATION = "Simulated Intel Corporation (coco4j sim)";
    static final String ROOT_CN = "Simulated Intel SGX Root CA (coco4j sim)";
    static final String PCK_CA_CN = "Intel SGX PCK Platform CA (coco4j sim)";
    static final String PCK_CN = "Intel SGX PCK Certificate (coco4j sim)";
    static final String TCB_SIGNING_CN = "Intel SGX TCB Signing (coco4j sim)";

    /** A key pair and its certificate. */
    record Issued(KeyPair keys, X509Certificate certificate) {
    }

    private final SecureRandom random;
    private final Instant now;

    SimPki(SecureRandom random, Instant now) {
        this.random = random;
        this.now = now;
    }

    static X500Name name(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).addRDN(BCStyle.O, ORGANISATION)
                .addRDN(BCStyle.L, "Santa Clara").addRDN(BCStyle.ST, "CA").addRDN(BCStyle.C, "US").build();
    }

    KeyPair p256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot generate P-256 keys", e);
        }
    }

    Issued root() {
        KeyPair k = p256();
        X500Name n = name(ROOT_CN);
        return new Issued(k, issue(n, n, k, k.getPrivate(), null, true, -1, 30, List.of()));
    }

    Issued pckCa(Issued root) {
        KeyPair k = p256();
        return new Issued(k, issue(issuerOf(root), name(PCK_CA_CN), k, root.keys().getPrivate(), root.certificate(),
                true, 0, 15, List.of()));
    }

    Issued tcbSigning(Issued root) {
        KeyPair k = p256();
        return new Issued(k, issue(issuerOf(root), name(TCB_SIGNING_CN), k, root.keys().getPrivate(),
                root.certificate(), false, -1, 7, List.of()));
    }

    /** The PCK leaf with the SGX extension: PPID, TCB (16 components, PCESVN, CPUSVN), PCE-ID, FMSPC, SGX type. */
    Issued pck(Issued ca, byte[] ppid, int[] components, int pceSvn, byte[] cpuSvn, byte[] pceId, byte[] fmspc) {
        KeyPair k = p256();
        String base = PckCertificate.SGX_EXTENSION_OID;
        ASN1EncodableVector tcb = new ASN1EncodableVector();
        for (int i = 0; i < 16; i++) {
            tcb.add(pair(base + ".2." + (i + 1), new ASN1Integer(components[i])));
        }
        tcb.add(pair(base + ".2.17", new ASN1Integer(pceSvn)));
        tcb.add(pair(base + ".2.18", new DEROctetString(cpuSvn)));
        ASN1EncodableVector sgx = new ASN1EncodableVector();
        sgx.add(pair(base + ".1", new DEROctetString(ppid)));
        sgx.add(pair(base + ".2", new DERSequence(tcb)));
        sgx.add(pair(base + ".3", new DEROctetString(pceId)));
        sgx.add(pair(base + ".4", new DEROctetString(fmspc)));
        sgx.add(pair(base + ".5", new ASN1Enumerated(0)));
        Extension ext = new Extension(new ASN1ObjectIdentifier(base), false, encoded(new DERSequence(sgx)));
        return new Issued(k, issue(issuerOf(ca), name(PCK_CN), k, ca.keys().getPrivate(), ca.certificate(), false,
                -1, 7, List.of(ext)));
    }

    private static byte[] encoded(ASN1Encodable e) {
        try {
            return e.toASN1Primitive().getEncoded("DER");
        } catch (java.io.IOException x) {
            throw new IllegalStateException(x);
        }
    }

    private static DERSequence pair(String oid, ASN1Encodable value) {
        return new DERSequence(new ASN1Encodable[] {new ASN1ObjectIdentifier(oid), value});
    }

    /** A CRL by {@code issuer} valid [thisUpdate, nextUpdate], revoking the given serials. */
    X509CRL crl(Issued issuer, Instant thisUpdate, Instant nextUpdate, List<BigInteger> revoked) {
        try {
            X509v2CRLBuilder b = new X509v2CRLBuilder(issuerOf(issuer), Date.from(thisUpdate));
            b.setNextUpdate(Date.from(nextUpdate));
            for (BigInteger s : revoked) {
                b.addCRLEntry(s, Date.from(thisUpdate), CRLReason.keyCompromise);
            }
            b.addExtension(Extension.cRLNumber, false, new ASN1Integer(1));
            X509CRLHolder h = b.build(signer(issuer.keys().getPrivate()));
            return new JcaX509CRLConverter().getCRL(h);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot issue a simulated CRL", e);
        }
    }

    /** Signs with ECDSA-P256-SHA256, raw r‖s (64 bytes, big-endian), as Intel's quotes and collateral carry. */
    static byte[] signRaw(PrivateKey key, byte[] message) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initSign(key);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with P-256", e);
        }
    }

    private static X500Name issuerOf(Issued i) {
        return X500Name.getInstance(i.certificate().getSubjectX500Principal().getEncoded());
    }

    private X509Certificate issue(X500Name issuer, X500Name subject, KeyPair subjectKeys, PrivateKey issuerKey,
                                  X509Certificate issuerCert, boolean ca, int pathLen, int years,
                                  List<Extension> extra) {
        try {
            Instant from = now.minusSeconds(3600);
            Instant to = now.plus(java.time.Duration.ofDays(365L * years));
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, random).setBit(126),
                    Date.from(from), Date.from(to), subject, subjectKeys.getPublic());
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            if (issuerCert != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(issuerCert));
            }
            if (ca) {
                b.addExtension(Extension.basicConstraints, true,
                        pathLen >= 0 ? new BasicConstraints(pathLen) : new BasicConstraints(true));
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            } else {
                b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
                b.addExtension(Extension.keyUsage, true,
                        new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
            }
            for (Extension e : extra) {
                b.addExtension(e);
            }
            X509CertificateHolder h = b.build(signer(issuerKey));
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot issue the simulated certificate " + subject, e);
        }
    }

    private static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
        } catch (org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException(e);
        }
    }
}
