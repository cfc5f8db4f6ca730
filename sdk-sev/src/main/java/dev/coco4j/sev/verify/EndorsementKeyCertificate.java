package dev.coco4j.sev.verify;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.sev.abi.SnpProduct;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;

/**
 * A VCEK or VLEK certificate with its AMD extensions (OID prefix {@code 1.3.6.1.4.1.3704.1.}) decoded: structVersion,
 * productName, the TCB component SPLs, hwID (VCEK: raw bytes as AMD emits them, or wrapped in a DER OCTET STRING as
 * some tools do) and cspID (VLEK). Immutable; parsing checks encodings only, not the signature.
 *
 * @param certificate the certificate
 * @param kind VCEK or VLEK, from the subject CN ({@code SEV-VCEK} / {@code SEV-VLEK})
 * @param structVersion the structVersion extension (0 Milan/Genoa, 1 Turin)
 * @param productName the productName extension, e.g. {@code Milan-B0}, {@code Genoa}, {@code Turin}
 * @param blSpl boot loader SPL
 * @param teeSpl TEE SPL
 * @param snpSpl SNP SPL
 * @param ucodeSpl microcode SPL
 * @param fmcSpl FMC SPL, -1 when absent (before Turin)
 * @param hwId the chip id the VCEK is bound to (64 bytes, 8 on Turin); empty for a VLEK
 * @param cspId the cloud provider id of a VLEK, empty for a VCEK
 */
