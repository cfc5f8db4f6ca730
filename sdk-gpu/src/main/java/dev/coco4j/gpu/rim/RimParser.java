package dev.coco4j.gpu.rim;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import java.io.ByteArrayInputStream;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

/**
 * Parses RIM SWID tags with a hardened, namespace-aware DOM parser: DOCTYPE declarations are refused (so no DTDs, no
 * entity expansion, no external entities), XInclude is off, external DTD and schema access is disabled, and input is
 * bounded to {@value #MAX_LENGTH} bytes. Parsing does not verify anything: use {@link RimVerifier}. Failures are
 * {@link Reason#RIM_INVALID}.
 */
public final class RimParser {
    /** The largest RIM accepted, in bytes. */
    public static final int MAX_LENGTH = 1 << 20;
    /** The SWID namespace. */
    public static final String SWID_NS = "http://standards.iso.org/iso/19770/-2/2015/schema.xsd";
    /** The namespace of the {@code HashN} attributes (SHA-384). */
    public static final String SHA384_NS = "http://www.w3.org/2001/04/xmlenc#sha384";
    /** The XMLDSig namespace. */
    public static final String DSIG_NS = "http://www.w3.org/2000/09/xmldsig#";
    /** The TCG RIM information-model namespace. */
    public static final String TCG_RIM_NS =
            "https://trustedcomputinggroup.org/resource/tcg-reference-integrity-manifest-rim-information-model/";
    private static final int MAX_ALTERNATIVES = 64;
    private static final int MAX_RESOURCES = 4096;

    private RimParser() {
    }

    /** The parsed document, its manifest and its single ds:Signature element. */
    record Parsed(Document document, ReferenceManifest manifest, Element signature) {
    }

    /**
     * Parses a RIM without verifying it.
     *
     * @param xml the SWID XML bytes, 1 to {@value #MAX_LENGTH} bytes; not modified
     * @return the manifest with its signer chain as carried by the document; nothing in it is verified
     * @throws AttestationException RIM_INVALID if it is not a well-formed NVIDIA RIM
     */
    public static ReferenceManifest parse(byte[] xml) {
        return parseDocument(xml).manifest();
    }

    static Parsed parseDocument(byte[] xml) {
        if (xml == null || xml.length == 0 || xml.length > MAX_LENGTH) {
            throw invalid("RIM is empty or larger than " + MAX_LENGTH + " bytes");
        }
        Document doc;
        try {
            DocumentBuilder b = factory().newDocumentBuilder();
            b.setErrorHandler(new DefaultHandler());
            b.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not allowed");
            });
            doc = b.parse(new ByteArrayInputStream(xml));
        } catch (Exception e) {
            throw new AttestationException(Reason.RIM_INVALID, "RIM is not well-formed XML: " + e.getMessage(), e);
        }
        Element root = doc.getDocumentElement();
        if (!SWID_NS.equals(root.getNamespaceURI()) || !"SoftwareIdentity".equals(root.getLocalName())) {
            throw invalid("RIM root is not a SWID SoftwareIdentity");
        }
        Element meta = single(root, SWID_NS, "Meta");
        Element payload = single(root, SWID_NS, "Payload");
        NodeList sigs = doc.getElementsByTagNameNS(DSIG_NS, "Signature");
        if (sigs.getLength() != 1 || sigs.item(0).getParentNode() != root) {
            throw invalid("RIM must hold exactly one ds:Signature, as a child of SoftwareIdentity");
        }
        Element signature = (Element) sigs.item(0);

        List<RimMeasurement> measurements = new ArrayList<>();
        NodeList resources = payload.getElementsByTagNameNS(SWID_NS, "Resource");
        if (resources.getLength() > MAX_RESOURCES) {
            throw invalid("too many Resource records");
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < resources.getLength(); i++) {
            Element r = (Element) resources.item(i);
            if (!"Measurement".equals(r.getAttribute("type"))) {
                continue;
            }
            int index = integer(r, "index", 0, 255);
            if (!seen.add(index)) {
                throw invalid("RIM index " + index + " appears twice");
            }
            String activeText = r.getAttribute("active").toLowerCase(Locale.ROOT);
            if (!activeText.equals("true") && !activeText.equals("false")) {
                throw invalid("RIM index " + index + " has active='" + r.getAttribute("active") + "'");
            }
            int alternatives = integer(r, "alternatives", 1, MAX_ALTERNATIVES);
            int size = integer(r, "size", 1, 4096);
            List<String> hashes = new ArrayList<>(alternatives);
            for (int a = 0; a < alternatives; a++) {
                Attr h = r.getAttributeNodeNS(SHA384_NS, "Hash" + a);
                if (h == null) {
                    throw invalid("RIM index " + index + " lacks Hash" + a);
                }
                String hex = h.getValue().strip().toLowerCase(Locale.ROOT);
                if (hex.length() != size * 2 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    throw invalid("RIM index " + index + " Hash" + a + " is not " + size + " bytes of hex");
                }
                hashes.add(hex);
            }
            measurements.add(new RimMeasurement(index, activeText.equals("true"), size, hashes,
                    r.getAttribute("name")));
        }
        String colloquial = meta.getAttribute("colloquialVersion");
        if (colloquial.isEmpty()) {
            throw invalid("RIM Meta has no colloquialVersion");
        }
        String fwManufacturer = meta.hasAttributeNS(TCG_RIM_NS, "FirmwareManufacturerId")
                ? meta.getAttributeNS(TCG_RIM_NS, "FirmwareManufacturerId") : null;
        ReferenceManifest m = new ReferenceManifest(root.getAttribute("tagId"), root.getAttribute("name"),
                root.getAttribute("version"), colloquial, meta.getAttribute("product"), fwManufacturer, measurements,
                certificates(signature));
        return new Parsed(doc, m, signature);
    }

    private static List<X509Certificate> certificates(Element signature) {
        NodeList certs = signature.getElementsByTagNameNS(DSIG_NS, "X509Certificate");
        if (certs.getLength() == 0 || certs.getLength() > 8) {
            throw invalid("RIM KeyInfo must carry 1 to 8 X509Certificate elements, it has " + certs.getLength());
        }
        List<X509Certificate> out = new ArrayList<>();
        for (int i = 0; i < certs.getLength(); i++) {
            String b64 = certs.item(i).getTextContent().replaceAll("\\s", "");
            try {
                out.add(Certificates.parse(Base64.getDecoder().decode(b64)));
            } catch (IllegalArgumentException | ConfigurationException e) {
                throw new AttestationException(Reason.RIM_INVALID, "RIM X509Certificate " + i + " does not parse", e);
            }
        }
        return out;
    }

    private static Element single(Element root, String ns, String name) {
        NodeList l = root.getElementsByTagNameNS(ns, name);
        if (l.getLength() != 1) {
            throw invalid("RIM must have exactly one " + name + " element, it has " + l.getLength());
        }
        return (Element) l.item(0);
    }

    private static int integer(Element e, String attr, int min, int max) {
        try {
            int v = Integer.parseInt(e.getAttribute(attr).strip());
            if (v < min || v > max) {
                throw invalid("RIM attribute " + attr + "=" + v + " is outside " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException ex) {
            throw invalid("RIM attribute " + attr + " is not a number");
        }
    }

    static DocumentBuilderFactory factory() throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature("http://xml.org/sax/features/external-general-entities", false);
        f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        return f;
    }

    static AttestationException invalid(String detail) {
        return new AttestationException(Reason.RIM_INVALID, detail);
    }

}
