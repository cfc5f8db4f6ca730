package dev.coco4j.sev.kds;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.collateral.CachePolicy;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.core.collateral.CollateralRequest;
import dev.coco4j.core.collateral.CollateralResponse;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.internal.Hex;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.abi.TcbVersion;
import java.net.URI;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import okhttp3.HttpUrl;

/**
 * A client of the AMD Key Distribution Service (KDS): the VCEK for a chip and TCB, the ASK/ASVK + ARK certificate
 * chain and the CRL of each product line. All HTTP goes through a {@link CollateralFetcher}, so retries (including
 * the KDS's HTTP 429 answers under load), timeouts, caching, bundles and offline mode are configured there. Immutable
 * and thread-safe.
 *
 * <p>URLs, relative to the base URL (default {@value #DEFAULT_BASE_URL}; a caching proxy or mirror can replace it):
 * <ul>
 *   <li>Milan, Genoa: {@code /vcek/v1/{Milan|Genoa}/{hex(CHIP_ID, 64 bytes)}?blSPL=&teeSPL=&snpSPL=&ucodeSPL=}</li>
 *   <li>Turin: {@code /vcek/v1/Turin/{hex(CHIP_ID[0..8])}?fmcSPL=&blSPL=&teeSPL=&snpSPL=&ucodeSPL=} (the KDS answers
 *       404 to the 64-byte id on Turin, and needs {@code fmcSPL})</li>
 *   <li>{@code /vcek/v1/{P}/cert_chain}, {@code /vlek/v1/{P}/cert_chain}: PEM, ASK (or ASVK) then ARK</li>
 *   <li>{@code /vcek/v1/{P}/crl}, {@code /vlek/v1/{P}/crl}: a DER CRL signed by the ARK</li>
 * </ul>
 * SPL values are decimal, hex is lower case.
 *
 * <p>Caching: a VCEK URL names all of product, hwID and every TCB component (incl. FMC), so its answer is cached
 * forever; the chain for {@link Builder#certChainTtl(Duration) a TTL} (default one day); a CRL until its
 * {@code nextUpdate} (not at all if it has none or it has passed). Error answers (404, 429, ...) are never cached.
 * A body is cached only if it parses as what the URL promises. Nothing here checks signatures: the SEV verifier checks
 * the chain and the CRL signature every time, also for cached copies.
 *
 * <p>Errors are {@link CollateralException}: {@link Reason#COLLATERAL_UNAVAILABLE} (offline without a copy, 404, a
 * masked chip id), {@link Reason#SERVICE_UNAVAILABLE} (retries exhausted), {@link Reason#COLLATERAL_INVALID} (a body
 * that is not the expected certificate(s) or CRL); misuse is a {@link ConfigurationException}.
 */
public final class KdsClient {
    /** AMD's public KDS. */
    public static final String DEFAULT_BASE_URL = "https://kdsintf.amd.com";
    /** How long a fetched certificate chain is cached by default. */
    public static final Duration DEFAULT_CERT_CHAIN_TTL = Duration.ofDays(1);

    /** The kind of versioned endorsement key whose chain or CRL is asked for. */
    public enum KeyKind {
        /** Versioned chip endorsement key; chain ASK then ARK. */
        VCEK("vcek"),
        /** Versioned loaded endorsement key (cloud provider); chain ASVK then ARK. */
        VLEK("vlek");

        private final String pathSegment;

        KeyKind(String pathSegment) {
            this.pathSegment = pathSegment;
        }

        /**
         * The first path segment of this kind's KDS URLs ({@code vcek} or {@code vlek}).
         *
         * @return {@code "vcek"} or {@code "vlek"}
         */
        public String pathSegment() {
            return pathSegment;
        }
    }

    private final HttpUrl baseUrl;
    private final CollateralFetcher fetcher;
    private final boolean offline;
    private final Duration certChainTtl;

    private KdsClient(Builder b) {
        this.baseUrl = b.baseUrl;
        this.offline = b.offline;
        this.fetcher = b.fetcher != null ? b.fetcher : CollateralFetcher.builder().offline(b.offline).build();
        this.certChainTtl = b.certChainTtl;
    }

