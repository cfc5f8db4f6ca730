package dev.coco4j.sev.verify;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.crypto.CertificateChainVerifier;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.crypto.CrlVerifier;
import dev.coco4j.core.crypto.RawEcdsaVerifier;
import dev.coco4j.core.crypto.SignatureRule;
import dev.coco4j.sev.abi.SignerInfo;
import dev.coco4j.sev.abi.SnpCertTable;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.abi.TcbVersion;
import java.nio.ByteOrder;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers "is this SEV-SNP report genuine?". For every report it checks, in order, and refuses at the first failure:
 * <ol>
 *   <li>the report parses (1184 bytes, version 2–5) and its signature algorithm is ECDSA P-384/SHA-384;</li>
 *   <li>it is signed: not MASK_CHIP_KEY, SIGNING_KEY is VCEK or VLEK;</li>
 *   <li>the product: from CPUID (v3+), else the caller's, else the VEK's productName (v2);</li>
 *   <li>the endorsement key — the caller's, else the report's certificate table, else the {@link VekFetcher} — is of
 *       the kind the report names ({@link Reason#SIGNER_KIND_MISMATCH}) and for the same product;</li>
 *   <li>VEK ← ASK (VCEK) or ASVK (VLEK) ← ARK of that product in the trusted roots, every signature RSASSA-PSS
 *       SHA-384/MGF1-SHA-384/salt 48, every certificate valid at the clock's instant;</li>
 *   <li>VCEK only: hwID equals CHIP_ID (64 bytes; 8 on Turin with the rest zero);</li>
 *   <li>every TCB component the VEK certifies (incl. FMC on Turin) equals REPORTED_TCB, and none exceeds
 *       CURRENT_TCB;</li>
 *   <li>the ECDSA P-384 signature over the received bytes {@code [0, 0x2A0)}, and the unused signature area is zero;</li>
 *   <li>revocation: against a supplied CRL or, when online, the {@link CrlFetcher}'s; otherwise the result carries the
 *       warning "revocation not checked" — never a silent pass.</li>
 * </ol>
 *
 * <p>Thread-safe and reusable. Verified endorsement-key chains are cached per instance (keyed by the VEK's DER bytes,
 * bounded, and re-checked against the clock on every use), so repeated reports from one chip cost one ECDSA
 * verification. Trust roots default to {@link SnpTrustRoots#amd()}.
 */
public final class SnpReportVerifier {
    /** AMD's signature rule for ARK, ASK, ASVK, VCEK, VLEK and CRLs. */
    public static final SignatureRule AMD_RULE = SignatureRule.rsaPss("SHA-384", 48);
    /** The warning added when no CRL was consulted. */
    public static final String REVOCATION_NOT_CHECKED = "revocation not checked (no CRL supplied or fetched)";

    private static final int CACHE_LIMIT = 1024;

    private final SnpTrustRoots roots;
    private final Clock clock;
    private final VekFetcher vekFetcher;
    private final CrlFetcher crlFetcher;
    private final boolean offline;
    private final ConcurrentHashMap<X509Certificate, VerifiedVek> cache = new ConcurrentHashMap<>();

    private record VerifiedVek(EndorsementKeyCertificate vek, SnpProduct product, X509Certificate issuer,
                               X509Certificate ark, RawEcdsaVerifier ecdsa, Instant notBefore, Instant notAfter) {
    }

    private SnpReportVerifier(Builder b) {
        this.roots = b.roots;
        this.clock = b.clock;
        this.vekFetcher = b.vekFetcher;
        this.crlFetcher = b.crlFetcher;
        this.offline = b.offline;
    }

    /**
     * A builder: AMD roots, system UTC clock, no fetchers, online.
     *
     * @return a new builder with those defaults
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Verifies raw report bytes with the given collateral.
     *
     * @param reportBytes the raw 1184-byte report, not {@code null}; copied by parsing
     * @param collateral what the caller supplies with the report, not {@code null}; {@link SnpCollateral#none()} for
     *     nothing
     * @return the verified report, checked at the configured clock's instant
     * @throws AttestationException with {@link Reason#MALFORMED_EVIDENCE} or {@link Reason#UNSUPPORTED_VERSION} if the
     *     bytes do not parse, otherwise as {@link #verify(SnpReport, SnpCollateral)}
     * @throws CollateralException if the endorsement key or CRL is needed but cannot be obtained
     */
    public VerifiedSnpReport verify(byte[] reportBytes, SnpCollateral collateral) {
        return verify(SnpReport.parse(reportBytes), collateral);
    }

    /**
     * Verifies SNP evidence: the report plus, when present, the certificate table in its auxiliary bytes.
     *
     * @param evidence {@link TeeType#SNP} evidence, not {@code null}; its auxiliary bytes, if any, must be a GHCB
     *     certificate table
     * @return the verified report, checked at the configured clock's instant
     * @throws AttestationException if the evidence is not SNP or is refused
     * @throws CollateralException if the endorsement key or CRL is needed but cannot be obtained
     */
    public VerifiedSnpReport verify(Evidence evidence) {
        return verify(evidence, SnpCollateral.none(), clock.instant());
    }

    /**
     * Verifies SNP evidence with extra collateral as of an instant; the evidence's certificate table is used when the
     * collateral has none.
     *
     * @param evidence {@link TeeType#SNP} evidence, not {@code null}
     * @param collateral what the caller supplies, not {@code null}; its certificate table wins over the evidence's
     * @param at the instant certificate and CRL validity are checked at, not {@code null}
     * @return the verified report, with {@code at} as its {@link VerifiedSnpReport#verifiedAt()}
     * @throws AttestationException with {@link Reason#MALFORMED_EVIDENCE} if the evidence is not SNP or its report or
     *     certificate table does not parse, otherwise with the {@link Reason} of the first failed check
     * @throws CollateralException if the endorsement key or CRL is needed but cannot be obtained
     */
    public VerifiedSnpReport verify(Evidence evidence, SnpCollateral collateral, Instant at) {
        if (evidence.tee() != TeeType.SNP) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "expected snp evidence, got "
                    + evidence.tee().id());
        }
        SnpCollateral c = collateral;
        Optional<byte[]> aux = evidence.auxiliaryIfPresent();
        if (aux.isPresent() && c.certTable() == null) {
            c = c.withCertTable(SnpCertTable.parse(aux.get()));
        }
        return verifyAt(SnpReport.parse(evidence.data()), c, at);
    }

    /**
     * Verifies a parsed report.
     *
     * @param report the parsed report, not {@code null}
     * @param collateral what the caller supplies with the report, not {@code null}; {@link SnpCollateral#none()} for
     *     nothing
     * @return the verified report, checked at the configured clock's instant; its warnings name what was not checked
     * @throws AttestationException with the {@link Reason} of the first failed check
     * @throws CollateralException if the endorsement key or CRL is needed but cannot be obtained
     * @throws ConfigurationException if the product of a v2 report cannot be determined
     */
    public VerifiedSnpReport verify(SnpReport report, SnpCollateral collateral) {
        return verifyAt(report, collateral, clock.instant());
    }

    /**
     * Verifies a parsed report as of an explicit instant instead of the configured clock's (for callers that carry
     * their own clock per request, such as {@link dev.coco4j.core.spi.Verifier} implementations).
     *
     * @param report the parsed report, not {@code null}
     * @param collateral what the caller supplies with the report, not {@code null}
     * @param at the instant certificate and CRL validity are checked at, not {@code null}
     * @return the verified report, with {@code at} as its {@link VerifiedSnpReport#verifiedAt()}
     * @throws AttestationException with the {@link Reason} of the first failed check
     * @throws CollateralException with {@link Reason#COLLATERAL_UNAVAILABLE} if no endorsement key was supplied and
     *     none can be fetched (offline or no {@link VekFetcher}), or as the fetcher throws
     * @throws ConfigurationException if the product of a v2 report cannot be determined
     */
    public VerifiedSnpReport verifyAt(SnpReport report, SnpCollateral collateral, Instant at) {
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(collateral, "collateral");
        Objects.requireNonNull(at, "at");
        List<String> warnings = new ArrayList<>();

        if (report.signatureAlgorithm() != SnpReport.SIG_ALGO_ECDSA_P384_SHA384) {
            throw refuse(Reason.SIGNATURE_INVALID, "unsupported signature algorithm " + report.signatureAlgorithm());
        }
        SignerInfo signer = report.signerInfo();
        if (signer.maskChipKey()) {
            throw refuse(Reason.SIGNATURE_INVALID, "the report is unsigned (MASK_CHIP_KEY is set)");
        }
        EndorsementKeyCertificate.Kind kind = switch (signer.signingKey()) {
            case VCEK -> EndorsementKeyCertificate.Kind.VCEK;
            case VLEK -> EndorsementKeyCertificate.Kind.VLEK;
            case NONE -> throw refuse(Reason.SIGNATURE_INVALID, "the report is unsigned (SIGNING_KEY = NONE)");
            case RESERVED -> throw refuse(Reason.SIGNER_KIND_MISMATCH, "reserved SIGNING_KEY value "
                    + signer.signingKeyField());
        };

        Optional<SnpProduct> fromCpuid = report.productFromCpuid();
        if (fromCpuid.isPresent() && collateral.product() != null && collateral.product() != fromCpuid.get()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "the report's CPUID says "
                    + fromCpuid.get().kdsName() + " but " + collateral.product().kdsName() + " was requested");
        }
        SnpProduct product = fromCpuid.orElse(collateral.product());

        X509Certificate vekCert = endorsementKey(report, collateral, kind, product);
        VerifiedVek vv = verifiedChain(vekCert, kind, product, at);
        product = vv.product;
        EndorsementKeyCertificate vek = vv.vek;

        if (kind == EndorsementKeyCertificate.Kind.VCEK) {
            checkChipId(report, vek, product);
        }
        checkTcb(report, vek, product);

        byte[] r = report.signatureR();
        byte[] s = report.signatureS();
        boolean ok = report.withRawBytes(raw -> {
            for (int i = SnpReport.SIGNATURE_OFFSET + 2 * SnpReport.SIGNATURE_COMPONENT_LENGTH; i < SnpReport.SIZE;
                    i++) {
                if (raw[i] != 0) {
                    return false;
                }
            }
            return true;
        });
        if (!ok) {
            throw refuse(Reason.MALFORMED_EVIDENCE, "the signature area after R and S is not zero");
        }
        boolean valid = report.withRawBytes(raw -> vv.ecdsa.verify(raw, 0, SnpReport.SIGNED_LENGTH, r, s,
                ByteOrder.LITTLE_ENDIAN));
        if (!valid) {
            throw refuse(Reason.SIGNATURE_INVALID, "the report signature does not verify with the "
                    + kind + " key");
        }

        X509CRL crl = collateral.crl();
        if (crl == null && crlFetcher != null && !offline) {
            crl = crlFetcher.fetchCrl(product, kind);
        }
        if (crl != null) {
            CrlVerifier.check(crl, vv.ark, AMD_RULE, at, vv.issuer, vek.certificate());
        } else {
            warnings.add(REVOCATION_NOT_CHECKED);
        }
        return new VerifiedSnpReport(report, product, vek, warnings, at);
    }

    private X509Certificate endorsementKey(SnpReport report, SnpCollateral collateral,
                                           EndorsementKeyCertificate.Kind kind, SnpProduct product) {
        if (collateral.endorsementKey() != null) {
            return collateral.endorsementKey();
        }
        if (collateral.certTable() != null) {
            var guid = kind == EndorsementKeyCertificate.Kind.VCEK ? SnpCertTable.VCEK : SnpCertTable.VLEK;
            Optional<byte[]> der = collateral.certTable().find(guid);
            if (der.isPresent()) {
                return Certificates.parse(der.get());
            }
        }
        if (kind == EndorsementKeyCertificate.Kind.VLEK) {
            throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE,
                    "the report is VLEK-signed but no VLEK was supplied (VLEKs cannot be fetched by chip)");
        }
        if (offline || vekFetcher == null) {
            throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE, "no VCEK supplied"
                    + (offline ? " and offline" : " and no fetcher configured"));
        }
        if (product == null) {
            throw new ConfigurationException(Reason.CONFIGURATION, "a version " + report.version()
                    + " report does not name its product: give the product or the VCEK");
        }
        if (report.chipIdMasked()) {
            throw refuse(Reason.CHIP_ID_MISMATCH, "CHIP_ID is zero (MASK_CHIP_ID): no VCEK can be looked up");
        }
        return vekFetcher.fetchVcek(product, report.chipId(), report.reportedTcb(product));
    }

    private VerifiedVek verifiedChain(X509Certificate vekCert, EndorsementKeyCertificate.Kind kind,
                                      SnpProduct wanted, Instant at) {
        VerifiedVek cached = cache.get(vekCert);
        if (cached != null && cached.vek.kind() == kind && (wanted == null || cached.product == wanted)) {
            if (at.isBefore(cached.notBefore) || at.isAfter(cached.notAfter)) {
                cache.remove(vekCert);
            } else {
                return cached;
            }
        }
        EndorsementKeyCertificate vek = EndorsementKeyCertificate.parse(vekCert);
        if (vek.kind() != kind) {
            throw refuse(Reason.SIGNER_KIND_MISMATCH, "the report is signed by a " + kind + " but a " + vek.kind()
                    + " was supplied");
        }
        SnpProduct certProduct = vek.product().orElseThrow(() -> refuse(Reason.CHAIN_INVALID,
                "unknown productName '" + vek.productName() + "' in the " + kind));
        SnpProduct product = wanted == null ? certProduct : wanted;
        if (certProduct != product) {
            throw refuse(Reason.CHAIN_INVALID, "the " + kind + " is for " + vek.productName() + " but the report is "
                    + product.kdsName());
        }
        SnpTrustRoots.ProductRoots pr = roots.forProduct(product).orElseThrow(() -> refuse(Reason.CHAIN_INVALID,
                "no trusted root for " + product.kdsName()));
        X509Certificate issuer = kind == EndorsementKeyCertificate.Kind.VCEK ? pr.ask() : pr.asvk();
        if (issuer == null) {
            throw refuse(Reason.CHAIN_INVALID, "no trusted ASVK for " + product.kdsName() + ": VLEKs not accepted");
        }
        CertificateChainVerifier.verifyChain(List.of(vekCert, issuer), pr.ark(), AMD_RULE, at);
        RawEcdsaVerifier ecdsa;
        try {
            ecdsa = RawEcdsaVerifier.forKey(vekCert.getPublicKey(), RawEcdsaVerifier.Hash.SHA384);
        } catch (CocoException e) {
            throw refuse(Reason.CHAIN_INVALID, "the " + kind + " key is not an EC P-384 key");
        }
        Instant nb = latest(vekCert.getNotBefore().toInstant(), issuer.getNotBefore().toInstant(),
                pr.ark().getNotBefore().toInstant());
        Instant na = earliest(vekCert.getNotAfter().toInstant(), issuer.getNotAfter().toInstant(),
                pr.ark().getNotAfter().toInstant());
        VerifiedVek vv = new VerifiedVek(vek, product, issuer, pr.ark(), ecdsa, nb, na);
        if (cache.size() >= CACHE_LIMIT) {
            cache.clear();
        }
        cache.put(vekCert, vv);
        return vv;
    }

    private static void checkChipId(SnpReport report, EndorsementKeyCertificate vek, SnpProduct product) {
        byte[] chip = report.chipId();
        byte[] hw = vek.hwId();
        int n = product.hwIdLength();
        if (hw.length != n) {
            throw refuse(Reason.CHIP_ID_MISMATCH, "the VCEK hwID is " + hw.length + " bytes; " + product.kdsName()
                    + " binds " + n);
        }
        boolean equal = java.security.MessageDigest.isEqual(hw, Arrays.copyOf(chip, n));
        for (int i = n; i < chip.length; i++) {
            equal &= chip[i] == 0;
        }
        if (!equal || report.chipIdMasked()) {
            throw refuse(Reason.CHIP_ID_MISMATCH, "the report's CHIP_ID does not match the VCEK's hwID");
        }
    }

    private static void checkTcb(SnpReport report, EndorsementKeyCertificate vek, SnpProduct product) {
        TcbVersion reported = report.reportedTcb(product);
        List<String> diffs = new ArrayList<>();
        compare(diffs, "bootloader", vek.blSpl(), reported.bootLoader());
        compare(diffs, "tee", vek.teeSpl(), reported.tee());
        compare(diffs, "snp", vek.snpSpl(), reported.snp());
        compare(diffs, "microcode", vek.ucodeSpl(), reported.microcode());
        if (reported.hasFmc()) {
            if (vek.fmcSpl() < 0) {
                diffs.add("fmc: the certificate has no fmcSPL");
            } else {
                compare(diffs, "fmc", vek.fmcSpl(), reported.fmc());
            }
        }
        if (!diffs.isEmpty()) {
            throw refuse(Reason.TCB_MISMATCH, "REPORTED_TCB differs from the certificate: " + String.join(", ", diffs));
        }
        TcbVersion current = report.currentTcb(product);
        if (!current.isAtLeast(reported)) {
            throw refuse(Reason.TCB_MISMATCH, "the certified TCB (" + reported + ") exceeds CURRENT_TCB (" + current
                    + ")");
        }
    }

    private static void compare(List<String> diffs, String name, int cert, int report) {
        if (cert != report) {
            diffs.add(name + " certificate " + cert + " vs report " + report);
        }
    }

    private static Instant latest(Instant... xs) {
        Instant m = xs[0];
        for (Instant x : xs) {
            m = x.isAfter(m) ? x : m;
        }
        return m;
    }

    private static Instant earliest(Instant... xs) {
        Instant m = xs[0];
        for (Instant x : xs) {
            m = x.isBefore(m) ? x : m;
        }
        return m;
    }

    private static AttestationException refuse(Reason reason, String detail) {
        return new AttestationException(reason, detail);
    }

    /** Builder for {@link SnpReportVerifier}. */
    public static final class Builder {
        private SnpTrustRoots roots = SnpTrustRoots.amd();
        private Clock clock = Clock.systemUTC();
        private VekFetcher vekFetcher;
        private CrlFetcher crlFetcher;
        private boolean offline;

        private Builder() {
        }

        /**
         * Replaces AMD's pinned roots (simulator or test roots).
         *
         * @param roots the roots to trust instead, not {@code null}; only products they hold can be verified
         * @return this builder
         */
        public Builder trustRoots(SnpTrustRoots roots) {
            this.roots = Objects.requireNonNull(roots, "roots");
            return this;
        }

        /**
         * The clock certificate and CRL validity are checked against (default: system UTC).
         *
         * @param clock the clock, not {@code null}; read once per verification without an explicit instant
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Where to get a VCEK the caller did not supply (typically the KDS client).
         *
         * @param fetcher the fetcher, or {@code null} for none: a report without a supplied VCEK is then refused with
         *     {@link Reason#COLLATERAL_UNAVAILABLE}
         * @return this builder
         */
        public Builder vekFetcher(VekFetcher fetcher) {
            this.vekFetcher = fetcher;
            return this;
        }

        /**
         * Where to get AMD's CRL when online and none was supplied.
         *
         * @param fetcher the fetcher, or {@code null} for none: without a supplied CRL the result then carries {@link
         *     #REVOCATION_NOT_CHECKED}
         * @return this builder
         */
        public Builder crlFetcher(CrlFetcher fetcher) {
            this.crlFetcher = fetcher;
            return this;
        }

        /**
         * Never use the fetchers.
         *
         * @param offline {@code true} to use only the supplied collateral; a missing VCEK is then {@link
         *     Reason#COLLATERAL_UNAVAILABLE} and an unchecked revocation a warning
         * @return this builder
         */
        public Builder offline(boolean offline) {
            this.offline = offline;
            return this;
        }

        /**
         * Builds the verifier.
         *
         * @return a new thread-safe verifier with an empty chain cache
         */
        public SnpReportVerifier build() {
            return new SnpReportVerifier(this);
        }
    }
}
