package dev.coco4j.gpu.verify;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.CertificateChainVerifier;
import dev.coco4j.core.crypto.Certificates;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The GPU's device certificate chain as {@code nvmlDeviceGetConfComputeGpuCertificate} returns it
 * ({@code attestationCertChain}): concatenated PEM, exactly {@value #LENGTH} certificates, leaf first:
 * {@code GH100 A01 GSP FMC LF} (signs reports, carries the FWID) → {@code GH100 A01 GSP BROM} (per-device identity) →
 * {@code NVIDIA GH100 Provisioner ICA 1} → {@code NVIDIA GH100 Identity} → {@code NVIDIA Device Identity CA} (root,
 * replaced by the pinned one when verifying). Blackwell chains say GB100. Unverified until
 * {@link GpuReportVerifier} checks it.
 *
 * @param certificates the certificates, leaf first
 */
public record DeviceCertificateChain(List<X509Certificate> certificates) {
    /** The number of certificates NVIDIA's verifiers require. */
    public static final int LENGTH = 5;
    /** TCG DICE TcbInfo extension OID, which carries the FWID. */
    public static final String TCB_INFO_OID = "2.23.133.5.4.1";
    /** The alternative OID NVIDIA's verifier also accepts. */
    public static final String TCB_INFO_OID_ALT = "2.23.133.5.4.1.1";
    /** DER of OID 2.16.840.1.101.3.4.2.2 (SHA-384) followed by an OCTET STRING header of length 48. */
    private static final byte[] SHA384_FWID_PATTERN = {0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01, 0x65, 0x03, 0x04,
        0x02, 0x02, 0x04, 0x30};

    /** Copies the list; checks the length. */
    public DeviceCertificateChain {
        certificates = List.copyOf(certificates);
        if (certificates.size() != LENGTH) {
            throw new AttestationException(Reason.CHAIN_INVALID, "a GPU device chain has " + LENGTH
                    + " certificates, this one has " + certificates.size());
        }
    }

    /**
     * Parses PEM (or concatenated DER) bytes.
     *
     * @param pem the chain as concatenated PEM (or DER) certificates, leaf first; must not be {@code null}; not
     *     modified
     * @return the parsed, unverified chain of exactly {@value #LENGTH} certificates
     * @throws AttestationException MALFORMED_EVIDENCE if unparseable, CHAIN_INVALID if not 5 certificates
     */
    public static DeviceCertificateChain parse(byte[] pem) {
        try {
            return new DeviceCertificateChain(Certificates.parseAll(pem));
        } catch (ConfigurationException e) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "GPU certificate chain: " + e.detail(), e);
        }
    }

    /**
     * The leaf ("GSP FMC LF") whose key signs reports.
     *
     * @return the first certificate of the chain; not verified by this record
     */
    public X509Certificate leaf() {
        return certificates.getFirst();
    }

    /**
     * The per-device identity certificate ("GSP BROM"); its CN is NVIDIA's {@code hwmodel} claim.
     *
     * @return the second certificate of the chain; not verified by this record
     */
    public X509Certificate deviceIdentity() {
        return certificates.get(1);
    }

    /**
     * The architecture the leaf names.
     *
     * @return the architecture the leaf's common name names
     * @throws AttestationException {@link Reason#UNSUPPORTED_VERSION} if the leaf names neither a Hopper nor a
     *     Blackwell chip
     */
    public GpuArchitecture architecture() {
        return GpuArchitecture.fromCommonName(commonName(leaf()));
    }

    /**
     * NVIDIA's {@code hwmodel} claim: the device identity certificate's CN.
     *
     * @return the subject common name of the device identity certificate, e.g. {@code GH100 A01 GSP BROM}
     */
    public String hwModel() {
        return commonName(deviceIdentity());
    }

    /**
     * NVIDIA's {@code ueid} claim: the leaf's serial number in decimal.
     *
     * @return the leaf's serial number as an unsigned decimal string
     */
    public String ueid() {
        BigInteger serial = leaf().getSerialNumber();
        return serial.toString();
    }

    /**
     * The SHA-384 FWID in the leaf's DICE TcbInfo extension: the 48-byte digest of the {@code fwids} entry whose
     * hash algorithm is SHA-384 (works for Hopper and Blackwell layouts).
     *
     * @return a fresh copy of the 48-byte FWID, or {@link Optional#empty()} if the leaf has no TcbInfo extension or no
     *     SHA-384 entry in it
     */
    public Optional<byte[]> leafFwid() {
        return fwid(leaf());
    }

    /**
     * The FWID of any certificate, as {@link #leafFwid()}.
     *
     * @param cert the certificate to read; must not be {@code null}
     * @return a fresh copy of the 48-byte FWID, or {@link Optional#empty()} if the certificate has no TcbInfo extension
     *     or no SHA-384 entry in it
     */
    public static Optional<byte[]> fwid(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(TCB_INFO_OID);
        if (ext == null) {
            ext = cert.getExtensionValue(TCB_INFO_OID_ALT);
        }
        if (ext == null) {
            return Optional.empty();
        }
        outer:
        for (int i = 0; i + SHA384_FWID_PATTERN.length + 48 <= ext.length; i++) {
            for (int j = 0; j < SHA384_FWID_PATTERN.length; j++) {
                if (ext[i + j] != SHA384_FWID_PATTERN[j]) {
                    continue outer;
                }
            }
            int start = i + SHA384_FWID_PATTERN.length;
            return Optional.of(Arrays.copyOfRange(ext, start, start + 48));
        }
        return Optional.empty();
    }

    static String commonName(X509Certificate c) {
        String n = CertificateChainVerifier.subjectName(c);
        return n.length() >= 2 && n.startsWith("'") && n.endsWith("'") ? n.substring(1, n.length() - 1) : n;
    }
}