    /**
     * A builder: base URL {@value #DEFAULT_BASE_URL}, a default fetcher, online, chain TTL one day.
     *
     * @return a new builder with those defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The base URL, normalized (with a trailing slash).
     *
     * @return the base URL as a string, ending in {@code /}
     */
    public String baseUrl() {
        return baseUrl.toString();
    }

    /**
     * True if this client never touches the network (its own flag; the fetcher may be offline as well).
     *
     * @return {@code true} if this client was built offline
     */
    public boolean offline() {
        return offline;
    }

    /**
     * The VCEK URL for a chip and reported TCB.
     *
     * @param product the product line (decides the hwID length and URL shape)
     * @param chipId64 the report's 64-byte CHIP_ID (on Turin only its first 8 bytes go into the URL)
     * @param reportedTcb the report's REPORTED_TCB decoded under a layout equal to {@code product}'s
     * @return the absolute VCEK URL with the SPL query parameters in the order shown above
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the chip id is not 64 bytes or the TCB was
     *     decoded under another product's layout
     * @throws CollateralException with {@link Reason#COLLATERAL_UNAVAILABLE} if the chip id is all zero
     *     (MASK_CHIP_ID): such a VCEK cannot be looked up and must be supplied with the evidence
     */
    public URI vcekUrl(SnpProduct product, byte[] chipId64, TcbVersion reportedTcb) {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(chipId64, "chipId64");
        Objects.requireNonNull(reportedTcb, "reportedTcb");
        if (chipId64.length != 64) {
            throw new ConfigurationException(Reason.CONFIGURATION,
                    "chip id must be the report's 64-byte CHIP_ID, got " + chipId64.length + " bytes");
        }
        if (reportedTcb.product().tcbLayout() != product.tcbLayout()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "TCB decoded for " + reportedTcb.product().kdsName()
                    + " cannot name a " + product.kdsName() + " VCEK");
        }
        byte[] hwId = Arrays.copyOf(chipId64, product.hwIdLength());
        if (allZero(hwId)) {
            throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE,
                    "CHIP_ID is zero (MASK_CHIP_ID): the VCEK cannot be looked up at the KDS; supply it with the "
                            + "evidence");
        }
        HttpUrl.Builder u = baseUrl.newBuilder().addPathSegment("vcek").addPathSegment("v1")
                .addPathSegment(product.kdsName()).addPathSegment(Hex.encode(hwId));
        if (reportedTcb.hasFmc()) {
            u.addQueryParameter("fmcSPL", Integer.toString(reportedTcb.fmc()));
        }
        u.addQueryParameter("blSPL", Integer.toString(reportedTcb.bootLoader()))
                .addQueryParameter("teeSPL", Integer.toString(reportedTcb.tee()))
                .addQueryParameter("snpSPL", Integer.toString(reportedTcb.snp()))
                .addQueryParameter("ucodeSPL", Integer.toString(reportedTcb.microcode()));
        return u.build().uri();
    }

    /**
     * The VCEK URL for a report: its CHIP_ID and REPORTED_TCB under {@code product}.
     *
     * @param report the report whose CHIP_ID and REPORTED_TCB name the VCEK, not {@code null}
     * @param product the product line to decode the TCB and shape the URL with, not {@code null}
     * @return the absolute VCEK URL
     * @throws CollateralException with {@link Reason#COLLATERAL_UNAVAILABLE} if the report's CHIP_ID is all zero
     */
    public URI vcekUrl(SnpReport report, SnpProduct product) {
        return vcekUrl(product, report.chipId(), report.reportedTcb(product));
    }

    /**
     * The URL of a product's certificate chain for a key kind ({@code /vcek/v1/{P}/cert_chain} or the VLEK one).
     *
     * @param product the product line, not {@code null}
     * @param kind VCEK for the ASK chain, VLEK for the ASVK chain; not {@code null}
     * @return the absolute chain URL
     */
    public URI certChainUrl(SnpProduct product, KeyKind kind) {
        return productUrl(product, kind, "cert_chain");
    }

    /**
     * The URL of a product's CRL for a key kind ({@code /vcek/v1/{P}/crl} or {@code /vlek/v1/{P}/crl}).
     *
     * @param product the product line, not {@code null}
     * @param kind VCEK or VLEK, not {@code null}
     * @return the absolute CRL URL
     */
    public URI crlUrl(SnpProduct product, KeyKind kind) {
        return productUrl(product, kind, "crl");
    }

    private URI productUrl(SnpProduct product, KeyKind kind, String leaf) {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(kind, "kind");
        return baseUrl.newBuilder().addPathSegment(kind.pathSegment()).addPathSegment("v1")
                .addPathSegment(product.kdsName()).addPathSegment(leaf).build().uri();
    }

    /**
     * Fetches the VCEK for a chip and reported TCB (see {@link #vcekUrl(SnpProduct, byte[], TcbVersion)}), cached
     * forever under its full URL. The certificate is parsed, not verified.
     *
     * @param product the product line, not {@code null}
     * @param chipId64 the report's 64-byte CHIP_ID, not {@code null}; must not be all zero
     * @param reportedTcb the report's REPORTED_TCB decoded for {@code product}, not {@code null}
     * @return the VCEK as the KDS (or the fetcher's cache or bundle) served it; its signature is not checked here
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} for a chip id that is not 64 bytes or a TCB of
     *     another layout
     * @throws CollateralException with {@link Reason#COLLATERAL_UNAVAILABLE} (masked chip id, 404, offline without a
     *     copy), {@link Reason#SERVICE_UNAVAILABLE} (retries exhausted) or {@link Reason#COLLATERAL_INVALID} (not
     *     exactly one certificate)
     */
    public X509Certificate fetchVcek(SnpProduct product, byte[] chipId64, TcbVersion reportedTcb) {
        URI url = vcekUrl(product, chipId64, reportedTcb);
        CollateralResponse r = fetcher.fetch(request(url, CachePolicy.immutable(), KdsClient::checkOneCert));
        return parseCert(r.body(), url);
    }

    /**
     * Fetches the VCEK for a report: its CHIP_ID and REPORTED_TCB under {@code product}.
     *
     * @param report the report whose CHIP_ID and REPORTED_TCB name the VCEK, not {@code null}
     * @param product the product line to decode the TCB and shape the URL with, not {@code null}
     * @return the VCEK, parsed but not verified
     * @throws CollateralException as {@link #fetchVcek(SnpProduct, byte[], TcbVersion)} does
     */
    public X509Certificate fetchVcek(SnpReport report, SnpProduct product) {
        return fetchVcek(product, report.chipId(), report.reportedTcb(product));
    }

    /**
     * Fetches a product's chain for a key kind: exactly two certificates, ASK (VCEK) or ASVK (VLEK) first, then the
     * ARK. Cached for the chain TTL. Parsed, not verified.
     *
     * @param product the product line, not {@code null}
     * @param kind VCEK for ASK + ARK, VLEK for ASVK + ARK; not {@code null}
     * @return an immutable two-element list, intermediate first, ARK second; parsed but not verified
     * @throws CollateralException with {@link Reason#COLLATERAL_UNAVAILABLE}, {@link Reason#SERVICE_UNAVAILABLE}, or
     *     {@link Reason#COLLATERAL_INVALID} if the body is not exactly two certificates
     */
    public List<X509Certificate> fetchCertChain(SnpProduct product, KeyKind kind) {
        URI url = certChainUrl(product, kind);
        CollateralResponse r = fetcher.fetch(request(url, CachePolicy.ttl(certChainTtl), KdsClient::checkChain));
        return parseChain(r.body(), url);
    }

    /**
     * Fetches a product's CRL for a key kind, cached until its {@code nextUpdate}. Parsed, not verified: the caller
     * checks its signature against the ARK and its validity period.
     *
     * @param product the product line, not {@code null}
     * @param kind VCEK or VLEK, not {@code null}
     * @return the CRL, parsed but neither signature- nor date-checked
     * @throws CollateralException with {@link Reason#COLLATERAL_UNAVAILABLE}, {@link Reason#SERVICE_UNAVAILABLE}, or
     *     {@link Reason#COLLATERAL_INVALID} if the body is not a DER CRL
     */
    public X509CRL fetchCrl(SnpProduct product, KeyKind kind) {
        URI url = crlUrl(product, kind);
        CachePolicy untilNextUpdate = CachePolicy.computed(fresh -> {
            Date next = parseCrl(fresh.body(), url).getNextUpdate();
            return next == null ? null : next.toInstant();
        });
        CollateralResponse r = fetcher.fetch(request(url, untilNextUpdate, body -> parseCrl(body, url)));
        return parseCrl(r.body(), url);
    }

    private CollateralRequest request(URI url, CachePolicy policy, CollateralRequest.BodyValidator validator) {
        return CollateralRequest.builder(url.toString()).cachePolicy(policy).offline(offline).validator(validator)
                .build();
    }

    private static void checkOneCert(byte[] body) {
        parseCert(body, null);
    }

    private static void checkChain(byte[] body) {
        parseChain(body, null);
    }

    private static X509Certificate parseCert(byte[] body, URI url) {
        try {
            List<X509Certificate> certs = Certificates.parseAll(body);
            if (certs.size() != 1) {
                throw invalid(url, "expected one certificate, got " + certs.size(), null);
            }
            return certs.getFirst();
        } catch (CollateralException e) {
            throw e;
        } catch (CocoException | IllegalArgumentException e) {
            throw invalid(url, "not an X.509 certificate", e);
        }
    }

    private static List<X509Certificate> parseChain(byte[] body, URI url) {
        try {
            List<X509Certificate> certs = Certificates.parseAll(body);
            if (certs.size() != 2) {
                throw invalid(url, "expected 2 certificates (ASK or ASVK, then ARK), got " + certs.size(), null);
            }
            return certs;
        } catch (CollateralException e) {
            throw e;
        } catch (CocoException | IllegalArgumentException e) {
            throw invalid(url, "not a PEM certificate chain", e);
        }
    }

    private static X509CRL parseCrl(byte[] body, URI url) {
        try {
            return Certificates.parseCrl(body);
        } catch (CocoException | IllegalArgumentException e) {
            throw invalid(url, "not an X.509 CRL", e);
        }
    }

    private static CollateralException invalid(URI url, String detail, Throwable cause) {
        return new CollateralException(Reason.COLLATERAL_INVALID,
                "KDS answer" + (url == null ? "" : " from " + url) + ": " + detail, cause);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** Options for a {@link KdsClient}. Not thread-safe. */
    public static final class Builder {
        private HttpUrl baseUrl = HttpUrl.get(DEFAULT_BASE_URL);
        private CollateralFetcher fetcher;
        private boolean offline;
        private Duration certChainTtl = DEFAULT_CERT_CHAIN_TTL;

        private Builder() {
        }

        /**
         * The KDS base URL (default {@value #DEFAULT_BASE_URL}); a path prefix is kept, e.g. for a caching proxy.
         *
         * @param url an absolute {@code http} or {@code https} URL without query or fragment, not {@code null}
         * @return this builder
         * @throws ConfigurationException if it is not an absolute http(s) URL without query
         */
        public Builder baseUrl(String url) {
            HttpUrl parsed = HttpUrl.parse(Objects.requireNonNull(url, "url"));
            if (parsed == null || parsed.query() != null || parsed.fragment() != null) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "KDS base URL must be an absolute http(s) URL without query: " + url);
            }
            this.baseUrl = parsed;
            return this;
        }

        /**
         * The fetcher that performs, retries and caches the requests (default: a new default fetcher).
         *
         * @param fetcher the fetcher to use, not {@code null}; kept and shared, not copied
         * @return this builder
         */
        public Builder fetcher(CollateralFetcher fetcher) {
            this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
            return this;
        }

        /**
         * Answer only from the fetcher's preloaded or cached collateral; never touch the network (default false).
         *
         * @param offline {@code true} to mark every request offline
         * @return this builder
         */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * How long a fetched certificate chain is cached (default one day).
         *
         * @param ttl how long a fetched chain stays cached; positive, not {@code null}
         * @return this builder
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code ttl} is zero or negative
         */
        public Builder certChainTtl(Duration ttl) {
            Objects.requireNonNull(ttl, "ttl");
            if (ttl.isNegative() || ttl.isZero()) {
                throw new ConfigurationException(Reason.CONFIGURATION, "certChainTtl must be positive");
            }
            this.certChainTtl = ttl;
            return this;
        }

        /**
         * The client.
         *
         * @return a new immutable client; without an explicit fetcher, a default one is created with this builder's
         *     offline flag
         */
        public KdsClient build() {
            return new KdsClient(this);
        }
    }
}
