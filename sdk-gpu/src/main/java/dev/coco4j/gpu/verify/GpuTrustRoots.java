package dev.coco4j.gpu.verify;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * The trust anchor for GPU device certificate chains. {@link #nvidia()} is the pinned "NVIDIA Device Identity CA"
 * (self-signed P-384, valid to 9999-12-31) bundled with the SDK and checked against its SHA-256 fingerprint
 * {@value #NVIDIA_DEVICE_ROOT_SHA256} when loaded. The root a GPU ships at the end of its chain is never trusted.
 *
 * @param deviceRoot the self-signed device identity root
 */
public record GpuTrustRoots(X509Certificate deviceRoot) {
    /** SHA-256 fingerprint of NVIDIA's device identity root. */
    public static final String NVIDIA_DEVICE_ROOT_SHA256 =
            "102bf659d5419614c9d8e6aecebc80454eb26b1df6a769ac720b9a690b167b48";
    private static final GpuTrustRoots NVIDIA = load();

    /**
     * Checks the components.
     *
     * @throws NullPointerException if the root is null
     */
    public GpuTrustRoots {
        Objects.requireNonNull(deviceRoot, "deviceRoot");
    }

    /**
     * NVIDIA's pinned device identity root.
     *
     * @return the shared instance holding the bundled root, checked against {@value #NVIDIA_DEVICE_ROOT_SHA256} at
     *     class load
     */
    public static GpuTrustRoots nvidia() {
        return NVIDIA;
    }

    /**
     * An explicit root (simulators, tests).
     *
     * @param deviceRoot the self-signed root device chains must verify to; must not be {@code null}
     * @return trust roots with that root
     */
    public static GpuTrustRoots of(X509Certificate deviceRoot) {
        return new GpuTrustRoots(deviceRoot);
    }

    /**
     * True if this is NVIDIA's pinned root.
     *
     * @return {@code true} if the root's SHA-256 fingerprint is {@value #NVIDIA_DEVICE_ROOT_SHA256}, {@code false} for
     *     another root
     */
    public boolean isNvidia() {
        return Certificates.sha256Fingerprint(deviceRoot).equalsIgnoreCase(NVIDIA_DEVICE_ROOT_SHA256);
    }

    private static GpuTrustRoots load() {
        try (InputStream in = GpuTrustRoots.class.getResourceAsStream("nvidia_device_identity_root.pem")) {
            if (in == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "bundled NVIDIA device root missing");
            }
            X509Certificate root = Certificates.parse(in.readAllBytes());
            String fp = Certificates.sha256Fingerprint(root);
            if (!fp.equalsIgnoreCase(NVIDIA_DEVICE_ROOT_SHA256)) {
                throw new ConfigurationException(Reason.CONFIGURATION, "bundled NVIDIA device root has fingerprint "
                        + fp);
            }
            return new GpuTrustRoots(root);
        } catch (IOException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot read the bundled NVIDIA device root", e);
        }
    }
}
