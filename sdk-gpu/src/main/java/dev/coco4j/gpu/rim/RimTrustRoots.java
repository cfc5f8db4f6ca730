package dev.coco4j.gpu.rim;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * The trust anchor for RIM signing chains. {@link #nvidia()} is the pinned "NVIDIA CoRIM signing Root CA" (valid to
 * 2053) bundled with the SDK and checked against its SHA-256 fingerprint {@value #NVIDIA_RIM_ROOT_SHA256}; the root
 * embedded in a RIM's KeyInfo is never trusted.
 *
 * @param rimRoot the self-signed RIM root
 */
public record RimTrustRoots(X509Certificate rimRoot) {
    /** SHA-256 fingerprint of NVIDIA's RIM root. */
    public static final String NVIDIA_RIM_ROOT_SHA256 =
            "12977b5115acb0381179279fffeb5a8c4d264971ebb32298023a465fa41df5d1";
    private static final RimTrustRoots NVIDIA = load();

    /**
     * Checks the components.
     *
     * @throws NullPointerException if the root is null
     */
    public RimTrustRoots {
        Objects.requireNonNull(rimRoot, "rimRoot");
    }

    /**
     * NVIDIA's pinned RIM root.
     *
     * @return the shared instance holding the bundled root, checked against {@value #NVIDIA_RIM_ROOT_SHA256} at class
     *     load
     */
    public static RimTrustRoots nvidia() {
        return NVIDIA;
    }

    /**
     * An explicit root (simulators, tests).
     *
     * @param rimRoot the self-signed root RIM signing chains must verify to; must not be {@code null}
     * @return trust roots with that root
     */
    public static RimTrustRoots of(X509Certificate rimRoot) {
        return new RimTrustRoots(rimRoot);
    }

    private static RimTrustRoots load() {
        try (InputStream in = RimTrustRoots.class.getResourceAsStream("nvidia_rim_root.pem")) {
            if (in == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "bundled NVIDIA RIM root missing");
            }
            X509Certificate root = Certificates.parse(in.readAllBytes());
            String fp = Certificates.sha256Fingerprint(root);
            if (!fp.equalsIgnoreCase(NVIDIA_RIM_ROOT_SHA256)) {
                throw new ConfigurationException(Reason.CONFIGURATION, "bundled NVIDIA RIM root has fingerprint " + fp);
            }
            return new RimTrustRoots(root);
        } catch (IOException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot read the bundled NVIDIA RIM root", e);
        }
    }
}
