package dev.coco4j.tdx.verify;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.CertificateChainVerifier;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.crypto.RawEcdsaVerifier;
import dev.coco4j.core.crypto.SignatureRule;
import dev.coco4j.tdx.abi.QuoteSignatureData;
import dev.coco4j.tdx.abi.SgxReportBody;
import dev.coco4j.tdx.abi.TdReportBody;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.internal.StrictPem;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Verifies Intel TDX DCAP quotes (v4, v5) against collateral, in Intel QVL's order, failing closed:
 * <ol>
 * <li>header: QE vendor is Intel;</li>
 * <li>PCK chain from the quote: exactly leaf, PCK Platform/Processor CA, root; the root's key equals the trusted
 * root's (pinned Intel SGX Root CA by default); every signature ECDSA and valid; every certificate valid at the
 * verification instant ({@code CERT_EXPIRED});</li>
 * <li>Root CA CRL signed by the root, PCK CRL signed by the quote's own PCK CA (so the collateral's PCK CRL issuer
 * chain is not needed to trust it), both within [thisUpdate, nextUpdate]
 * ({@code COLLATERAL_EXPIRED}); the PCK CA and the leaf not revoked ({@code REVOKED});</li>
 * <li>PCK SGX extension: FMSPC, PCE-ID, component SVNs, PCESVN;</li>
 * <li>TCB Info and QE Identity: issuer chain [TCB Signing, root] to the same root, signing certificate not revoked,
 * ECDSA-P256-SHA256 signatures over the exact raw JSON bytes, each within [issueDate, nextUpdate];</li>
 * <li>TCB Info is id TDX, version ≥ 3, and its FMSPC and PCE-ID equal the PCK's;</li>
 * <li>TDX module identity ({@code tdxModuleIdentities["TDX_%02X"]} when TEE_TCB_SVN[1] &gt; 0, else
 * {@code tdxModule}): MRSIGNERSEAM and SEAMATTRIBUTES;</li>
 * <li>QE report signature by the PCK key; QE report data = SHA-256(attestation key ‖ QE auth data) ‖ 32 zero
 * bytes;</li>
 * <li>QE Identity (TD_QE, v2): MRSIGNER, ISVPRODID, masked MISCSELECT and ATTRIBUTES; ISVSVN → QE status;</li>
 * <li>quote signature by the attestation key over the exact signed region;</li>
 * <li>platform TCB level (SGX components and PCESVN against the PCK, TDX components against TEE_TCB_SVN), module
 * level, TD relaunch (TDX 1.5), QE convergence.</li>
 * </ol>
 * Stricter than Intel's QvE: expired certificates or collateral are terminal. Signature checks over PCK chains
 * and collateral sets are remembered by content hash ({@link Builder#cacheSize(int)}); every time-dependent check
 * and the per-quote signatures run on every call. A TCB status of Revoked is refused
 * ({@code TCB_STATUS_REJECTED}); no matching level is {@code TCB_NOT_SUPPORTED}. Immutable and thread-safe; build
 * with {@link #builder()}.
 */
public final class TdxQuoteVerifier {
    private static final SignatureRule ECDSA = SignatureRule.ecdsa();
    private static final ECParameterSpec P256 = p256();

    private final X509Certificate root;
    private final Clock clock;
    private final int cacheSize;
    private final java.util.concurrent.ConcurrentHashMap<String, Object> cache =
            new java.util.concurrent.ConcurrentHashMap<>();

    private TdxQuoteVerifier(Builder b) {
        this.root = b.root;
        this.clock = b.clock;
        this.cacheSize = b.cacheSize;
    }

    /**
     * A builder: Intel's pinned root and the system UTC clock by default.
     *
     * @return a new builder with the pinned Intel SGX Root CA, {@code Clock.systemUTC()} and a 256-entry cache
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The trusted root.
     *
     * @return the root certificate that every chain must end in (by public key)
     */
    public X509Certificate trustedRoot() {
        return root;
    }

    /**
     * Parses and verifies at the builder's clock.
     *
     * @param quote the raw quote bytes, not null; parsed with {@link TdxQuote#parse(byte[])}
     * @param collateral the collateral for this quote's platform, not null; checked here, not trusted in advance
     * @return the verified quote; policy (measurements, debug, accepted statuses) is still to be applied
     * @throws AttestationException {@code MALFORMED_EVIDENCE} or {@code UNSUPPORTED_VERSION} if the quote does not
     *     parse; otherwise as {@link #verify(TdxQuote, TdxCollateral, Instant)}
     */
    public VerifiedTdxQuote verify(byte[] quote, TdxCollateral collateral) {
        return verify(TdxQuote.parse(quote), collateral, clock.instant());
    }

    /**
     * Verifies at an instant.
     *
     * @param quote the parsed quote, not null
     * @param c the collateral for this quote's platform, not null; checked here, not trusted in advance
     * @param now the instant every certificate, CRL and collateral window is checked at, not null (the builder's clock
     *     is not used)
     * @return the verified quote; policy (measurements, debug, accepted statuses) is still to be applied
     * @throws AttestationException with a stable reason on any failure
     */
    public VerifiedTdxQuote verify(TdxQuote quote, TdxCollateral c, Instant now) {
        Objects.requireNonNull(quote, "quote");
        Objects.requireNonNull(c, "collateral");
        Objects.requireNonNull(now, "now");
        QuoteSignatureData sd = quote.signatureData();
        TdReportBody body = quote.body();
        if (!Arrays.equals(quote.qeVendorId(), TdxQuote.INTEL_QE_VENDOR_ID)) {
            throw fail(Reason.QE_IDENTITY_MISMATCH, "the QE vendor id " + hex(quote.qeVendorId()) + " is not Intel's");
        }
        List<Instant> expiries = new ArrayList<>();

        // 1. PCK chain: signatures to the pinned root (cached by content), then validity at now
        PckChain pc = pckChain(sd.pckChainPem());
        X509Certificate leaf = pc.leaf;
        X509Certificate ca = pc.ca;
        PckCertificate pck = pc.pck;
        for (X509Certificate x : List.of(leaf, ca, pc.root, root)) {
            CertificateChainVerifier.checkValidity(x, now);
            expiries.add(x.getNotAfter().toInstant());
        }

        // 2-4. collateral signatures (cached by content), then windows and revocation at now
        VerifiedCollateral vc = collateral(c, ca);
        crlWindow(c.rootCaCrl(), now, "the Intel SGX Root CA CRL");
        crlWindow(c.pckCrl(), now, "the PCK CRL");
        expiries.add(c.rootCaCrl().getNextUpdate().toInstant());
        expiries.add(c.pckCrl().getNextUpdate().toInstant());
        notRevoked(c.rootCaCrl(), ca);
        notRevoked(c.pckCrl(), leaf);
        for (X509Certificate signer : List.of(vc.tcbSigner, vc.qeSigner)) {
            CertificateChainVerifier.checkValidity(signer, now);
            notRevoked(c.rootCaCrl(), signer);
            expiries.add(signer.getNotAfter().toInstant());
        }
        TcbInfo tcbInfo = vc.tcbInfo;
        QeIdentity qeId = vc.qeIdentity;
        window(tcbInfo.issueDate(), tcbInfo.nextUpdate(), now, "TCB Info");
        window(qeId.issueDate(), qeId.nextUpdate(), now, "QE Identity");
        expiries.add(tcbInfo.nextUpdate());
        expiries.add(qeId.nextUpdate());

        // 5. TCB Info matches the platform
        if (!"TDX".equals(tcbInfo.id()) || tcbInfo.version() < 3) {
            throw fail(Reason.COLLATERAL_INVALID, "TCB Info id " + tcbInfo.id() + " version " + tcbInfo.version()
                    + " is not a TDX TCB Info (id TDX, version 3)");
        }
        if (!Arrays.equals(tcbInfo.fmspc(), pck.fmspc()) || !Arrays.equals(tcbInfo.pceId(), pck.pceId())) {
            throw fail(Reason.COLLATERAL_INVALID, "TCB Info is for FMSPC " + hex(tcbInfo.fmspc()) + " PCE-ID "
                    + hex(tcbInfo.pceId()) + ", the PCK certificate says FMSPC " + hex(pck.fmspc()) + " PCE-ID "
                    + hex(pck.pceId()));
        }

        // 6. TDX module identity
        int major = body.teeTcbSvn(1);
        TdxModuleIdentity module;
        if (major > 0) {
            String id = String.format(Locale.ROOT, "TDX_%02X", major);
            module = tcbInfo.tdxModuleIdentities().stream().filter(m -> m.id().equalsIgnoreCase(id)).findFirst()
                    .orElseThrow(() -> fail(Reason.TCB_MISMATCH, "TCB Info has no TDX module identity " + id));
        } else {
            module = tcbInfo.tdxModule().orElseThrow(() -> fail(Reason.COLLATERAL_INVALID,
                    "TCB Info has no tdxModule for a major-version-0 TDX module"));
        }
        if (!MessageDigest.isEqual(body.mrSignerSeam(), module.mrSigner())) {
            throw fail(Reason.TCB_MISMATCH, "MRSIGNERSEAM " + hex(body.mrSignerSeam())
                    + " is not the TDX module signer in TCB Info");
        }
        byte[] seamAttr = body.seamAttributes();
        if (!Arrays.equals(seamAttr, new byte[8]) || !Arrays.equals(seamAttr, module.attributes())) {
            throw fail(Reason.TCB_MISMATCH, "SEAMATTRIBUTES " + hex(seamAttr) + " must be zero and equal "
                    + hex(module.attributes()));
        }

        // 7. QE report signature and binding
        SgxReportBody qe = sd.qeReport();
        if (!verify(pc.pckVerifier, qe.raw(), sd.qeReportSignature())) {
            throw fail(Reason.SIGNATURE_INVALID, "the QE report signature does not verify with the PCK key");
        }
        byte[] expected = sha256(sd.attestationKey(), sd.qeAuthData());
        byte[] rd = qe.reportData();
        if (!MessageDigest.isEqual(Arrays.copyOf(rd, 32), expected)
                || !Arrays.equals(Arrays.copyOfRange(rd, 32, 64), new byte[32])) {
            throw fail(Reason.SIGNATURE_INVALID, "the QE report data does not bind the attestation key "
                    + "(SHA-256(attestation key || QE auth data) || 32 zero bytes)");
        }

        // 8. QE identity
        TdxTcbStatus qeStatus = qeIdentity(qe, qeId);

        // 9. quote signature
        RawEcdsaVerifier v = attestationKeyVerifier(sd.attestationKey());
        byte[] sig = sd.quoteSignature();
        if (!quote.verifySignedRegion((b, off, len) -> v.verify(b, off, len, Arrays.copyOf(sig, 32),
                Arrays.copyOfRange(sig, 32, 64), ByteOrder.BIG_ENDIAN))) {
            throw fail(Reason.SIGNATURE_INVALID, "the quote signature does not verify with the attestation key");
        }

        // 10. TCB levels and convergence
        TcbLevel sgxLevel = null;
        TcbLevel tdxLevel = null;
        int tdxStart = major > 0 ? 2 : 0;
        for (TcbLevel l : tcbInfo.tcbLevels()) {
            if (!sgxMatches(l, pck)) {
                continue;
            }
            if (sgxLevel == null) {
                sgxLevel = l;
            }
            if (tdxMatches(l, body, tdxStart)) {
                tdxLevel = l;
                break;
            }
        }
        if (sgxLevel == null) {
            throw fail(Reason.TCB_NOT_SUPPORTED, "no TCB level matches the PCK's SGX TCB (components "
                    + pck.componentSvns() + ", PCESVN " + pck.pceSvn() + ")");
        }
        if (tdxLevel == null) {
            throw fail(Reason.TCB_NOT_SUPPORTED, "no TCB level matches TEE_TCB_SVN " + hex(body.teeTcbSvn()));
        }
        TdxTcbStatus status = tdxLevel.status();
        LinkedHashSet<String> advisories = new LinkedHashSet<>(tdxLevel.advisoryIds());
        TdxTcbStatus moduleStatus = null;
        if (major > 0) {
            IsvTcbLevel ml = module.tcbLevels().stream().filter(l -> body.teeTcbSvn(0) >= l.isvSvn()).findFirst()
                    .orElseThrow(() -> fail(Reason.TCB_NOT_SUPPORTED, "no TDX module level of " + module.id()
                            + " matches module SVN " + body.teeTcbSvn(0)));
            moduleStatus = ml.status();
            advisories.addAll(ml.advisoryIds());
            if (moduleStatus == TdxTcbStatus.OUT_OF_DATE) {
                if (status == TdxTcbStatus.UP_TO_DATE || status == TdxTcbStatus.SW_HARDENING_NEEDED) {
                    status = TdxTcbStatus.OUT_OF_DATE;
                } else if (status == TdxTcbStatus.CONFIGURATION_NEEDED
                        || status == TdxTcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED) {
                    status = TdxTcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED;
                }
            } else if (moduleStatus == TdxTcbStatus.REVOKED) {
                status = TdxTcbStatus.REVOKED;
            }
        }
        status = relaunch(quote, tcbInfo, module, sgxLevel.status(), status, moduleStatus, qeStatus);
        if (qeStatus == TdxTcbStatus.OUT_OF_DATE) {
            if (status.configurationNeeded()) {
                status = TdxTcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED;
            } else if (status != TdxTcbStatus.REVOKED) {
                status = TdxTcbStatus.OUT_OF_DATE;
            }
        } else if (qeStatus == TdxTcbStatus.REVOKED) {
            status = TdxTcbStatus.REVOKED;
        }
        if (status == TdxTcbStatus.REVOKED) {
            throw fail(Reason.TCB_STATUS_REJECTED, "the TCB status is Revoked (platform " + tdxLevel.status()
                    + ", module " + moduleStatus + ", QE " + qeStatus + ")");
        }
        Instant earliest = expiries.stream().min(Instant::compareTo).orElseThrow();
        return new VerifiedTdxQuote(quote, pck, status, List.copyOf(advisories), tdxLevel.tcbDate(),
                tdxLevel.status(), Optional.ofNullable(moduleStatus), qeStatus, tcbInfo.tcbEvaluationDataNumber(),
                earliest, List.of(), now);
    }

    private static TdxTcbStatus relaunch(TdxQuote quote, TcbInfo info, TdxModuleIdentity module,
                                         TdxTcbStatus sgxStatus, TdxTcbStatus status, TdxTcbStatus moduleStatus,
                                         TdxTcbStatus qeStatus) {
        if (quote.bodyType() != 3 || qeStatus != TdxTcbStatus.UP_TO_DATE) {
            return status;
        }
        boolean sgxOk = sgxStatus == TdxTcbStatus.UP_TO_DATE || sgxStatus == TdxTcbStatus.SW_HARDENING_NEEDED
                || sgxStatus == TdxTcbStatus.CONFIGURATION_NEEDED
                || sgxStatus == TdxTcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED;
        boolean outOfDate = status == TdxTcbStatus.OUT_OF_DATE
                || status == TdxTcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED;
        if (!sgxOk || !outOfDate || (moduleStatus != null && moduleStatus != TdxTcbStatus.OUT_OF_DATE)) {
            return status;
        }
        byte[] svn2 = quote.body().teeTcbSvn2();
        TcbLevel top = info.tcbLevels().getFirst();
        boolean current;
        if ((svn2[1] & 0xff) == 0) {
            current = (svn2[0] & 0xff) >= top.tdxComponents().get(0) && (svn2[2] & 0xff) >= top.tdxComponents().get(2);
        } else {
            int topModule = module.tcbLevels().isEmpty() ? Integer.MAX_VALUE : module.tcbLevels().getFirst().isvSvn();
            current = (svn2[0] & 0xff) >= topModule && (svn2[2] & 0xff) >= top.tdxComponents().get(2);
        }
        if (!current) {
            return status;
        }
        return status == TdxTcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED || sgxStatus.configurationNeeded()
                ? TdxTcbStatus.TD_RELAUNCH_ADVISED_CONFIGURATION_NEEDED : TdxTcbStatus.TD_RELAUNCH_ADVISED;
    }

    private static boolean sgxMatches(TcbLevel l, PckCertificate pck) {
        for (int i = 0; i < 16; i++) {
            if (pck.componentSvns().get(i) < l.sgxComponents().get(i)) {
                return false;
            }
        }
        return pck.pceSvn() >= l.pceSvn();
    }

    private static boolean tdxMatches(TcbLevel l, TdReportBody body, int start) {
        for (int i = start; i < 16; i++) {
            if (body.teeTcbSvn(i) < l.tdxComponents().get(i)) {
                return false;
            }
        }
        return true;
    }

    private static TdxTcbStatus qeIdentity(SgxReportBody qe, QeIdentity id) {
        if (!"TD_QE".equals(id.id()) || id.version() != 2) {
            throw fail(Reason.QE_IDENTITY_MISMATCH, "QE Identity " + id.id() + " v" + id.version()
                    + " is not the TD quoting enclave's (TD_QE, version 2)");
        }
        List<String> bad = new ArrayList<>();
        if (!MessageDigest.isEqual(qe.mrSigner(), id.mrSigner())) {
            bad.add("MRSIGNER " + hex(qe.mrSigner()));
        }
        if (qe.isvProdId() != id.isvProdId()) {
            bad.add("ISVPRODID " + qe.isvProdId());
        }
        if ((qe.miscSelect() & id.miscSelectMask()) != id.miscSelect()) {
            bad.add(String.format("MISCSELECT 0x%08x", qe.miscSelect()));
        }
        byte[] a = qe.attributes();
        byte[] m = id.attributesMask();
        byte[] e = id.attributes();
        for (int i = 0; i < 16; i++) {
            if ((a[i] & m[i]) != e[i]) {
                bad.add("ATTRIBUTES " + hex(a));
                break;
            }
        }
        if (!bad.isEmpty()) {
            throw fail(Reason.QE_IDENTITY_MISMATCH, "the quoting enclave does not match QE Identity: "
                    + String.join(", ", bad));
        }
        return id.tcbLevels().stream().filter(l -> qe.isvSvn() >= l.isvSvn()).findFirst()
                .orElseThrow(() -> fail(Reason.TCB_NOT_SUPPORTED, "no QE Identity TCB level matches QE ISVSVN "
                        + qe.isvSvn())).status();
    }

    private record PckChain(X509Certificate leaf, X509Certificate ca, X509Certificate root, PckCertificate pck,
                            RawEcdsaVerifier pckVerifier) {
    }

    private record VerifiedCollateral(TcbInfo tcbInfo, QeIdentity qeIdentity, X509Certificate tcbSigner,
                                      X509Certificate qeSigner) {
    }

    private PckChain pckChain(byte[] pem) {
        String key = cacheKey("pck", pem);
        if (cache.get(key) instanceof PckChain hit) {
            return hit;
        }
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (byte[] der : StrictPem.certificates(pem)) {
                chain.add(Certificates.parse(der));
            }
        } catch (CocoException | IllegalArgumentException e) {
            throw fail(Reason.CHAIN_INVALID, "the PCK certificate chain in the quote is not strict PEM");
        }
        if (chain.size() != 3) {
            throw fail(Reason.CHAIN_INVALID, "the PCK chain must hold exactly 3 certificates, it holds "
                    + chain.size());
        }
        X509Certificate leaf = chain.get(0);
        X509Certificate ca = chain.get(1);
        X509Certificate chainRoot = chain.get(2);
        requireCn(leaf, "Intel SGX PCK Certificate");
        PckCertificate.CaType caType;
        String caCn = cn(ca);
        if (caCn.contains("Intel SGX PCK Platform CA")) {
            caType = PckCertificate.CaType.PLATFORM;
        } else if (caCn.contains("Intel SGX PCK Processor CA")) {
            caType = PckCertificate.CaType.PROCESSOR;
        } else {
            throw fail(Reason.CHAIN_INVALID, "the PCK issuer '" + caCn + "' is not an Intel SGX PCK CA");
        }
        requireRoot(chainRoot, "the PCK chain");
        CertificateChainVerifier.verifyIssuedBy(root, root, ECDSA);
        if (!CertificateChainVerifier.sameCertificate(chainRoot, root)) {
            CertificateChainVerifier.verifyIssuedBy(chainRoot, root, ECDSA);
        }
        CertificateChainVerifier.verifyIssuedBy(ca, chainRoot, ECDSA);
        CertificateChainVerifier.verifyIssuedBy(leaf, ca, ECDSA);
        RawEcdsaVerifier pckVerifier;
        try {
            pckVerifier = RawEcdsaVerifier.forKey(leaf.getPublicKey(), RawEcdsaVerifier.Hash.SHA256);
        } catch (CocoException e) {
            throw fail(Reason.CHAIN_INVALID, "the PCK key is not a P-256 key");
        }
        PckChain result = new PckChain(leaf, ca, chainRoot, PckCertificate.of(leaf, caType), pckVerifier);
        remember(key, result);
        return result;
    }

    private VerifiedCollateral collateral(TdxCollateral c, X509Certificate ca) {
        String key;
        try {
            List<byte[]> parts = new ArrayList<>();
            parts.add(ca.getEncoded());
            parts.add(c.rootCaCrl().getEncoded());
            parts.add(c.pckCrl().getEncoded());
            for (X509Certificate x : c.tcbInfoIssuerChain()) {
                parts.add(x.getEncoded());
            }
            parts.add(new byte[] {1});
            for (X509Certificate x : c.qeIdentityIssuerChain()) {
                parts.add(x.getEncoded());
            }
            parts.add(c.tcbInfoJson());
            parts.add(c.tcbInfoSignature());
            parts.add(c.qeIdentityJson());
            parts.add(c.qeIdentitySignature());
            key = cacheKey("collateral", parts.toArray(byte[][]::new));
        } catch (java.security.GeneralSecurityException e) {
            throw fail(Reason.COLLATERAL_INVALID, "the collateral cannot be encoded");
        }
        if (cache.get(key) instanceof VerifiedCollateral hit) {
            return hit;
        }
        crlSignature(c.rootCaCrl(), root, "the Intel SGX Root CA CRL");
        crlSignature(c.pckCrl(), ca, "the PCK CRL");
        X509Certificate tcbSigner = signingChain(c.tcbInfoIssuerChain(), "TCB Info");
        if (!ecdsa(tcbSigner.getPublicKey(), c.tcbInfoJson(), c.tcbInfoSignature())) {
            throw fail(Reason.COLLATERAL_INVALID, "the TCB Info signature does not verify over its raw JSON bytes");
        }
        TcbInfo tcbInfo = TcbInfo.parse(c.tcbInfoJson());
        X509Certificate qeSigner = signingChain(c.qeIdentityIssuerChain(), "QE Identity");
        if (!ecdsa(qeSigner.getPublicKey(), c.qeIdentityJson(), c.qeIdentitySignature())) {
            throw fail(Reason.COLLATERAL_INVALID, "the QE Identity signature does not verify over its raw JSON bytes");
        }
        VerifiedCollateral result = new VerifiedCollateral(tcbInfo, QeIdentity.parse(c.qeIdentityJson()), tcbSigner,
                qeSigner);
        remember(key, result);
        return result;
    }

    private X509Certificate signingChain(List<X509Certificate> chain, String what) {
        if (chain.isEmpty() || chain.size() > 2) {
            throw fail(Reason.COLLATERAL_INVALID, "the " + what + " issuer chain must be [TCB Signing, root]");
        }
        X509Certificate signer = chain.getFirst();
        if (!cn(signer).contains("Intel SGX TCB Signing")) {
            throw fail(Reason.COLLATERAL_INVALID, "the " + what + " signer '" + cn(signer)
                    + "' is not the Intel SGX TCB Signing certificate");
        }
        if (chain.size() == 2) {
            requireRoot(chain.get(1), "the " + what + " issuer chain");
        }
        try {
            CertificateChainVerifier.verifyIssuedBy(signer, root, ECDSA);
        } catch (AttestationException e) {
            throw fail(Reason.COLLATERAL_INVALID, "the " + what + " issuer chain: " + e.detail());
        }
        return signer;
    }

    private static void crlSignature(X509CRL crl, X509Certificate issuer, String what) {
        if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw fail(Reason.COLLATERAL_INVALID, what + " is issued by '" + crl.getIssuerX500Principal().getName()
                    + "', not by '" + cn(issuer) + "'");
        }
        if (!ECDSA.accepts(crl)) {
            throw fail(Reason.COLLATERAL_INVALID, what + " is not signed with ECDSA");
        }
        try {
            crl.verify(issuer.getPublicKey());
        } catch (java.security.GeneralSecurityException | RuntimeException e) {
            throw fail(Reason.COLLATERAL_INVALID, "the signature on " + what + " does not verify");
        }
    }

    private static void crlWindow(X509CRL crl, Instant now, String what) {
        java.util.Date next = crl.getNextUpdate();
        if (next == null) {
            throw fail(Reason.COLLATERAL_INVALID, what + " has no nextUpdate");
        }
        window(crl.getThisUpdate().toInstant(), next.toInstant(), now, what);
    }

    private static void notRevoked(X509CRL crl, X509Certificate c) {
        var entry = crl.getRevokedCertificate(c.getSerialNumber());
        if (entry != null) {
            throw fail(Reason.REVOKED, "'" + cn(c) + "' (serial " + c.getSerialNumber().toString(16)
                    + ") was revoked on " + entry.getRevocationDate().toInstant());
        }
    }

    private static String cacheKey(String kind, byte[]... parts) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                d.update(java.nio.ByteBuffer.allocate(4).putInt(p.length).array());
                d.update(p);
            }
            return kind + ":" + hex(d.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void remember(String key, Object value) {
        if (cacheSize <= 0) {
            return;
        }
        if (cache.size() >= cacheSize) {
            cache.clear();
        }
        cache.put(key, value);
    }

    private void requireRoot(X509Certificate chainRoot, String what) {
        if (!Arrays.equals(chainRoot.getPublicKey().getEncoded(), root.getPublicKey().getEncoded())) {
            throw fail(Reason.CHAIN_INVALID, what + " ends at '" + cn(chainRoot)
                    + "', whose key is not the trusted root's");
        }
    }

    private static void requireCn(X509Certificate c, String phrase) {
        if (!cn(c).contains(phrase)) {
            throw fail(Reason.CHAIN_INVALID, "'" + cn(c) + "' is not an " + phrase);
        }
    }

    private static String cn(X509Certificate c) {
        String s = CertificateChainVerifier.subjectName(c);
        return s.substring(1, s.length() - 1);
    }

    private static void window(Instant issued, Instant next, Instant now, String what) {
        if (now.isBefore(issued) || now.isAfter(next)) {
            throw fail(Reason.COLLATERAL_EXPIRED, what + " is valid from " + issued + " to " + next + ", not at "
                    + now);
        }
    }

    private static boolean ecdsa(PublicKey key, byte[] message, byte[] rs) {
        try {
            return RawEcdsaVerifier.forKey(key, RawEcdsaVerifier.Hash.SHA256).verify(message,
                    Arrays.copyOf(rs, 32), Arrays.copyOfRange(rs, 32, 64), ByteOrder.BIG_ENDIAN);
        } catch (CocoException e) {
            return false;
        }
    }

    // prepared verifiers are remembered per key: the attestation key is stable per quoting enclave
    private RawEcdsaVerifier attestationKeyVerifier(byte[] xy) {
        String key = "ak:" + hex(xy);
        if (cache.get(key) instanceof RawEcdsaVerifier hit) {
            return hit;
        }
        RawEcdsaVerifier v = RawEcdsaVerifier.forKey(attestationKey(xy), RawEcdsaVerifier.Hash.SHA256);
        remember(key, v);
        return v;
    }

    private static boolean verify(RawEcdsaVerifier v, byte[] message, byte[] rs) {
        return v.verify(message, Arrays.copyOf(rs, 32), Arrays.copyOfRange(rs, 32, 64), ByteOrder.BIG_ENDIAN);
    }

    private static PublicKey attestationKey(byte[] xy) {
        try {
            ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOf(xy, 32)),
                    new BigInteger(1, Arrays.copyOfRange(xy, 32, 64)));
            PublicKey k = KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, P256));
            RawEcdsaVerifier.forKey(k, RawEcdsaVerifier.Hash.SHA256);
            return k;
        } catch (Exception e) {
            throw fail(Reason.SIGNATURE_INVALID, "the attestation key is not a valid P-256 point");
        }
    }

    private static ECParameterSpec p256() {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (Exception e) {
            throw new IllegalStateException("the JDK lacks P-256", e);
        }
    }

    private static byte[] sha256(byte[] a, byte[] b) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(a);
            d.update(b);
            return d.digest();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static AttestationException fail(Reason r, String detail) {
        return new AttestationException(r, detail);
    }

    /** Builder for {@link TdxQuoteVerifier}. */
    public static final class Builder {
        private X509Certificate root = IntelRoot.certificate();
        private Clock clock = Clock.systemUTC();
        private int cacheSize = 256;

        private Builder() {
        }

        /**
         * How many verified PCK chains and collateral sets to remember (default 256; 0 disables). Entries are keyed
         * by a SHA-256 over every byte their signature checks covered, and hold only the outcome of those
         * signature checks: validity windows, CRL windows and revocation are checked again on every call.
         *
         * @param entries the number of entries to remember, 0 or more; 0 disables the cache
         * @return this builder
         * @throws IllegalArgumentException if {@code entries} is negative
         */
        public Builder cacheSize(int entries) {
            if (entries < 0) {
                throw new IllegalArgumentException("cache size " + entries);
            }
            this.cacheSize = entries;
            return this;
        }

        /**
         * Replaces the pinned Intel SGX Root CA (test roots, simulators). Chains are pinned to this certificate's key.
         *
         * @param root the root certificate with an EC public key, not null; chains are pinned to its key
         * @return this builder
         * @throws IllegalArgumentException if {@code root} does not have an EC key
         */
        public Builder trustedRoot(X509Certificate root) {
            if (!(Objects.requireNonNull(root, "root").getPublicKey() instanceof ECPublicKey)) {
                throw new IllegalArgumentException("the trusted root must have an EC key");
            }
            this.root = root;
            return this;
        }

        /**
         * The clock validity windows are checked against.
         *
         * @param clock the clock for {@link TdxQuoteVerifier#verify(byte[], TdxCollateral)}, not null (default
         *     {@code Clock.systemUTC()})
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Builds the verifier.
         *
         * @return a new verifier with this builder's values and an empty cache
         */
        public TdxQuoteVerifier build() {
            return new TdxQuoteVerifier(this);
        }
    }
}
