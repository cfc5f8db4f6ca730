package dev.coco4j.sev.verify;

import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.TcbVersion;
import java.security.cert.X509Certificate;

/**
 * Obtains the VCEK for a chip and TCB when neither the caller nor the report's certificate table supplied one —
 * typically AMD's KDS ({@code dev.coco4j.sev.kds.KdsClient}) with its cache. Whatever it returns is still verified
 * against the trusted roots.
 */
@FunctionalInterface
public interface VekFetcher {
    /**
     * Fetches the VCEK.
     *
     * @param product the product whose KDS path to use
     * @param chipId the report's 64-byte CHIP_ID
     * @param reportedTcb the report's REPORTED_TCB
     * @return the VCEK as obtained, not {@code null}; the verifier checks its chain and extensions
     * @throws dev.coco4j.core.CollateralException if it cannot be obtained
     */
    X509Certificate fetchVcek(SnpProduct product, byte[] chipId, TcbVersion reportedTcb);
}
