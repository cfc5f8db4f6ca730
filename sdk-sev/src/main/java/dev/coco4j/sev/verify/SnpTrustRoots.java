package dev.coco4j.sev.verify;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.sev.abi.SnpProduct;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The roots an SNP verifier trusts, per product: the AMD Root Key (ARK), the AMD SEV Key (ASK, issuer of VCEKs) and the
 * AMD SEV VLEK Key (ASVK, issuer of VLEKs). Immutable.
 *
 * <p>{@link #amd()} holds AMD's real certificates for Milan, Genoa and Turin, bundled in this module and checked
 * against pinned SHA-256 fingerprints when loaded. Anything else — simulator or test roots — is trusted only when a
 * caller passes it explicitly with {@link #builder()}. Certificates a host supplies (an extended report's cert table)
 * never become roots.
 */
public final class SnpTrustRoots {

    /**
     * The roots for one product.
     *
     * @param product the product
     * @param ark the self-signed AMD root key certificate
     * @param ask the VCEK issuer, signed by the ARK
     * @param asvk the VLEK issuer, signed by the ARK; may be null when VLEKs are not to be accepted
     */
    public record ProductRoots(SnpProduct product, X509Certificate ark, X509Certificate ask, X509Certificate asvk) {
        /** Checks that the product, ARK and ASK are present. */
        public ProductRoots {
            if (product == null || ark == null || ask == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "product, ARK and ASK are required");
            }
        }
    }

    /** SHA-256 fingerprints of AMD's certificates (DER), as published with the vectors and by AMD's KDS. */
    private static final Map<String, String> PINNED = Map.of(
            "ARK-Milan", "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd",
            "SEV-Milan", "67d303bd3905fd38db8b20e0793699870e7fa612eaad5dec358293fd8c0bac1b",
            "SEV-VLEK-Milan", "c5e081f59b7efab1fe2f8b505e159704e72f29cab7ef7cf628a05a42439082f5",
            "ARK-Genoa", "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1",
            "SEV-Genoa", "5464738c1546aed5f2cecf1dc98c5c960a92e8913238a61711bc90ec6e828521",
            "SEV-VLEK-Genoa", "197e610743a917d6b9bb982a5a9226ccc0a15b611be0619e626aca9151457372",
            "ARK-Turin", "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a",
            "SEV-Turin", "5b77ef5fe7a7a004fd9032668fba9d0fda22f88c4442069a479636a6ae3b3185",
            "SEV-VLEK-Turin", "104e10a8bd060a3c20a434261a57d0588fd65a88915b4f65b08bdecaf8df1a3c");

    private static final class AmdHolder {
        static final SnpTrustRoots AMD = loadAmd();
    }

    private final Map<SnpProduct, ProductRoots> roots;

    private SnpTrustRoots(Map<SnpProduct, ProductRoots> roots) {
        this.roots = Map.copyOf(roots);
    }

    /**
     * AMD's pinned roots for Milan, Genoa and Turin: the default trust of every SNP verifier.
     *
     * @return the shared instance, loaded and fingerprint-checked on first use
     */
    public static SnpTrustRoots amd() {
        return AmdHolder.AMD;
    }

    /**
     * A builder for explicit roots (simulator, tests, or a subset of AMD's).
     *
     * @return a new, empty builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The roots for a product, if trusted.
     *
     * @param product the product to look up, not {@code null}
     * @return the product's ARK, ASK and (optional) ASVK, or empty if the product is not trusted
     */
    public Optional<ProductRoots> forProduct(SnpProduct product) {
        return Optional.ofNullable(roots.get(product));
    }

    /**
     * True if these are exactly AMD's pinned roots.
     *
     * @return {@code true} only for the instance {@link #amd()} returns; roots built from the same certificates give
     *     {@code false}
     */
    public boolean isAmd() {
        return this == AmdHolder.AMD;
    }

    private static SnpTrustRoots loadAmd() {
        Builder b = builder();
        for (SnpProduct p : SnpProduct.values()) {
            String file = p.kdsName().toLowerCase(java.util.Locale.ROOT) + "_ask_ark_asvk.pem";
            List<X509Certificate> certs;
            try (InputStream in = SnpTrustRoots.class.getResourceAsStream(file)) {
                if (in == null) {
                    throw new IllegalStateException("missing bundled AMD roots " + file);
                }
                certs = Certificates.parseAll(in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            X509Certificate ask = pinned(certs, "SEV-" + p.kdsName());
            X509Certificate ark = pinned(certs, "ARK-" + p.kdsName());
            X509Certificate asvk = pinned(certs, "SEV-VLEK-" + p.kdsName());
            b.product(p, ark, ask, asvk);
        }
        return b.build();
    }

    private static X509Certificate pinned(List<X509Certificate> certs, String cn) {
        for (X509Certificate c : certs) {
            if (EndorsementKeyCertificate.commonName(c).equals(cn)) {
                String fp = Certificates.sha256Fingerprint(c);
                if (!fp.equals(PINNED.get(cn))) {
                    throw new IllegalStateException("bundled " + cn + " does not match its pinned fingerprint");
                }
                return c;
            }
        }
        throw new IllegalStateException("bundled AMD roots lack " + cn);
    }

    /** Builder for {@link SnpTrustRoots}. */
    public static final class Builder {
        private final Map<SnpProduct, ProductRoots> roots = new EnumMap<>(SnpProduct.class);

        private Builder() {
        }

        /**
         * Trusts these certificates for a product ({@code asvk} may be null).
         *
         * @param product the product these roots serve, not {@code null}; a second call for it replaces the first
         * @param ark the self-signed root certificate, not {@code null}
         * @param ask the VCEK issuer, not {@code null}
         * @param asvk the VLEK issuer, or {@code null} to refuse VLEK-signed reports for this product
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code product}, {@code ark} or {@code
         *     ask} is {@code null}
         */
        public Builder product(SnpProduct product, X509Certificate ark, X509Certificate ask, X509Certificate asvk) {
            roots.put(product, new ProductRoots(product, ark, ask, asvk));
            return this;
        }

        /**
         * Builds the immutable set; at least one product is required.
         *
         * @return a new immutable set of roots
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if no product was added
         */
        public SnpTrustRoots build() {
            if (roots.isEmpty()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "no trust roots given");
            }
            return new SnpTrustRoots(roots);
        }
    }
}
