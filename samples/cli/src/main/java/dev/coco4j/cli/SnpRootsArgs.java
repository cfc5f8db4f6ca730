package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.sev.abi.SignerInfo;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.verify.EndorsementKeyCertificate;
import dev.coco4j.sev.verify.SnpTrustRoots;
import java.security.cert.X509Certificate;

/**
 * Builds the trust roots for {@code --ask}/{@code --ark}: they replace AMD's pinned certificates for the report's
 * product, and any one not given stays AMD's. The product comes from the report's CPUID (v3+), else {@code --product},
 * else the VEK's productName. For a VLEK-signed report {@code --ask} names the ASVK; since only this one report is
 * verified, the given certificate fills both issuer slots and the verifier uses the one the report's signer needs.
 */
final class SnpRootsArgs {
    private SnpRootsArgs() {
    }

    /**
     * The roots to verify with, or null to keep AMD's pinned roots.
     *
     * @param vek the endorsement key given with {@code --vcek}, or null
     */
    static SnpTrustRoots roots(SnpReport report, SnpProduct given, X509Certificate vek, X509Certificate ask,
                               X509Certificate ark) {
        if (ask == null && ark == null) {
            return null;
        }
        SnpProduct product = report.productFromCpuid().orElse(given);
        if (product == null && vek != null) {
            product = EndorsementKeyCertificate.parse(vek).product().orElse(null);
        }
        if (product == null) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot tell which product --ask/--ark are for:"
                    + " the version " + report.version() + " report names none; give --product or --vcek");
        }
        SnpTrustRoots.ProductRoots amd = SnpTrustRoots.amd().forProduct(product).orElseThrow();
        X509Certificate theArk = ark != null ? ark : amd.ark();
        boolean vlek = report.signerInfo().signingKey() == SignerInfo.SigningKey.VLEK;
        X509Certificate theAsk = ask != null ? ask : vlek ? amd.asvk() : amd.ask();
        X509Certificate theAsvk = vlek ? theAsk : amd.asvk();
        return SnpTrustRoots.builder().product(product, theArk, theAsk, theAsvk).build();
    }
}
