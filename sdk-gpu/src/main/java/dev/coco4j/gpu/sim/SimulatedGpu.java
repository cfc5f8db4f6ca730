package dev.coco4j.gpu.sim;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.gpu.rim.RimParser;
import java.io.ByteArrayOutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignatureMethod;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A simulated Hopper GPU. It owns a device chain of the real shape (5 certificates, {@code GH100 A01 GSP FMC LF}
 * leaf with a TcbInfo FWID, ..., a "coco4j Simulated" device root) and a RIM signing chain under its own RIM root,
 * and produces {@link #report(byte[]) reports} in NVIDIA's exact byte layout plus {@link #driverRim() driver} and
 * {@link #vbiosRim() VBIOS} RIMs whose golden values match them. Nothing it makes verifies under NVIDIA's pinned
 * roots: callers must pass {@link #deviceRoot()} and {@link #rimRoot()} explicitly. Thread-safe after construction.
 */
public final class SimulatedGpu {
    /** The driver version the simulated GPU reports. */
    public static final String DRIVER_VERSION = "999.01.01";
    /** The VBIOS version it reports. */
    public static final String VBIOS_VERSION = "96.00.5E.00.01";
    private static final Set<Integer> DRIVER_INDICES = Set.of(7, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
    private static final Set<Integer> VBIOS_INDICES = Set.of(0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12);

    private final KeyPair leafKey;
    private final List<X509Certificate> deviceChain;
    private final KeyPair rimSignerKey;
    private final List<X509Certificate> rimChain;
    private final byte[] fwid;
    private final byte[][] measurements = new byte[64][];
    private final SecureRandom random = new SecureRandom();

    private SimulatedGpu(Instant notBefore, Duration validity) {
        try {
            Instant notAfter = notBefore.plus(validity);
            KeyPair root = key();
            KeyPair identity = key();
            KeyPair ica = key();
            KeyPair brom = key();
            leafKey = key();
            fwid = MessageDigest.getInstance("SHA-384").digest(leafKey.getPublic().getEncoded());
            X509Certificate rootCert = cert("CN=coco4j Simulated Device Identity CA,O=coco4j", root, null, root, true,
                    notBefore, notAfter, null);
            X509Certificate identityCert = cert("CN=coco4j Simulated GH100 Identity,O=coco4j", identity, rootCert,
                    root, true, notBefore, notAfter, null);
            X509Certificate icaCert = cert("CN=coco4j Simulated GH100 Provisioner ICA 1,O=coco4j", ica, identityCert,
                    identity, true, notBefore, notAfter, null);
            X509Certificate bromCert = cert("CN=GH100 A01 GSP BROM,O=coco4j Simulated", brom, icaCert, ica, true,
                    notBefore, notAfter, null);
            X509Certificate leafCert = cert("CN=GH100 A01 GSP FMC LF,O=coco4j Simulated", leafKey, bromCert, brom,
                    false, notBefore, notAfter, fwid);
            deviceChain = List.of(leafCert, bromCert, icaCert, identityCert, rootCert);

            KeyPair rimRootKey = key();
            KeyPair rimCa = key();
            rimSignerKey = key();
            X509Certificate rimRootCert = cert("CN=coco4j Simulated RIM Root CA,O=coco4j", rimRootKey, null,
                    rimRootKey, true, notBefore, notAfter, null);
            X509Certificate rimCaCert = cert("CN=coco4j Simulated Reference Value CA,O=coco4j", rimCa, rimRootCert,
                    rimRootKey, true, notBefore, notAfter, null);
            X509Certificate signerCert = cert("CN=coco4j Simulated RIM Signer,O=coco4j", rimSignerKey, rimCaCert,
                    rimCa, false, notBefore, notAfter, null);
            rimChain = List.of(signerCert, rimCaCert, rimRootCert);
            for (int i = 0; i < 64; i++) {
                boolean used = DRIVER_INDICES.contains(i) || VBIOS_INDICES.contains(i);
                measurements[i] = used ? MessageDigest.getInstance("SHA-384")
                        .digest(("coco4j simulated measurement " + i).getBytes(StandardCharsets.US_ASCII))
                        : new byte[48];
            }
        } catch (Exception e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot create the simulated GPU", e);
        }
    }

    private SimulatedGpu(SimulatedGpu from, int index, byte[] value) {
        leafKey = from.leafKey;
        deviceChain = from.deviceChain;
        rimSignerKey = from.rimSignerKey;
        rimChain = from.rimChain;
        fwid = from.fwid;
        for (int i = 0; i < 64; i++) {
            measurements[i] = from.measurements[i].clone();
        }
        measurements[index] = value.clone();
    }

    /**
     * A GPU with the same keys and certificates whose measurement block {@code index} (0..63) is {@code value}
     * (48 bytes): genuinely signed reports that no longer match this GPU's {@link #driverRim()}/{@link #vbiosRim()}
     * golden values, as modified firmware would produce. For fault tests.
     *
     * @param index the 0-based measurement block (RIM) index, 0 to 63
     * @param value the 48-byte measurement value; must not be {@code null}; copied
     * @return a new simulated GPU sharing this one's keys and certificates; this GPU is unchanged
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if {@code index} is out of range or {@code value} is
     *     not 48 bytes
     */
    public SimulatedGpu withMeasurement(int index, byte[] value) {
        Objects.requireNonNull(value, "value");
        if (index < 0 || index > 63 || value.length != 48) {
            throw new ConfigurationException(Reason.CONFIGURATION, "a measurement is 48 bytes at index 0..63");
        }
        return new SimulatedGpu(this, index, value);
    }

    /**
     * A simulated GPU whose certificates are valid for ten years from now.
     *
     * @return a new GPU with fresh P-384 keys, its certificates valid from one day ago for 3650 days
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if the keys or certificates cannot be made
     */
    public static SimulatedGpu create() {
        return new SimulatedGpu(Instant.now().minus(Duration.ofDays(1)), Duration.ofDays(3650));
    }

    /**
     * A simulated GPU whose certificates are valid from {@code notBefore} for {@code validity}.
     *
     * @param notBefore the notBefore of every certificate (device and RIM chains); must not be {@code null}
     * @param validity how long after {@code notBefore} the certificates stay valid; must not be {@code null}
     * @return a new GPU with fresh P-384 keys; past or short windows make expired chains for fault tests
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if the keys or certificates cannot be made
     */
    public static SimulatedGpu create(Instant notBefore, Duration validity) {
        return new SimulatedGpu(notBefore, validity);
    }

    /**
     * The simulated device identity root (pass it explicitly to trust it).
     *
     * @return the self-signed root of the device chain (its last certificate); shared, immutable
     */
    public X509Certificate deviceRoot() {
        return deviceChain.getLast();
    }

    /**
     * The simulated RIM root (pass it explicitly to trust it).
     *
     * @return the self-signed root of the RIM signing chain; shared, immutable
     */
    public X509Certificate rimRoot() {
        return rimChain.getLast();
    }

    /**
     * The device chain as PEM, leaf first, as NVML returns it.
     *
     * @return a fresh array with the five certificates as US-ASCII PEM, leaf first
     */
    public byte[] certChainPem() {
        StringBuilder sb = new StringBuilder();
        deviceChain.forEach(c -> sb.append(Certificates.toPem(c)));
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A signed report for the caller's 32-byte nonce, in NVIDIA's exact layout.
     *
     * @param nonce the caller's 32-byte nonce; must not be {@code null}; not modified
     * @return a fresh report: request, 64 measurement blocks of 48 bytes (unused ones zero), a random responder
     *     nonce, opaque data and the leaf's P-384 signature
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if {@code nonce} is not 32 bytes or signing fails
     */
    public byte[] report(byte[] nonce) {
        Objects.requireNonNull(nonce, "nonce");
        if (nonce.length != 32) {
            throw new ConfigurationException(Reason.CONFIGURATION, "the GPU nonce must be 32 bytes");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0x11, (byte) 0xE0, 0x01, (byte) 0xFF});
        out.writeBytes(nonce);
        out.write(0);
        ByteArrayOutputStream record = new ByteArrayOutputStream();
        for (int i = 0; i < 64; i++) {
            record.writeBytes(new byte[] {(byte) (i + 1), 0x01, 51, 0, 0x01, 48, 0});
            record.writeBytes(measurements[i]);
        }
        int l1 = record.size();
        out.writeBytes(new byte[] {0x11, 0x60, 0, 0, 64, (byte) l1, (byte) (l1 >> 8), (byte) (l1 >> 16)});
        out.writeBytes(record.toByteArray());
        byte[] responderNonce = new byte[32];
        random.nextBytes(responderNonce);
        out.writeBytes(responderNonce);
        byte[] opaque = opaque();
        out.write(opaque.length & 0xFF);
        out.write(opaque.length >> 8);
        out.writeBytes(opaque);
        byte[] signed = out.toByteArray();
        try {
            Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
            s.initSign(leafKey.getPrivate());
            s.update(signed);
            out.writeBytes(s.sign());
        } catch (Exception e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot sign the simulated report", e);
        }
        return out.toByteArray();
    }

    private byte[] opaque() {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        tlv(o, 3, (DRIVER_VERSION + "\0").getBytes(StandardCharsets.US_ASCII));
        byte[] v = HexFormat.of().parseHex(VBIOS_VERSION.replace(".", ""));
        // 96.00.5E.00.01 -> 8 LE bytes: 00 5e 00 96 01 00 00 00
        tlv(o, 6, new byte[] {v[3], v[2], v[1], v[0], v[4], 0, 0, 0});
        tlv(o, 11, new byte[] {(byte) 0xAA});
        tlv(o, 15, "882\0".getBytes(StandardCharsets.US_ASCII));
        tlv(o, 17, "1010\0".getBytes(StandardCharsets.US_ASCII));
        tlv(o, 18, "0200\0".getBytes(StandardCharsets.US_ASCII));
        tlv(o, 20, fwid);
        return o.toByteArray();
    }

    private static void tlv(ByteArrayOutputStream o, int type, byte[] value) {
        o.writeBytes(new byte[] {(byte) type, (byte) (type >> 8), (byte) value.length, (byte) (value.length >> 8)});
        o.writeBytes(value);
    }

    /**
     * The driver RIM ({@code NV_GPU_DRIVER_GH100_999.01.01}), signed under the simulated RIM root.
     *
     * @return a fresh array with the signed SWID XML of the driver RIM, golden values equal to this GPU's driver
     *     measurements
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if the RIM cannot be built or signed
     */
    public byte[] driverRim() {
        return rim(DRIVER_VERSION, DRIVER_INDICES);
    }

    /**
     * The VBIOS RIM ({@code NV_GPU_VBIOS_1010_0200_882_96005E0001}), signed under the simulated RIM root.
     *
     * @return a fresh array with the signed SWID XML of the VBIOS RIM, golden values equal to this GPU's VBIOS
     *     measurements
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if the RIM cannot be built or signed
     */
    public byte[] vbiosRim() {
        return rim(VBIOS_VERSION, VBIOS_INDICES);
    }

    private byte[] rim(String version, Set<Integer> active) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(true);
            Document doc = f.newDocumentBuilder().newDocument();
            Element root = doc.createElementNS(RimParser.SWID_NS, "SoftwareIdentity");
            // declare every namespace explicitly so the serialized document canonicalizes as it was signed
            String xmlns = "http://www.w3.org/2000/xmlns/";
            root.setAttributeNS(xmlns, "xmlns", RimParser.SWID_NS);
            root.setAttributeNS(xmlns, "xmlns:h", RimParser.SHA384_NS);
            root.setAttributeNS(xmlns, "xmlns:rim", RimParser.TCG_RIM_NS);
            root.setAttribute("name", "GH100");
            root.setAttribute("tagId", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-384")
                    .digest(version.getBytes(StandardCharsets.US_ASCII))));
            root.setAttribute("version", "1.0");
            doc.appendChild(root);
            Element meta = doc.createElementNS(RimParser.SWID_NS, "Meta");
            meta.setAttribute("colloquialVersion", version);
            meta.setAttribute("product", "GH100");
            meta.setAttributeNS(RimParser.TCG_RIM_NS, "rim:FirmwareManufacturerId", "5703");
            root.appendChild(meta);
            Element payload = doc.createElementNS(RimParser.SWID_NS, "Payload");
            root.appendChild(payload);
            for (int i = 0; i < 64; i++) {
                Element r = doc.createElementNS(RimParser.SWID_NS, "Resource");
                r.setAttribute("type", "Measurement");
                r.setAttribute("index", Integer.toString(i));
                r.setAttribute("active", active.contains(i) ? "True" : "False");
                r.setAttribute("alternatives", "1");
                r.setAttributeNS(RimParser.SHA384_NS, "h:Hash0", HexFormat.of().formatHex(measurements[i]));
                r.setAttribute("name", "Measurement_" + i);
                r.setAttribute("size", "48");
                payload.appendChild(r);
            }
            XMLSignatureFactory fac = XMLSignatureFactory.getInstance("DOM");
            Reference ref = fac.newReference("", fac.newDigestMethod(DigestMethod.SHA384, null),
                    List.of(fac.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null),
                            fac.newTransform(CanonicalizationMethod.INCLUSIVE_11, (TransformParameterSpec) null)),
                    null, null);
            SignedInfo si = fac.newSignedInfo(fac.newCanonicalizationMethod(CanonicalizationMethod.INCLUSIVE_11,
                    (C14NMethodParameterSpec) null), fac.newSignatureMethod(SignatureMethod.ECDSA_SHA384, null),
                    List.of(ref));
            KeyInfoFactory kif = fac.getKeyInfoFactory();
            var keyInfo = kif.newKeyInfo(List.of(kif.newX509Data(new ArrayList<Object>(rimChain))));
            DOMSignContext ctx = new DOMSignContext(rimSignerKey.getPrivate(), root);
            ctx.setDefaultNamespacePrefix("ds");
            fac.newXMLSignature(si, keyInfo).sign(ctx);
            StringWriter w = new StringWriter();
            var t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString().getBytes(StandardCharsets.UTF_8);
        } catch (Exception e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot sign the simulated RIM", e);
        }
    }

    private static KeyPair key() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate cert(String subject, KeyPair subjectKey, X509Certificate issuer,
                                        KeyPair issuerKey, boolean ca, Instant notBefore, Instant notAfter,
                                        byte[] fwid) throws Exception {
        X500Name issuerName = issuer == null ? new X500Name(subject)
                : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
        var b = new JcaX509v3CertificateBuilder(issuerName, new BigInteger(64, new SecureRandom()),
                Date.from(notBefore), Date.from(notAfter), new X500Name(subject), subjectKey.getPublic());
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                : KeyUsage.digitalSignature));
        if (fwid != null) {
            ASN1EncodableVector fw = new ASN1EncodableVector();
            fw.add(NISTObjectIdentifiers.id_sha384);
            fw.add(new DEROctetString(fwid));
            DERSequence fwids = new DERSequence(new DERSequence(fw));
            b.addExtension(new ASN1ObjectIdentifier("2.23.133.5.4.1"), false,
                    new DERSequence(new DERTaggedObject(false, 6, fwids)));
        }
        return new JcaX509CertificateConverter().getCertificate(b.build(
                new JcaContentSignerBuilder("SHA384withECDSA").build(issuerKey.getPrivate())));
    }
}