public record EndorsementKeyCertificate(X509Certificate certificate, Kind kind, int structVersion,
                                        String productName, int blSpl, int teeSpl, int snpSpl, int ucodeSpl,
                                        int fmcSpl, byte[] hwId, String cspId) {

    /** The two kinds of versioned endorsement key. */
    public enum Kind {
        /** Versioned Chip Endorsement Key: per chip and TCB, issued by the ASK. */
        VCEK,
        /** Versioned Loaded Endorsement Key: per cloud provider, issued by the ASVK. */
        VLEK
    }

    private static final String PREFIX = "1.3.6.1.4.1.3704.1.";
    static final String OID_STRUCT_VERSION = PREFIX + "1";
    static final String OID_PRODUCT_NAME = PREFIX + "2";
    static final String OID_BL_SPL = PREFIX + "3.1";
    static final String OID_TEE_SPL = PREFIX + "3.2";
    static final String OID_SNP_SPL = PREFIX + "3.3";
    static final String OID_UCODE_SPL = PREFIX + "3.8";
    static final String OID_FMC_SPL = PREFIX + "3.9";
    static final String OID_HWID = PREFIX + "4";
    static final String OID_CSP_ID = PREFIX + "5";

    /** Copies the hwID. */
    public EndorsementKeyCertificate {
        hwId = hwId.clone();
    }

    /** {@return a copy of the chip id the VCEK is bound to (64 bytes, 8 on Turin); empty for a VLEK} */
    @Override
    public byte[] hwId() {
        return hwId.clone();
    }

    /**
     * The product the productName names, if known.
     *
     * @return the product, or empty if the productName is not one this SDK knows
     */
    public Optional<SnpProduct> product() {
        return SnpProduct.fromProductName(productName);
    }

    /**
     * Decodes a VCEK or VLEK.
     *
     * @param cert the VCEK or VLEK certificate, not {@code null}; its signature is not checked here
     * @return the decoded certificate and AMD extensions
     * @throws AttestationException {@link Reason#CHAIN_INVALID} if the subject is neither SEV-VCEK nor SEV-VLEK, an
     *     AMD extension is missing or badly encoded, or the extensions contradict the kind
     */
    public static EndorsementKeyCertificate parse(X509Certificate cert) {
        String cn = commonName(cert);
        Kind kind = switch (cn) {
            case "SEV-VCEK" -> Kind.VCEK;
            case "SEV-VLEK" -> Kind.VLEK;
            default -> throw invalid("the endorsement key certificate's CN is '" + cn
                    + "', expected SEV-VCEK or SEV-VLEK");
        };
        int structVersion = integer(cert, OID_STRUCT_VERSION, true);
        String productName = ia5(cert, OID_PRODUCT_NAME).orElseThrow(() -> invalid(cn + " lacks productName"));
        int bl = integer(cert, OID_BL_SPL, true);
        int tee = integer(cert, OID_TEE_SPL, true);
        int snp = integer(cert, OID_SNP_SPL, true);
        int ucode = integer(cert, OID_UCODE_SPL, true);
        int fmc = integer(cert, OID_FMC_SPL, false);
        if (structVersion >= 1 && fmc < 0) {
            throw invalid(cn + " has structVersion " + structVersion + " but no fmcSPL");
        }
        byte[] rawHwId = extension(cert, OID_HWID);
        Optional<String> csp = ia5(cert, OID_CSP_ID);
        byte[] hwId = new byte[0];
        if (kind == Kind.VCEK) {
            if (rawHwId == null) {
                throw invalid("the VCEK has no hwID extension");
            }
            hwId = hwIdBytes(rawHwId);
        } else if (rawHwId != null) {
            throw invalid("a VLEK must not carry a hwID");
        } else if (csp.isEmpty()) {
            throw invalid("the VLEK has no cspID extension");
        }
        return new EndorsementKeyCertificate(cert, kind, structVersion, productName, bl, tee, snp, ucode, fmc, hwId,
                csp.orElse(""));
    }

    private static byte[] hwIdBytes(byte[] v) {
        // AMD's KDS puts the chip id as raw bytes in extnValue (64, or 8 on Turin); some tools wrap it in an
        // OCTET STRING. Decide by exact length, never by the first byte (raw ids may start with 0x04).
        if (v.length == 64 || v.length == 8) {
            return v;
        }
        if ((v.length == 66 && v[0] == 0x04 && v[1] == 64) || (v.length == 10 && v[0] == 0x04 && v[1] == 8)) {
            return Arrays.copyOfRange(v, 2, v.length);
        }
        throw invalid("the VCEK hwID is " + v.length + " bytes; expected 64 or 8 (raw or as an OCTET STRING)");
    }

    private static byte[] extension(X509Certificate cert, String oid) {
        byte[] wrapped = cert.getExtensionValue(oid);
        if (wrapped == null) {
            return null;
        }
        try {
            return ASN1OctetString.getInstance(wrapped).getOctets();
        } catch (RuntimeException e) {
            throw invalid("extension " + oid + " is not an OCTET STRING");
        }
    }

    private static int integer(X509Certificate cert, String oid, boolean required) {
        byte[] v = extension(cert, oid);
        if (v == null) {
            if (required) {
                throw invalid(commonName(cert) + " lacks extension " + oid);
            }
            return -1;
        }
        try {
            var i = ASN1Integer.getInstance(ASN1Primitive.fromByteArray(v)).getValue();
            if (i.signum() < 0 || i.bitLength() > 31) {
                throw invalid("extension " + oid + " is out of range");
            }
            return i.intValueExact();
        } catch (java.io.IOException | RuntimeException e) {
            if (e instanceof AttestationException ae) {
                throw ae;
            }
            throw invalid("extension " + oid + " is not a DER INTEGER");
        }
    }

    private static Optional<String> ia5(X509Certificate cert, String oid) {
        byte[] v = extension(cert, oid);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ASN1IA5String.getInstance(ASN1Primitive.fromByteArray(v)).getString());
        } catch (java.io.IOException | RuntimeException e) {
            throw invalid("extension " + oid + " is not a DER IA5String");
        }
    }

    static String commonName(X509Certificate cert) {
        for (String part : cert.getSubjectX500Principal().getName().split(",")) {
            String p = part.trim();
            if (p.startsWith("CN=")) {
                return p.substring(3);
            }
        }
        return "";
    }

    private static AttestationException invalid(String detail) {
        return new AttestationException(Reason.CHAIN_INVALID, detail);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EndorsementKeyCertificate e && e.certificate.equals(certificate);
    }

    @Override
    public int hashCode() {
        return certificate.hashCode();
    }

    @Override
    public String toString() {
        return "EndorsementKeyCertificate[" + kind + ", " + productName + ", bl=" + blSpl + " tee=" + teeSpl
                + " snp=" + snpSpl + " ucode=" + ucodeSpl + (fmcSpl >= 0 ? " fmc=" + fmcSpl : "") + "]";
    }
}
