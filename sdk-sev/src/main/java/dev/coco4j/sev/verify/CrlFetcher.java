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
     * @param product the product line whose CRL is needed, not {@code null}
     * @param kind VCEK for the ASK's CRL, VLEK for the ASVK's; not {@code null}
     * @return the CRL as obtained, not {@code null}; the verifier checks its signature and dates
     * @throws dev.coco4j.core.CollateralException if it cannot be obtained
     */
    X509CRL fetchCrl(SnpProduct product, EndorsementKeyCertificate.Kind kind);
}
