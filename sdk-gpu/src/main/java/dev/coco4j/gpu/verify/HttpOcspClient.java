package dev.coco4j.gpu.verify;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.CertificateChainVerifier;
import dev.coco4j.core.crypto.Certificates;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * An {@link OcspClient} over HTTP through OkHttp, with ASN.1 from Bouncy Castle, as NVIDIA's verifiers use OCSP:
 * one POST per certificate ({@code application/ocsp-request}, DER) to NVIDIA's responder (or a configured one),
 * CertID hashed with SHA-384, a fresh 32-byte nonce (id-pkix-ocsp-nonce) that the response must echo, optional
 * {@code Authorization: Bearer} service key.
 *
 * <p>Response checks: status successful; a basic response whose signature verifies with the responder certificate
 * (the first certificate in the response, else the issuer itself); that responder certificate is the issuer or is
 * issued by a certificate of the verified issuer path, is valid at the instant and, when delegated, carries the
 * OCSPSigning extended key usage ({@link Reason#CHAIN_INVALID}); a bad response signature is
 * {@link Reason#SIGNATURE_INVALID}; a missing or different nonce {@link Reason#NONCE_MISMATCH}; a response outside
 * thisUpdate..nextUpdate {@link Reason#COLLATERAL_EXPIRED}. Unreachable responders, HTTP errors and OCSP
 * tryLater/internalError are {@link Reason#SERVICE_UNAVAILABLE} ({@link CollateralException}).
 *
 * <p>Verified answers are cached in memory per (issuer, serial) until their nextUpdate (at most {@code cacheTtl}
 * after thisUpdate). Thread-safe.
 */
public final class HttpOcspClient implements OcspClient {
    /** NVIDIA's OCSP responder. */
    public static final String NVIDIA_OCSP_URL = "https://ocsp.ndis.nvidia.com/";
    private static final MediaType OCSP_REQUEST = MediaType.get("application/ocsp-request");
    private static final int MAX_RESPONSE_BYTES = 1 << 16;
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);

    private final OkHttpClient http;
    private final String url;
    private final String serviceKey;
    private final boolean nonce;
    private final Duration cacheTtl;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, OcspResult> cache = new ConcurrentHashMap<>();

    private HttpOcspClient(Builder b) {
        this.http = b.http != null ? b.http : new OkHttpClient.Builder()
                .connectTimeout(10, TimeUnit.SECONDS).readTimeout(10, TimeUnit.SECONDS)
                .callTimeout(30, TimeUnit.SECONDS).followSslRedirects(false).build();
        this.url = b.url;
        this.serviceKey = b.serviceKey;
        this.nonce = b.nonce;
        this.cacheTtl = b.cacheTtl;
    }

    /**
     * A builder: NVIDIA's responder, nonce on, 1-hour cache bound.
     *
     * @return a new builder with those defaults, the default OkHttp client (10 s connect/read, 30 s call) and no
     *     service key
     */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public OcspResult check(X509Certificate cert, List<X509Certificate> issuerPath, Instant at) {
        if (issuerPath.isEmpty()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "OCSP needs the certificate's issuer");
        }
        X509Certificate issuer = issuerPath.getFirst();
        String key = Certificates.sha256Fingerprint(issuer) + ":" + cert.getSerialNumber().toString(16);
        OcspResult cached = cache.get(key);
        if (cached != null && fresh(cached, at)) {
            return cached;
        }
        OcspResult r = query(cert, issuerPath, at);
        cache.put(key, r);
        return r;
    }

    private boolean fresh(OcspResult r, Instant at) {
        Instant until = r.thisUpdate().plus(cacheTtl);
        if (r.nextUpdate() != null && r.nextUpdate().isBefore(until)) {
            until = r.nextUpdate();
        }
        return !at.isBefore(r.thisUpdate().minus(CLOCK_SKEW)) && !at.isAfter(until);
    }

    private OcspResult query(X509Certificate cert, List<X509Certificate> issuerPath, Instant at) {
        X509Certificate issuer = issuerPath.getFirst();
        String who = CertificateChainVerifier.subjectName(cert);
        CertificateID id;
        byte[] requestNonce = new byte[32];
        byte[] der;
        try {
            DigestCalculator sha384 = new JcaDigestCalculatorProviderBuilder().build()
                    .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha384));
            id = new CertificateID(sha384, new JcaX509CertificateHolder(issuer), cert.getSerialNumber());
            OCSPReqBuilder rb = new OCSPReqBuilder().addRequest(id);
            if (nonce) {
                random.nextBytes(requestNonce);
                rb.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                        new DEROctetString(requestNonce))));
            }
            OCSPReq req = rb.build();
            der = req.getEncoded();
        } catch (Exception e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot build an OCSP request for " + who, e);
        }
        Request.Builder http = new Request.Builder().url(url).post(RequestBody.create(der, OCSP_REQUEST));
        if (serviceKey != null) {
            http.header("Authorization", "Bearer " + serviceKey);
        }
        byte[] body;
        try (Response resp = this.http.newCall(http.build()).execute()) {
            if (resp.code() != 200) {
                throw new CollateralException(Reason.SERVICE_UNAVAILABLE, "OCSP responder " + url + " answered HTTP "
                        + resp.code() + " for " + who);
            }
            ResponseBody rbody = resp.body();
            try (InputStream in = rbody.byteStream()) {
                body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            }
            if (body.length > MAX_RESPONSE_BYTES) {
                throw new CollateralException(Reason.COLLATERAL_INVALID, "OCSP response larger than "
                        + MAX_RESPONSE_BYTES + " bytes");
            }
        } catch (IOException e) {
            throw new CollateralException(Reason.SERVICE_UNAVAILABLE, "OCSP responder " + url + " unreachable: "
                    + e.getClass().getSimpleName(), e);
        }
        return interpret(body, id, requestNonce, issuerPath, at, who);
    }

    private OcspResult interpret(byte[] body, CertificateID id, byte[] requestNonce,
                                 List<X509Certificate> issuerPath, Instant at, String who) {
        BasicOCSPResp basic;
        try {
            OCSPResp resp = new OCSPResp(body);
            if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
                throw new CollateralException(Reason.SERVICE_UNAVAILABLE, "OCSP responder status " + resp.getStatus()
                        + " for " + who);
            }
            if (!(resp.getResponseObject() instanceof BasicOCSPResp b)) {
                throw new AttestationException(Reason.COLLATERAL_INVALID, "OCSP response is not a basic response");
            }
            basic = b;
        } catch (IOException | org.bouncycastle.cert.ocsp.OCSPException | RuntimeException e) {
            if (e instanceof CollateralException || e instanceof AttestationException) {
                throw (RuntimeException) e;
            }
            throw new AttestationException(Reason.COLLATERAL_INVALID, "OCSP response for " + who
                    + " does not parse", e);
        }
        X509Certificate responder = responderCertificate(basic, issuerPath, at);
        try {
            if (!basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(responder.getPublicKey()))) {
                throw new AttestationException(Reason.SIGNATURE_INVALID, "OCSP response signature for " + who
                        + " does not verify");
            }
        } catch (AttestationException e) {
            throw e;
        } catch (Exception e) {
            throw new AttestationException(Reason.SIGNATURE_INVALID, "OCSP response signature for " + who
                    + " cannot be verified", e);
        }
        if (nonce) {
            Extension ext = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            byte[] got = ext == null ? null : unwrapNonce(ext.getExtnValue().getOctets());
            if (got == null || !MessageDigest.isEqual(got, requestNonce)) {
                throw new AttestationException(Reason.NONCE_MISMATCH, "OCSP response for " + who
                        + " does not echo the request nonce");
            }
        }
        for (SingleResp s : basic.getResponses()) {
            if (!s.getCertID().equals(id)) {
                continue;
            }
            Instant thisUpdate = s.getThisUpdate().toInstant();
            Instant nextUpdate = s.getNextUpdate() == null ? null : s.getNextUpdate().toInstant();
            if (at.isBefore(thisUpdate.minus(CLOCK_SKEW)) || (nextUpdate != null && at.isAfter(nextUpdate))) {
                throw new AttestationException(Reason.COLLATERAL_EXPIRED, "OCSP response for " + who + " is valid "
                        + thisUpdate + " to " + nextUpdate + ", not at " + at);
            }
            CertificateStatus st = s.getCertStatus();
            if (st == CertificateStatus.GOOD) {
                return new OcspResult(OcspStatus.GOOD, -1, thisUpdate, nextUpdate);
            }
            if (st instanceof RevokedStatus rs) {
                int reason = rs.hasRevocationReason() ? rs.getRevocationReason() : CRLReason.unspecified;
                return new OcspResult(OcspStatus.REVOKED, reason, thisUpdate, nextUpdate);
            }
            if (st instanceof UnknownStatus) {
                return new OcspResult(OcspStatus.UNKNOWN, -1, thisUpdate, nextUpdate);
            }
        }
        throw new AttestationException(Reason.COLLATERAL_INVALID, "OCSP response does not answer for " + who);
    }

    private static byte[] unwrapNonce(byte[] extnValue) {
        // RFC 8954: the nonce is an OCTET STRING inside the extension value; some responders send it bare
        try {
            return org.bouncycastle.asn1.ASN1OctetString.getInstance(extnValue).getOctets();
        } catch (RuntimeException e) {
            return extnValue;
        }
    }

    private static X509Certificate responderCertificate(BasicOCSPResp basic, List<X509Certificate> issuerPath,
                                                        Instant at) {
        X509CertificateHolder[] certs = basic.getCerts();
        X509Certificate issuer = issuerPath.getFirst();
        if (certs == null || certs.length == 0) {
            return issuer;
        }
        X509Certificate responder;
        try {
            responder = new JcaX509CertificateConverter().getCertificate(certs[0]);
        } catch (Exception e) {
            throw new AttestationException(Reason.CHAIN_INVALID, "OCSP responder certificate does not parse", e);
        }
        for (X509Certificate c : issuerPath) {
            if (CertificateChainVerifier.sameCertificate(c, responder)) {
                return responder;
            }
        }
        for (X509Certificate c : issuerPath) {
            if (c.getSubjectX500Principal().equals(responder.getIssuerX500Principal())) {
                CertificateChainVerifier.verifyIssuedBy(responder, c, dev.coco4j.core.crypto.SignatureRule.any());
                CertificateChainVerifier.checkValidity(responder, at);
                try {
                    List<String> eku = responder.getExtendedKeyUsage();
                    if (eku == null || !eku.contains(KeyPurposeId.id_kp_OCSPSigning.getId())) {
                        throw new AttestationException(Reason.CHAIN_INVALID, "delegated OCSP responder "
                                + CertificateChainVerifier.subjectName(responder) + " lacks the OCSPSigning usage");
                    }
                } catch (java.security.cert.CertificateParsingException e) {
                    throw new AttestationException(Reason.CHAIN_INVALID, "OCSP responder EKU does not parse", e);
                }
                return responder;
            }
        }
        throw new AttestationException(Reason.CHAIN_INVALID, "OCSP responder "
                + CertificateChainVerifier.subjectName(responder) + " does not chain to the certificate's issuers");
    }

    /** Builder for {@link HttpOcspClient}. */
    public static final class Builder {
        private OkHttpClient http;
        private String url = NVIDIA_OCSP_URL;
        private String serviceKey;
        private boolean nonce = true;
        private Duration cacheTtl = Duration.ofHours(1);

        private Builder() {
        }

        /**
         * The OkHttp client (share one with the rest of the application).
         *
         * @param http the client for OCSP requests; must not be {@code null}; kept, not copied
         * @return this builder
         */
        public Builder httpClient(OkHttpClient http) {
            this.http = Objects.requireNonNull(http, "http");
            return this;
        }

        /**
         * The responder URL.
         *
         * @param url the responder URL requests are POSTed to; must not be {@code null}
         * @return this builder
         */
        public Builder url(String url) {
            this.url = Objects.requireNonNull(url, "url");
            return this;
        }

        /**
         * A service key sent as a bearer token; never logged.
         *
         * @param key the service key, or {@code null} for none (the default)
         * @return this builder
         */
        public Builder serviceKey(String key) {
            this.serviceKey = key;
            return this;
        }

        /**
         * Send and require a nonce (default true; some caches strip nonces).
         *
         * @param nonce {@code true} to send a random nonce and refuse answers without it, {@code false} to send none
         * @return this builder
         */
        public Builder nonce(boolean nonce) {
            this.nonce = nonce;
            return this;
        }

        /**
         * Upper bound on how long a verified answer is reused.
         *
         * @param ttl the longest time after thisUpdate an answer is served from memory; must not be {@code null}
         * @return this builder
         */
        public Builder cacheTtl(Duration ttl) {
            this.cacheTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /**
         * Builds the client.
         *
         * @return a new, thread-safe client with an empty cache
         */
        public HttpOcspClient build() {
            return new HttpOcspClient(this);
        }
    }
}
