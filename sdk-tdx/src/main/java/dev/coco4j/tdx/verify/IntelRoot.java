package dev.coco4j.tdx.verify;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;

/**
 * The pinned Intel SGX Root CA (CN=Intel SGX Root CA, serial 22650cd6..., valid 2018-05-21 to 2049-12-31), bundled
 * as a resource and checked at load time against Intel's P-256 public key {@link #INTEL_ROOT_KEY_HEX}. Chains are
 * pinned by this key.
 */
public final class IntelRoot {
    /** The uncompressed P-256 public key of the Intel SGX Root CA. */
    public static final String INTEL_ROOT_KEY_HEX = "040ba9c4c0c0c86193a3fe23d6b02cda10a8bbd4e88e48b4458561a36e7055"
            + "25f567918e2edc88e40d860bd0cc4ee26aacc988e505a953558c453f6b0904ae7394";

    private static final X509Certificate ROOT = load();

    private IntelRoot() {
    }

    /**
     * The Intel SGX Root CA certificate.
     *
     * @return the pinned Intel SGX Root CA certificate, the same instance on every call (certificates are immutable)
     */
    public static X509Certificate certificate() {
        return ROOT;
    }

    /** The uncompressed point (04 ‖ x ‖ y) of an EC P-256 key. */
    static byte[] uncompressedPoint(ECPublicKey k) {
        byte[] out = new byte[65];
        out[0] = 4;
        copy(k.getW().getAffineX(), out, 1);
        copy(k.getW().getAffineY(), out, 33);
        return out;
    }

    private static void copy(java.math.BigInteger v, byte[] out, int off) {
        byte[] b = v.toByteArray();
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, off + 32 - n, n);
    }

    private static X509Certificate load() {
        try (InputStream in = IntelRoot.class.getResourceAsStream("intel_sgx_root_ca.pem")) {
            if (in == null) {
                throw new IllegalStateException("the bundled Intel SGX Root CA is missing");
            }
            X509Certificate c = Certificates.parse(in.readAllBytes());
            if (!(c.getPublicKey() instanceof ECPublicKey k)
                    || !HexFormat.of().formatHex(uncompressedPoint(k)).equals(INTEL_ROOT_KEY_HEX)) {
                throw new ConfigurationException(Reason.CONFIGURATION, "the bundled Intel root has the wrong key");
            }
            return c;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
