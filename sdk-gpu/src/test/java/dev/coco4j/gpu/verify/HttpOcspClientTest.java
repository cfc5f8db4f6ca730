package dev.coco4j.gpu.verify;

import static dev.coco4j.gpu.GpuTests.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.Reason;
import dev.coco4j.gpu.Vectors;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OCSP against a MockWebServer answering with BC-built responses signed by a test responder. */
class HttpOcspClientTest {
    static final Instant NOW = Instant.parse("2026-03-01T00:00:00Z");
    static final KeyPair ROOT_KEY = key();
    static final KeyPair CA_KEY = key();
    static final KeyPair RESPONDER_KEY = key();
    static final KeyPair ROGUE_KEY = key();
    static final X509Certificate ROOT = cert("CN=Test Root", "CN=Test Root", ROOT_KEY, ROOT_KEY, true, false);
    static final X509Certificate CA = cert("CN=Test ICA", "CN=Test Root", CA_KEY, ROOT_KEY, true, false);
    static final X509Certificate RESPONDER = cert("CN=Test OCSP", "CN=Test Root", RESPONDER_KEY, ROOT_KEY, false,
            true);
    static final X509Certificate ROGUE = cert("CN=Rogue OCSP", "CN=Rogue", ROGUE_KEY, ROGUE_KEY, false, true);

    MockWebServer server;
    final AtomicInteger calls = new AtomicInteger();
    Function<Req, CertificateStatus> status = r -> CertificateStatus.GOOD;
    boolean echoNonce = true;
    KeyPair signer = RESPONDER_KEY;
    X509Certificate signerCert = RESPONDER;

