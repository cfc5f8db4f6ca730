package dev.coco4j.tdx.verify;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

/**
 * A PCK leaf certificate with its Intel SGX extension (OID {@code 1.2.840.113741.1.13.1}) decoded by exact OIDs:
 * {@code .1} PPID, {@code .2} TCB ({@code .2.1}-{@code .2.16} component SVNs, {@code .2.17} PCESVN, {@code .2.18}
 * CPUSVN), {@code .3} PCE-ID, {@code .4} FMSPC, {@code .5} SGX type. Each must be present exactly once.
 *
 * @param certificate the leaf
 * @param caType the issuing CA: platform or processor
 * @param ppid 16 bytes
 * @param componentSvns the 16 SGX TCB component SVNs
 * @param pceSvn PCESVN
 * @param cpuSvn 16 bytes
 * @param pceId 2 bytes
 * @param fmspc 6 bytes
 * @param sgxType 0 standard, 1 scalable, 2 scalable with integrity
 */
public record PckCertificate(X509Certificate certificate, CaType caType, byte[] ppid, List<Integer> componentSvns,
                             int pceSvn, byte[] cpuSvn, byte[] pceId, byte[] fmspc, int sgxType) {

    /** The SGX extension OID. */
    public static final String SGX_EXTENSION_OID = "1.2.840.113741.1.13.1";

    /** Which PCK CA issued the leaf; selects the PCK CRL ({@code ca=platform|processor}). */
    public enum CaType {
        /** Intel SGX PCK Platform CA. */
        PLATFORM,
        /** Intel SGX PCK Processor CA. */
        PROCESSOR
    }

    /** Copies the arrays. */
    public PckCertificate {
        ppid = ppid.clone();
        componentSvns = List.copyOf(componentSvns);
        cpuSvn = cpuSvn.clone();
        pceId = pceId.clone();
        fmspc = fmspc.clone();
    }

    /** {@return a copy of 16 bytes} */
    @Override
    public byte[] ppid() {
        return ppid.clone();
    }

    /** {@return a copy of 16 bytes} */
    @Override
    public byte[] cpuSvn() {
        return cpuSvn.clone();
    }

    /** {@return a copy of 2 bytes} */
    @Override
    public byte[] pceId() {
        return pceId.clone();
    }

    /** {@return a copy of 6 bytes} */
    @Override
    public byte[] fmspc() {
        return fmspc.clone();
    }

    /**
     * Decodes the leaf's SGX extension.
     *
     * @param leaf the PCK leaf certificate, not null; only its SGX extension is read, its signature is not checked here
     * @param caType which PCK CA issued {@code leaf} ({@code PLATFORM} or {@code PROCESSOR}), not null; kept as
     *     given, not derived from the certificate
     * @return the decoded SGX extension values with the CA type
     * @throws AttestationException CHAIN_INVALID if the extension is missing, malformed or incomplete
     */
    public static PckCertificate of(X509Certificate leaf, CaType caType) {
        byte[] ext = leaf.getExtensionValue(SGX_EXTENSION_OID);
        if (ext == null) {
            throw bad("the PCK certificate has no SGX extension");
        }
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(ASN1OctetString.getInstance(ext).getOctets());
            String base = SGX_EXTENSION_OID;
            Set<String> seen = new HashSet<>();
            byte[] ppid = null;
            byte[] cpuSvn = null;
            byte[] pceId = null;
            byte[] fmspc = null;
            Integer sgxType = null;
            Integer pceSvn = null;
            Integer[] comps = new Integer[16];
            for (ASN1Encodable e : seq) {
                ASN1Sequence pair = ASN1Sequence.getInstance(e);
                if (pair.size() != 2) {
                    throw bad("an SGX extension entry is not an (OID, value) pair");
                }
                String oid = ASN1ObjectIdentifier.getInstance(pair.getObjectAt(0)).getId();
                ASN1Primitive v = pair.getObjectAt(1).toASN1Primitive();
                if (!seen.add(oid)) {
                    throw bad("SGX extension entry " + oid + " repeats");
                }
                if (oid.equals(base + ".1")) {
                    ppid = octets(v, 16, "PPID");
                } else if (oid.equals(base + ".2")) {
                    Set<String> tseen = new HashSet<>();
                    for (ASN1Encodable te : ASN1Sequence.getInstance(v)) {
                        ASN1Sequence tp = ASN1Sequence.getInstance(te);
                        String toid = ASN1ObjectIdentifier.getInstance(tp.getObjectAt(0)).getId();
                        ASN1Primitive tv = tp.getObjectAt(1).toASN1Primitive();
                        if (!tseen.add(toid)) {
                            throw bad("SGX TCB entry " + toid + " repeats");
                        }
                        String prefix = base + ".2.";
                        if (!toid.startsWith(prefix)) {
                            continue;
                        }
                        int n = Integer.parseInt(toid.substring(prefix.length()));
                        if (n >= 1 && n <= 16) {
                            comps[n - 1] = smallInt(tv, 255, "TCB component " + n);
                        } else if (n == 17) {
                            pceSvn = smallInt(tv, 65535, "PCESVN");
                        } else if (n == 18) {
                            cpuSvn = octets(tv, 16, "CPUSVN");
                        }
                    }
                } else if (oid.equals(base + ".3")) {
                    pceId = octets(v, 2, "PCE-ID");
                } else if (oid.equals(base + ".4")) {
                    fmspc = octets(v, 6, "FMSPC");
                } else if (oid.equals(base + ".5")) {
                    sgxType = ASN1Enumerated.getInstance(v).intValueExact();
                }
            }
            List<Integer> c = new ArrayList<>(Arrays.asList(comps));
            if (ppid == null || cpuSvn == null || pceId == null || fmspc == null || sgxType == null || pceSvn == null
                    || c.contains(null)) {
                throw bad("the SGX extension lacks PPID, TCB (16 components, PCESVN, CPUSVN), PCE-ID, FMSPC or SGX type");
            }
            return new PckCertificate(leaf, caType, ppid, c, pceSvn, cpuSvn, pceId, fmspc, sgxType);
        } catch (AttestationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AttestationException(Reason.CHAIN_INVALID, "the PCK certificate's SGX extension is malformed", e);
        }
    }

    private static byte[] octets(ASN1Primitive v, int len, String what) {
        byte[] o = ASN1OctetString.getInstance(v).getOctets();
        if (o.length != len) {
            throw bad(what + " must be " + len + " bytes, got " + o.length);
        }
        return o;
    }

    private static int smallInt(ASN1Primitive v, int max, String what) {
        var i = ASN1Integer.getInstance(v).getValue();
        if (i.signum() < 0 || i.bitLength() > 31 || i.intValue() > max) {
            throw bad(what + " is out of range: " + i);
        }
        return i.intValue();
    }

    private static AttestationException bad(String detail) {
        return new AttestationException(Reason.CHAIN_INVALID, detail);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PckCertificate p && certificate.equals(p.certificate);
    }

    @Override
    public int hashCode() {
        return certificate.hashCode();
    }

    @Override
    public String toString() {
        return "PckCertificate[fmspc=" + java.util.HexFormat.of().formatHex(fmspc) + ", pceSvn=" + pceSvn + ", ca="
                + caType + "]";
    }
}
