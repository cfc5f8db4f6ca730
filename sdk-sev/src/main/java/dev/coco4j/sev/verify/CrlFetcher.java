package dev.coco4j.sev.verify;

import dev.coco4j.sev.abi.SnpProduct;
import java.security.cert.X509CRL;

/**
 * Obtains AMD's ARK-signed CRL for a product and key kind (typically from the KDS, cached until its nextUpdate). The
 * CRL is verified against the trusted ARK before use.
 */
@FunctionalInterface
public interface CrlFetcher {
    /**
     * Fetches the CRL.
     *
     * @throws dev.coco4j.core.CollateralException if it cannot be obtained
     */
    X509CRL fetchCrl(SnpProduct product, EndorsementKeyCertificate.Kind kind);
}