    static KeyPair key() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp384r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate cert(String subject, String issuer, KeyPair subjectKey, KeyPair issuerKey, boolean ca,
                                boolean ocspSigning) {
        try {
            var b = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(subject.hashCode() & 0xffff),
                    Date.from(NOW.minus(365, ChronoUnit.DAYS)), Date.from(NOW.plus(365, ChronoUnit.DAYS)),
                    new X500Name(subject), subjectKey.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ocspSigning) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
            }
            X509CertificateHolder h = b.build(new JcaContentSignerBuilder("SHA384withECDSA")
                    .build(issuerKey.getPrivate()));
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                calls.incrementAndGet();
                try {
                    OCSPReq req = new OCSPReq(request.getBody().readByteArray());
                    return new MockResponse().setResponseCode(200).addHeader("Content-Type", "application/ocsp-response")
                            .setBody(new Buffer().write(respond(req)));
                } catch (Exception e) {
                    return new MockResponse().setResponseCode(500);
                }
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    byte[] respond(OCSPReq req) throws Exception {
        BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(new X500Name(
                signerCert.getSubjectX500Principal().getName())));
        for (Req r : req.getRequestList()) {
            b.addResponse(r.getCertID(), status.apply(r), Date.from(NOW.minus(1, ChronoUnit.HOURS)),
                    Date.from(NOW.plus(1, ChronoUnit.DAYS)));
        }
        Extension nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null && echoNonce) {
            b.setResponseExtensions(new Extensions(nonce));
        }
        PrivateKey k = signer.getPrivate();
        var basic = b.build(new JcaContentSignerBuilder("SHA384withECDSA").build(k),
                new X509CertificateHolder[] {new JcaX509CertificateHolder(signerCert)},
                Date.from(NOW));
        return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
    }

    HttpOcspClient client() {
        return HttpOcspClient.builder().url(server.url("/").toString()).build();
    }

    @Test
    void goodIsGoodAndCached() {
        HttpOcspClient c = client();
        assertThat(c.check(CA, List.of(ROOT), NOW).status()).isEqualTo(OcspStatus.GOOD);
        assertThat(c.check(CA, List.of(ROOT), NOW).status()).isEqualTo(OcspStatus.GOOD);
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void revokedHoldAndUnknownAreReported() {
        status = r -> new RevokedStatus(Date.from(NOW.minus(2, ChronoUnit.DAYS)), CRLReason.certificateHold);
        OcspResult hold = client().check(CA, List.of(ROOT), NOW);
        assertThat(hold.status()).isEqualTo(OcspStatus.REVOKED);
        assertThat(hold.isOnHold()).isTrue();
        List<String> warnings = new ArrayList<>();
        OcspChecks.check(client(), List.of(CA, ROOT), 0, 0, NOW, true, warnings);
        assertThat(warnings).singleElement().asString().contains("certificateHold");
        assertThat(thrown(() -> OcspChecks.check(client(), List.of(CA, ROOT), 0, 0, NOW, false, new ArrayList<>()))
                .reason()).isEqualTo(Reason.REVOKED);
        status = r -> new UnknownStatus();
        assertThat(thrown(() -> OcspChecks.check(client(), List.of(CA, ROOT), 0, 0, NOW, true, new ArrayList<>()))
                .reason()).isEqualTo(Reason.REVOKED);
    }

    @Test
    void aResponseFromAnotherResponderIsRefused() {
        signer = ROGUE_KEY;
        signerCert = ROGUE;
        assertThat(thrown(() -> client().check(CA, List.of(ROOT), NOW)).reason()).isEqualTo(Reason.CHAIN_INVALID);
    }

    @Test
    void aForgedSignatureIsRefused() {
        signer = ROGUE_KEY; // claims to be the real responder, signed with another key
        assertThat(thrown(() -> client().check(CA, List.of(ROOT), NOW)).reason())
                .isEqualTo(Reason.SIGNATURE_INVALID);
    }

    @Test
    void aMissingNonceIsRefused() {
        echoNonce = false;
        assertThat(thrown(() -> client().check(CA, List.of(ROOT), NOW)).reason()).isEqualTo(Reason.NONCE_MISMATCH);
    }

    @Test
    void staleAnswersAreRefused() {
        assertThat(thrown(() -> client().check(CA, List.of(ROOT), NOW.plus(3, ChronoUnit.DAYS))).reason())
                .isIn(Reason.COLLATERAL_EXPIRED, Reason.CERT_EXPIRED, Reason.CHAIN_INVALID);
    }

    @Test
    void anUnreachableResponderIsServiceUnavailable() throws Exception {
        String url = server.url("/").toString();
        server.shutdown();
        CocoException e = thrown(() -> HttpOcspClient.builder().url(url).build().check(CA, List.of(ROOT), NOW));
        assertThat(e).isInstanceOf(CollateralException.class);
        assertThat(e.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
    }

    @Test
    void onlineDeviceVerificationChecksBromIcaAndIdentity() {
        List<String> checked = new ArrayList<>();
        OcspClient recording = (cert, path, at) -> {
            checked.add(cert.getSubjectX500Principal().getName());
            return new OcspResult(OcspStatus.GOOD, -1, at, null);
        };
        VerifiedGpuReport v = GpuReportVerifier.builder().ocspClient(recording).build().verify(
                Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt"),
                Vectors.bytes("nvtrust-lgv-samples/hopperCertChain.txt"), Vectors.NONCE_931D, NOW);
        assertThat(v.ocspChecked()).isTrue();
        assertThat(v.warnings()).isEmpty();
        assertThat(checked).hasSize(3);
        assertThat(checked.get(0)).contains("GSP BROM");
        assertThat(checked.get(1)).contains("Provisioner ICA");
        assertThat(checked.get(2)).contains("GH100 Identity");

        OcspClient down = (cert, path, at) -> {
            throw new CollateralException(Reason.SERVICE_UNAVAILABLE, "down");
        };
        assertThat(thrown(() -> GpuReportVerifier.builder().ocspClient(down).build().verify(
                Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt"),
                Vectors.bytes("nvtrust-lgv-samples/hopperCertChain.txt"), Vectors.NONCE_931D, NOW)).reason())
                .isEqualTo(Reason.SERVICE_UNAVAILABLE);
    }
}
