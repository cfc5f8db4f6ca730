package dev.coco4j.sev.verify;

import dev.coco4j.sev.abi.SnpCertTable;
import dev.coco4j.sev.abi.SnpProduct;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * What a caller supplies with one report: the endorsement key (VCEK/VLEK) if known, the certificate table that came with
 * the report (extended report or configfs-tsm {@code auxblob}), the product for v2 reports, and a CRL. All optional and
 * none of it trusted: the endorsement key is verified against the verifier's roots, and a host-supplied ASK or ARK in
 * the table is ignored. Immutable.
 *
 * @param endorsementKey the VCEK or VLEK, or null
 * @param certTable the report's certificate table, or null
 * @param product the product to assume for a v2 report, or null
 * @param crl AMD's CRL for the product and key kind, or null
 */
public record SnpCollateral(X509Certificate endorsementKey, SnpCertTable certTable, SnpProduct product, X509CRL crl) {

    /**
     * Nothing supplied: the VCEK comes from the verifier's fetcher.
     *
     * @return collateral with every component {@code null}
     */
    public static SnpCollateral none() {
        return new SnpCollateral(null, null, null, null);
    }

    /**
     * Only the endorsement key.
     *
     * @param vek the VCEK or VLEK certificate, or {@code null} (the same as {@link #none()})
     * @return collateral carrying only {@code vek}
     */
    public static SnpCollateral ofEndorsementKey(X509Certificate vek) {
        return new SnpCollateral(vek, null, null, null);
    }

    /**
     * A copy with the endorsement key set.
     *
     * @param vek the VCEK or VLEK certificate, or {@code null} to clear it
     * @return a new instance; this one is unchanged
     */
    public SnpCollateral withEndorsementKey(X509Certificate vek) {
        return new SnpCollateral(vek, certTable, product, crl);
    }

    /**
     * A copy with the certificate table set.
     *
     * @param table the report's certificate table, or {@code null} to clear it
     * @return a new instance; this one is unchanged
     */
    public SnpCollateral withCertTable(SnpCertTable table) {
        return new SnpCollateral(endorsementKey, table, product, crl);
    }

    /**
     * A copy with the product set.
     *
     * @param p the product to assume for a v2 report, or {@code null} to clear it
     * @return a new instance; this one is unchanged
     */
    public SnpCollateral withProduct(SnpProduct p) {
        return new SnpCollateral(endorsementKey, certTable, p, crl);
    }

    /**
     * A copy with the CRL set.
     *
     * @param c AMD's CRL for the product and key kind, or {@code null} to clear it
     * @return a new instance; this one is unchanged
     */
    public SnpCollateral withCrl(X509CRL c) {
        return new SnpCollateral(endorsementKey, certTable, product, c);
    }

    /**
     * The product, if given.
     *
     * @return the product, or empty when {@link #product()} is {@code null}
     */
    public Optional<SnpProduct> productIfGiven() {
        return Optional.ofNullable(product);
    }
}
