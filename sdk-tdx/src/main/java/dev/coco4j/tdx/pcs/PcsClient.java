package dev.coco4j.tdx.pcs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.internal.RawJson;
import dev.coco4j.tdx.internal.StrictPem;
import dev.coco4j.tdx.verify.PckCertificate;
import dev.coco4j.tdx.verify.TdxCollateral;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A client of Intel's Provisioning Certification Service (PCS) API v4 for TDX collateral, which PCCS and cloud
 * caches serve under the same paths. All HTTP goes through a {@link CollateralFetcher}: retries, timeouts, the memory
 * and disk caches, preloaded bundles and offline mode are configured there. Immutable and thread-safe.
 *
 * <p>URLs relative to the base URL (default {@value #DEFAULT_BASE_URL}; configurable for PCCS or a cache):
 * <ul>
 *   <li>{@code /tdx/certification/v4/tcb?fmspc={12 hex}}: TCB Info body, chain in {@code TCB-Info-Issuer-Chain}</li>
 *   <li>{@code /tdx/certification/v4/qe/identity}: QE Identity body, chain in
 *       {@code SGX-Enclave-Identity-Issuer-Chain}</li>
 *   <li>{@code /sgx/certification/v4/pckcrl?ca=platform|processor&encoding=der}: PCK CRL, chain in
 *       {@code SGX-PCK-CRL-Issuer-Chain}</li>
 *   <li>the Root CA CRL at {@value #DEFAULT_ROOT_CA_CRL_URL} (a PCCS serves it at
 *       {@code /sgx/certification/v4/rootcacrl}; configurable)</li>
 * </ul>
 * Issuer-chain headers are URL-encoded PEM, signer first, root last. Every response is cached until the
 * {@code nextUpdate} it carries (TCB Info, QE Identity, CRLs); a body that does not parse as what the URL promises is
 * refused and never cached. Nothing here checks a signature: {@link dev.coco4j.tdx.verify.TdxQuoteVerifier} checks
 * every chain, signature and window, also for cached copies.
 *
 * <p>Errors are {@link CollateralException}: {@code COLLATERAL_UNAVAILABLE} (offline without a copy, 404),
 * {@code SERVICE_UNAVAILABLE} (retries exhausted), {@code COLLATERAL_INVALID} (a malformed body or missing header).
 */
public final class PcsClient {
    /** Intel's public PCS. */
    public static final String DEFAULT_BASE_URL = "https://api.trustedservices.intel.com";
    /** Intel's Root CA CRL distribution point. */
    public static final String DEFAULT_ROOT_CA_CRL_URL =
            "https://certificates.trustedservices.intel.com/IntelSGXRootCA.der";
    /** Response header of the TCB Info issuer chain. */
    public static final String TCB_INFO_CHAIN_HEADER = "TCB-Info-Issuer-Chain";
    /** Response header of the QE Identity issuer chain. */
    public static final String QE_IDENTITY_CHAIN_HEADER = "SGX-Enclave-Identity-Issuer-Chain";
    /** Response header of the PCK CRL issuer chain. */
    public static final String PCK_CRL_CHAIN_HEADER = "SGX-PCK-CRL-Issuer-Chain";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final String baseUrl;
    private final String rootCaCrlUrl;
    private final CollateralFetcher fetcher;
    private final boolean offline;

    private PcsClient(Builder b) {
        this.baseUrl = b.baseUrl;
        this.rootCaCrlUrl = b.rootCaCrlUrl;
        this.offline = b.offline;
        this.fetcher = b.fetcher != null ? b.fetcher : CollateralFetcher.builder().offline(b.offline).build();
    }

    /**
     * A builder: Intel's PCS, a default fetcher.
     *
     * @return a new builder for Intel's PCS ({@link #DEFAULT_BASE_URL}, {@link #DEFAULT_ROOT_CA_CRL_URL}), online, with
     *     a default {@link CollateralFetcher}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A PCS response body with the URL-decoded issuer chain from its header.
     *
     * @param body the exact body bytes
     * @param issuerChainPem PEM, signer first
     */
    public record Signed(byte[] body, byte[] issuerChainPem) {
        /** Copies. */
        public Signed {
            body = body.clone();
            issuerChainPem = issuerChainPem.clone();
        }

        /** {@return a copy of the exact body bytes} */
        @Override
        public byte[] body() {
            return body.clone();
        }

        /** {@return a copy of PEM, signer first} */
        @Override
        public byte[] issuerChainPem() {
            return issuerChainPem.clone();
        }
    }

    /**
     * The TDX TCB Info for an FMSPC (6 bytes).
     *
     * @param fmspc the platform's FMSPC, exactly 6 bytes, not null (it is hex-encoded into the URL)
     * @return the TCB Info JSON body, exactly as served, with its issuer chain; its signature is not checked here
     * @throws ConfigurationException {@code CONFIGURATION} if {@code fmspc} is not 6 bytes
     * @throws CollateralException {@code COLLATERAL_UNAVAILABLE}, {@code SERVICE_UNAVAILABLE} or
     *     {@code COLLATERAL_INVALID} as described on the class
     */
    public Signed tcbInfo(byte[] fmspc) {
        if (Objects.requireNonNull(fmspc, "fmspc").length != 6) {
            throw new ConfigurationException(Reason.CONFIGURATION, "an FMSPC is 6 bytes");
        }
        String url = baseUrl + "/tdx/certification/v4/tcb?fmspc=" + HexFormat.of().formatHex(fmspc);
        return signedJson(url, "tcbInfo", TCB_INFO_CHAIN_HEADER);
    }

    /**
     * The TD QE Identity.
     *
     * @return the TD QE Identity JSON body, exactly as served, with its issuer chain; its signature is not checked here
     * @throws CollateralException {@code COLLATERAL_UNAVAILABLE}, {@code SERVICE_UNAVAILABLE} or
     *     {@code COLLATERAL_INVALID} as described on the class
     */
    public Signed qeIdentity() {
        return signedJson(baseUrl + "/tdx/certification/v4/qe/identity", "enclaveIdentity", QE_IDENTITY_CHAIN_HEADER);
    }

    /**
     * The PCK CRL of a PCK CA, as DER, with its issuer chain.
     *
     * @param ca which PCK CA's CRL to fetch ({@code PLATFORM} or {@code PROCESSOR}), not null
     * @return the CRL re-encoded as DER, with its issuer chain; its signature is not checked here
     * @throws CollateralException {@code COLLATERAL_UNAVAILABLE}, {@code SERVICE_UNAVAILABLE} or
     *     {@code COLLATERAL_INVALID} (not a DER, PEM or hex CRL) as described on the class
     */
    public Signed pckCrl(PckCertificate.CaType ca) {
        String url = baseUrl + "/sgx/certification/v4/pckcrl?ca=" + ca.name().toLowerCase(Locale.ROOT)
                + "&encoding=der";
        CollateralResponse r = fetcher.fetch(request(url, crlExpiry(), PcsClient::crl, PCK_CRL_CHAIN_HEADER));
        return new Signed(crl(r.body()).getEncoded0(), chainHeader(r, PCK_CRL_CHAIN_HEADER));
    }

    /**
     * The Intel SGX Root CA CRL, DER.
     *
     * @return a new array with the Intel SGX Root CA CRL as DER; its signature is not checked here
     * @throws CollateralException {@code COLLATERAL_UNAVAILABLE}, {@code SERVICE_UNAVAILABLE} or
     *     {@code COLLATERAL_INVALID} as described on the class
     */
    public byte[] rootCaCrl() {
        CollateralResponse r = fetcher.fetch(request(rootCaCrlUrl, crlExpiry(), PcsClient::crl, null));
        return crl(r.body()).getEncoded0();
    }

    /**
     * All collateral for one quote: its FMSPC and PCK CA come from the PCK certificate in the quote.
     *
     * @param quote the parsed quote whose PCK chain names the FMSPC and PCK CA, not null
     * @return the TCB Info, QE Identity, PCK CRL and Root CA CRL for that platform, not yet verified
     * @throws dev.coco4j.core.AttestationException if the quote's PCK certificate cannot be read
     * @throws CollateralException if anything cannot be fetched
     */
    public TdxCollateral collateralFor(TdxQuote quote) {
        List<byte[]> ders;
        try {
            ders = StrictPem.certificates(quote.signatureData().pckChainPem());
        } catch (IllegalArgumentException e) {
            throw new dev.coco4j.core.AttestationException(Reason.CHAIN_INVALID,
                    "the PCK certificate chain in the quote is not strict PEM");
        }
        if (ders.size() < 2) {
            throw new dev.coco4j.core.AttestationException(Reason.CHAIN_INVALID, "the PCK chain is incomplete");
        }
        X509Certificate ca = Certificates.parse(ders.get(1));
        PckCertificate.CaType type = ca.getSubjectX500Principal().getName().contains("Processor")
                ? PckCertificate.CaType.PROCESSOR : PckCertificate.CaType.PLATFORM;
        PckCertificate pck = PckCertificate.of(Certificates.parse(ders.get(0)), type);
        Signed tcb = tcbInfo(pck.fmspc());
        Signed qe = qeIdentity();
        Signed pckCrl = pckCrl(type);
        return TdxCollateral.fromPcs(tcb.body(), tcb.issuerChainPem(), qe.body(), qe.issuerChainPem(), pckCrl.body(),
                pckCrl.issuerChainPem(), rootCaCrl());
    }

    private Signed signedJson(String url, String member, String header) {
        CachePolicy untilNextUpdate = CachePolicy.computed(fresh -> nextUpdate(fresh.body(), member));
        CollateralResponse r = fetcher.fetch(request(url, untilNextUpdate, body -> nextUpdate(body, member), header));
        return new Signed(r.body(), chainHeader(r, header));
    }

    private CollateralRequest request(String url, CachePolicy policy, CollateralRequest.BodyValidator v,
                                      String header) {
        CollateralRequest.Builder b = CollateralRequest.builder(url).cachePolicy(policy).offline(offline).validator(v);
        if (header != null) {
            b.keepHeader(header);
        }
        return b.build();
    }

    private static CachePolicy crlExpiry() {
        return CachePolicy.computed(fresh -> {
            java.util.Date next = crl(fresh.body()).crl.getNextUpdate();
            return next == null ? null : next.toInstant();
        });
    }

    private static Instant nextUpdate(byte[] body, String member) {
        try {
            byte[] raw = RawJson.member(body, member);
            if (raw == null) {
                throw invalid("the PCS body lacks \"" + member + "\"");
            }
            JsonNode n = MAPPER.readTree(raw);
            return Instant.parse(n.get("nextUpdate").asText());
        } catch (CocoException e) {
            throw e;
        } catch (Exception e) {
            throw new CollateralException(Reason.COLLATERAL_INVALID, "the PCS " + member + " body is malformed", e);
        }
    }

    private record Crl(X509CRL crl) {
        byte[] getEncoded0() {
            try {
                return crl.getEncoded();
            } catch (Exception e) {
                throw invalid("the CRL cannot be encoded");
            }
        }
    }

    private static Crl crl(byte[] body) {
        try {
            return new Crl(Certificates.parseCrl(Hex.rawOrHex(body)));
        } catch (CocoException e) {
            throw invalid("the body is not a DER, PEM or hex CRL");
        }
    }

    private static byte[] chainHeader(CollateralResponse r, String header) {
        String v = r.header(header).orElseThrow(() -> invalid("the response for " + r.url() + " lacks the "
                + header + " header"));
        byte[] pem = percentDecode(v);
        try {
            Certificates.parseAll(pem);
        } catch (CocoException e) {
            throw invalid("the " + header + " header holds no certificate");
        }
        return pem;
    }

    /** Percent-decoding without form semantics ('+' stays '+', as base64 needs). */
    static byte[] percentDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw invalid("a truncated percent escape in an issuer-chain header");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw invalid("a bad percent escape in an issuer-chain header");
                }
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toByteArray();
    }

    private static CollateralException invalid(String detail) {
        return new CollateralException(Reason.COLLATERAL_INVALID, detail);
    }

    /** Builder for {@link PcsClient}. */
    public static final class Builder {
        private String baseUrl = DEFAULT_BASE_URL;
        private String rootCaCrlUrl = DEFAULT_ROOT_CA_CRL_URL;
        private CollateralFetcher fetcher;
        private boolean offline;

        private Builder() {
        }

        /**
         * The PCS/PCCS base URL, without a trailing slash (e.g. a PCCS at {@code https://pccs:8081}).
         *
         * @param url the base URL, not null; one trailing slash is removed
         * @return this builder
         */
        public Builder baseUrl(String url) {
            String u = Objects.requireNonNull(url, "url");
            this.baseUrl = u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
            return this;
        }

        /**
         * The Root CA CRL URL.
         *
         * @param url the full URL of the Root CA CRL, not null (a PCCS serves it at
         *     {@code /sgx/certification/v4/rootcacrl})
         * @return this builder
         */
        public Builder rootCaCrlUrl(String url) {
            this.rootCaCrlUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * The fetcher all HTTP goes through.
         *
         * @param fetcher the fetcher for every request, not null; it supplies retries, caches and preloaded bundles
         *     (default: a new one with this builder's offline setting)
         * @return this builder
         */
        public Builder fetcher(CollateralFetcher fetcher) {
            this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
            return this;
        }

        /**
         * Never touch the network: only preloaded or cached collateral.
         *
         * @param offline {@code true} to fail with {@code COLLATERAL_UNAVAILABLE} instead of going to the network when
         *     no preloaded or cached copy exists; default {@code false}
         * @return this builder
         */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * Builds the client.
         *
         * @return a new client with this builder's values
         */
        public PcsClient build() {
            return new PcsClient(this);
        }
    }
}
