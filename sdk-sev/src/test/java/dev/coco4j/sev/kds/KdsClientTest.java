package dev.coco4j.sev.kds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.sev.Vectors;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.abi.TcbVersion;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KdsClientTest {
    private static final Instant T0 = Instant.parse("2026-01-15T10:00:00Z");

    /** A clock the test moves by hand. */
    private static final class TestClock extends Clock {
        private volatile Instant now = T0;

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private MockWebServer server;
    private TestClock clock;

    @BeforeEach
    void start() throws IOException {
        server = new MockWebServer();
        server.start();
        clock = new TestClock();
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    private CollateralFetcher.Builder fetcher() {
        return CollateralFetcher.builder().clock(clock).sleeper(d -> { })
                .initialBackoff(Duration.ofMillis(1)).maxBackoff(Duration.ofMillis(2));
    }

    private KdsClient client(CollateralFetcher f) {
        return KdsClient.builder().baseUrl(server.url("/").toString()).fetcher(f).build();
    }

    private static MockResponse body(byte[] bytes) {
        return new MockResponse().setResponseCode(200).setBody(new Buffer().write(bytes));
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest r = server.takeRequest(1, TimeUnit.SECONDS);
        assertThat(r).as("request reached the server").isNotNull();
        return r;
    }

    @Test
    void oakTurinReportGivesTheEightByteHwidUrlWithFmc() {
        SnpReport report = SnpReport.parse(Vectors.report("turin/oak_turin_v5_report.bin"));
        URI url = KdsClient.builder().build().vcekUrl(SnpProduct.TURIN, report.chipId(),
                report.reportedTcb(SnpProduct.TURIN));
        HttpUrl u = HttpUrl.get(url);
        assertThat(u.scheme()).isEqualTo("https");
        assertThat(u.host()).isEqualTo("kdsintf.amd.com");
        assertThat(u.encodedPath()).isEqualTo("/vcek/v1/Turin/3b42092f69c656d3");
        assertThat(u.queryParameterNames()).containsExactly("fmcSPL", "blSPL", "teeSPL", "snpSPL", "ucodeSPL");
        assertThat(u.queryParameter("fmcSPL")).isEqualTo("0");
        assertThat(u.queryParameter("blSPL")).isEqualTo("1");
        assertThat(u.queryParameter("teeSPL")).isEqualTo("0");
        assertThat(u.queryParameter("snpSPL")).isEqualTo("2");
        assertThat(u.queryParameter("ucodeSPL")).isEqualTo("71");
    }

    @Test
    void milanUrlUsesTheFull64ByteChipIdAndNoFmc() {
        SnpReport report = SnpReport.parse(Vectors.report("milan/gsg_milan_v2_report.bin"));
        HttpUrl u = HttpUrl.get(KdsClient.builder().build().vcekUrl(report, SnpProduct.MILAN));
        String hex = java.util.HexFormat.of().formatHex(report.chipId());
        assertThat(hex).hasSize(128).startsWith("3ac3fe21");
        assertThat(u.encodedPath()).isEqualTo("/vcek/v1/Milan/" + hex);
        assertThat(u.query()).isEqualTo("blSPL=2&teeSPL=0&snpSPL=5&ucodeSPL=68");
    }

    @Test
    void genoaUrlIsLowerCaseHexWithDecimalSpls() {
        SnpReport report = SnpReport.parse(Vectors.report("genoa/oak_genoa_v5_report.bin"));
        HttpUrl u = HttpUrl.get(KdsClient.builder().build().vcekUrl(report, SnpProduct.GENOA));
        assertThat(u.pathSegments()).hasSize(4).startsWith("vcek", "v1", "Genoa");
        assertThat(u.pathSegments().get(3)).hasSize(128).startsWith("d2421d97").isLowerCase();
        assertThat(u.query()).isEqualTo("blSPL=10&teeSPL=0&snpSPL=25&ucodeSPL=84");
    }

    @Test
    void baseUrlPathPrefixIsKept() {
        KdsClient c = KdsClient.builder().baseUrl("https://mirror.example.test/amd/kds/").build();
        assertThat(c.certChainUrl(SnpProduct.GENOA, KdsClient.KeyKind.VLEK).toString())
                .isEqualTo("https://mirror.example.test/amd/kds/vlek/v1/Genoa/cert_chain");
        assertThat(c.crlUrl(SnpProduct.MILAN, KdsClient.KeyKind.VCEK).toString())
                .isEqualTo("https://mirror.example.test/amd/kds/vcek/v1/Milan/crl");
        assertThatThrownBy(() -> KdsClient.builder().baseUrl("https://x.test/?q=1"))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void maskedChipIdCannotBeLookedUp() {
        SnpReport vlekReport = SnpReport.parse(Vectors.report("milan/trustee_milan_v3_vlek_report.bin"));
        assertThat(vlekReport.chipIdMasked()).isTrue();
        server.enqueue(body(new byte[] {1}));
        KdsClient c = client(fetcher().build());
        assertThatThrownBy(() -> c.fetchVcek(vlekReport, SnpProduct.MILAN))
                .isInstanceOfSatisfying(CollateralException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("MASK_CHIP_ID");
                });
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void misuseIsAConfigurationError() {
        KdsClient c = KdsClient.builder().build();
        TcbVersion milanTcb = TcbVersion.of(SnpProduct.MILAN, 1, 2, 3, 4, -1);
        assertThatThrownBy(() -> c.vcekUrl(SnpProduct.MILAN, new byte[8], milanTcb))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION));
        byte[] chip = new byte[64];
        chip[0] = 1;
        assertThatThrownBy(() -> c.vcekUrl(SnpProduct.TURIN, chip, milanTcb))
                .isInstanceOfSatisfying(ConfigurationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION));
        // Milan and Genoa share a layout, so a Milan-decoded TCB names a Genoa VCEK correctly
        assertThat(c.vcekUrl(SnpProduct.GENOA, chip, milanTcb).getQuery())
                .isEqualTo("blSPL=1&teeSPL=2&snpSPL=3&ucodeSPL=4");
    }

    @Test
    void fetchesTheRealMilanVcekAndCachesItOnTheFullUrl() throws Exception {
        byte[] der = Vectors.bytes("milan/gsg_milan_v2_vcek.der");
        server.enqueue(body(der));
        SnpReport report = SnpReport.parse(Vectors.report("milan/gsg_milan_v2_report.bin"));
        KdsClient c = client(fetcher().build());
        X509Certificate vcek = c.fetchVcek(report, SnpProduct.MILAN);
        assertThat(vcek.getEncoded()).isEqualTo(der);
        assertThat(vcek.getSubjectX500Principal().getName()).contains("CN=SEV-VCEK");
        RecordedRequest req = take();
        assertThat(req.getMethod()).isEqualTo("GET");
        assertThat(req.getPath()).isEqualTo("/vcek/v1/Milan/" + java.util.HexFormat.of().formatHex(report.chipId())
                + "?blSPL=2&teeSPL=0&snpSPL=5&ucodeSPL=68");
        // second call: served from the cache, no request
        assertThat(c.fetchVcek(report, SnpProduct.MILAN).getEncoded()).isEqualTo(der);
        clock.advance(Duration.ofDays(3650));
        assertThat(c.fetchVcek(report, SnpProduct.MILAN).getEncoded()).isEqualTo(der);
        assertThat(server.getRequestCount()).isEqualTo(1);
        // another TCB is another URL, so another request
        server.enqueue(body(der));
        c.fetchVcek(SnpProduct.MILAN, report.chipId(), TcbVersion.of(SnpProduct.MILAN, 2, 0, 5, 69, -1));
        assertThat(take().getRequestUrl().queryParameter("ucodeSPL")).isEqualTo("69");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void fetchesTheRealTurinVcekWithEightByteHwidAndFmc() throws Exception {
        byte[] der = Vectors.bytes("turin/oak_turin_v5_vcek.der");
        server.enqueue(body(der));
        SnpReport report = SnpReport.parse(Vectors.report("turin/oak_turin_v5_report.bin"));
        X509Certificate vcek = client(fetcher().build()).fetchVcek(report, SnpProduct.TURIN);
        assertThat(vcek.getEncoded()).isEqualTo(der);
        HttpUrl u = take().getRequestUrl();
        assertThat(u.encodedPath()).isEqualTo("/vcek/v1/Turin/3b42092f69c656d3");
        assertThat(u.queryParameter("fmcSPL")).isEqualTo("0");
        assertThat(u.queryParameter("blSPL")).isEqualTo("1");
        assertThat(u.queryParameter("teeSPL")).isEqualTo("0");
        assertThat(u.queryParameter("snpSPL")).isEqualTo("2");
        assertThat(u.queryParameter("ucodeSPL")).isEqualTo("71");
    }

    @Test
    void kds429IsRetriedThenSucceedsAndIsNotCached() throws Exception {
        byte[] der = Vectors.bytes("turin/oak_turin_v5_vcek.der");
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "1"));
        server.enqueue(body(der));
        SnpReport report = SnpReport.parse(Vectors.report("turin/oak_turin_v5_report.bin"));
        KdsClient c = client(fetcher().build());
        assertThat(c.fetchVcek(report, SnpProduct.TURIN).getEncoded()).isEqualTo(der);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(take().getPath()).isEqualTo(take().getPath());
        assertThat(c.fetchVcek(report, SnpProduct.TURIN).getEncoded()).isEqualTo(der);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void persistent429IsServiceUnavailable() {
        for (int i = 0; i < 4; i++) {
            server.enqueue(new MockResponse().setResponseCode(429));
        }
        SnpReport report = SnpReport.parse(Vectors.report("milan/gsg_milan_v2_report.bin"));
        KdsClient c = client(fetcher().maxAttempts(4).build());
        assertThatThrownBy(() -> c.fetchVcek(report, SnpProduct.MILAN))
                .isInstanceOfSatisfying(CollateralException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE));
        assertThat(server.getRequestCount()).isEqualTo(4);
    }

    @Test
    void notFoundIsUnavailableAndNotCached() {
        server.enqueue(new MockResponse().setResponseCode(404));
        server.enqueue(body(Vectors.bytes("turin/oak_turin_v5_vcek.der")));
        SnpReport report = SnpReport.parse(Vectors.report("turin/oak_turin_v5_report.bin"));
        KdsClient c = client(fetcher().build());
        assertThatThrownBy(() -> c.fetchVcek(report, SnpProduct.TURIN))
                .isInstanceOfSatisfying(CollateralException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE);
                    assertThat(e.getMessage()).contains("404").contains("/vcek/v1/Turin/3b42092f69c656d3");
                });
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(c.fetchVcek(report, SnpProduct.TURIN)).isNotNull();
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void garbageBodyIsCollateralInvalidAndNotCached() {
        server.enqueue(body("<html>maintenance</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        server.enqueue(body(Vectors.bytes("milan/gsg_milan_v2_vcek.der")));
        SnpReport report = SnpReport.parse(Vectors.report("milan/gsg_milan_v2_report.bin"));
        KdsClient c = client(fetcher().build());
        assertThatThrownBy(() -> c.fetchVcek(report, SnpProduct.MILAN))
                .isInstanceOfSatisfying(CollateralException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_INVALID));
        assertThat(c.fetchVcek(report, SnpProduct.MILAN).getSubjectX500Principal().getName()).contains("SEV-VCEK");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void certChainIsAskThenArkAndCachedForTheTtl() throws Exception {
        server.enqueue(body(Vectors.bytes("roots/milan_vcek_cert_chain.pem")));
        server.enqueue(body(Vectors.bytes("roots/milan_vcek_cert_chain.pem")));
        KdsClient c = KdsClient.builder().baseUrl(server.url("/").toString()).fetcher(fetcher().build())
                .certChainTtl(Duration.ofHours(12)).build();
        List<X509Certificate> chain = c.fetchCertChain(SnpProduct.MILAN, KdsClient.KeyKind.VCEK);
        assertThat(chain).hasSize(2);
        assertThat(Certificates.sha256Fingerprint(chain.get(0)))
                .isEqualTo("67d303bd3905fd38db8b20e0793699870e7fa612eaad5dec358293fd8c0bac1b");
        assertThat(Certificates.sha256Fingerprint(chain.get(1)))
                .isEqualTo("69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd");
        assertThat(take().getPath()).isEqualTo("/vcek/v1/Milan/cert_chain");
        c.fetchCertChain(SnpProduct.MILAN, KdsClient.KeyKind.VCEK);
        assertThat(server.getRequestCount()).isEqualTo(1);
        clock.advance(Duration.ofHours(12));
        c.fetchCertChain(SnpProduct.MILAN, KdsClient.KeyKind.VCEK);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void vlekChainComesFromTheVlekPath() throws Exception {
        server.enqueue(body(Vectors.bytes("roots/genoa_vlek_cert_chain.pem")));
        List<X509Certificate> chain = client(fetcher().build()).fetchCertChain(SnpProduct.GENOA,
                KdsClient.KeyKind.VLEK);
        assertThat(take().getPath()).isEqualTo("/vlek/v1/Genoa/cert_chain");
        assertThat(Certificates.sha256Fingerprint(chain.get(0)))
                .isEqualTo("197e610743a917d6b9bb982a5a9226ccc0a15b611be0619e626aca9151457372");
        assertThat(Certificates.sha256Fingerprint(chain.get(1)))
                .isEqualTo("4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1");
    }

    @Test
    void aSingleCertificateIsNotAChain() {
        server.enqueue(body(Vectors.bytes("milan/gsg_milan_v2_vcek.der")));
        assertThatThrownBy(() -> client(fetcher().build()).fetchCertChain(SnpProduct.MILAN, KdsClient.KeyKind.VCEK))
                .isInstanceOfSatisfying(CollateralException.class, e -> {
                    assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_INVALID);
                    assertThat(e.getMessage()).contains("got 1");
                });
    }

    @Test
    void crlIsCachedUntilItsNextUpdate() throws Exception {
        byte[] crl = crl(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(7)));
        server.enqueue(body(crl));
        server.enqueue(body(crl));
        KdsClient c = client(fetcher().build());
        X509CRL parsed = c.fetchCrl(SnpProduct.TURIN, KdsClient.KeyKind.VLEK);
        assertThat(parsed.getEncoded()).isEqualTo(crl);
        assertThat(parsed.getNextUpdate().toInstant()).isEqualTo(T0.plus(Duration.ofDays(7)));
        assertThat(take().getPath()).isEqualTo("/vlek/v1/Turin/crl");
        clock.advance(Duration.ofDays(6));
        c.fetchCrl(SnpProduct.TURIN, KdsClient.KeyKind.VLEK);
        assertThat(server.getRequestCount()).isEqualTo(1);
        clock.advance(Duration.ofDays(1));
        c.fetchCrl(SnpProduct.TURIN, KdsClient.KeyKind.VLEK);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(take().getPath()).isEqualTo("/vlek/v1/Turin/crl");
    }

    @Test
    void staleCrlIsReturnedButNotCached() throws Exception {
        byte[] stale = crl(T0.minus(Duration.ofDays(10)), T0.minus(Duration.ofDays(3)));
        server.enqueue(body(stale));
        server.enqueue(body(stale));
        KdsClient c = client(fetcher().build());
        assertThat(c.fetchCrl(SnpProduct.MILAN, KdsClient.KeyKind.VCEK).getEncoded()).isEqualTo(stale);
        c.fetchCrl(SnpProduct.MILAN, KdsClient.KeyKind.VCEK);
        assertThat(server.getRequestCount()).isEqualTo(2);
        assertThat(take().getPath()).isEqualTo("/vcek/v1/Milan/crl");
    }

    @Test
    void offlineClientMakesNoRequest() {
        server.enqueue(body(Vectors.bytes("milan/gsg_milan_v2_vcek.der")));
        SnpReport report = SnpReport.parse(Vectors.report("milan/gsg_milan_v2_report.bin"));
        KdsClient c = KdsClient.builder().baseUrl(server.url("/").toString()).fetcher(fetcher().build())
                .offline(true).build();
        assertThat(c.offline()).isTrue();
        assertThatThrownBy(() -> c.fetchVcek(report, SnpProduct.MILAN))
                .isInstanceOfSatisfying(CollateralException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE));
        assertThatThrownBy(() -> c.fetchCertChain(SnpProduct.MILAN, KdsClient.KeyKind.VCEK))
                .isInstanceOfSatisfying(CollateralException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE));
        assertThatThrownBy(() -> c.fetchCrl(SnpProduct.MILAN, KdsClient.KeyKind.VCEK))
                .isInstanceOfSatisfying(CollateralException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE));
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void offlineClientServesPreloadedKdsAnswersForTheRealKdsUrls() throws Exception {
        SnpReport report = SnpReport.parse(Vectors.report("turin/oak_turin_v5_report.bin"));
        byte[] der = Vectors.bytes("turin/oak_turin_v5_vcek.der");
        // the URL the Oak project fetched this VCEK from, with its own parameter order
        String oakUrl = "https://kdsintf.amd.com/vcek/v1/Turin/3b42092f69c656d3?fmcSPL=0&blSPL=1&teeSPL=0&snpSPL=2"
                + "&ucodeSPL=71";
        CollateralFetcher f = fetcher().offline(true).preload(oakUrl, der)
                .preload("https://kdsintf.amd.com/vcek/v1/Turin/cert_chain",
                        Vectors.bytes("roots/turin_vcek_cert_chain.pem"))
                .build();
        KdsClient c = KdsClient.builder().fetcher(f).offline(true).build();
        assertThat(c.vcekUrl(report, SnpProduct.TURIN).toString()).isEqualTo(oakUrl);
        assertThat(c.fetchVcek(report, SnpProduct.TURIN).getEncoded()).isEqualTo(der);
        assertThat(c.fetchCertChain(SnpProduct.TURIN, KdsClient.KeyKind.VCEK)).hasSize(2);
        assertThat(server.getRequestCount()).isZero();
    }

    private static byte[] crl(Instant thisUpdate, Instant nextUpdate) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        X509v2CRLBuilder b = new X509v2CRLBuilder(new X500Name("CN=ARK-Test"), Date.from(thisUpdate));
        b.setNextUpdate(Date.from(nextUpdate));
        b.addCRLEntry(BigInteger.valueOf(42), Date.from(thisUpdate), 1);
        return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
    }
}
