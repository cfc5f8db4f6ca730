package dev.coco4j.tdx.pcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.CollateralException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.tdx.TdxSets;
import dev.coco4j.tdx.Vectors;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.verify.TdxCollateral;
import dev.coco4j.tdx.verify.TdxQuoteVerifier;
import dev.coco4j.tdx.verify.TdxTcbStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A MockWebServer serving set A's real collateral the way Intel PCS does. */
class PcsClientTest {
    static final String X = "phala-dcap-qvl/extracted_fmspcb0c06f000000_2025-06-19/";
    static final Instant AT = Instant.parse("2025-06-20T00:00:00Z");
    MockWebServer server;
    int requests;

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                requests++;
                String p = r.getPath();
                if (p.equals("/tdx/certification/v4/tcb?fmspc=b0c06f000000")) {
                    return ok(X + "tcbinfo_pcs_body.json", PcsClient.TCB_INFO_CHAIN_HEADER, X + "tcb_signing_chain.pem");
                }
                if (p.equals("/tdx/certification/v4/qe/identity")) {
                    return ok(X + "qeidentity_pcs_body.json", PcsClient.QE_IDENTITY_CHAIN_HEADER,
                            X + "tcb_signing_chain.pem");
                }
                if (p.equals("/sgx/certification/v4/pckcrl?ca=platform&encoding=der")) {
                    return ok(X + "pckcrl_platform.der", PcsClient.PCK_CRL_CHAIN_HEADER, X + "pckcrl_issuer_chain.pem");
                }
                if (p.equals("/IntelSGXRootCA.der")) {
                    return ok(X + "rootcacrl.der", null, null);
                }
                return new MockResponse().setResponseCode(404);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    static MockResponse ok(String body, String header, String chain) {
        MockResponse m = new MockResponse().setBody(new Buffer().write(Vectors.bytes(body)));
        if (header != null) {
            // Intel URL-encodes the PEM chain (spaces as %20, '+' as %2B)
            m.setHeader(header, URLEncoder.encode(new String(Vectors.bytes(chain), StandardCharsets.US_ASCII),
                    StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return m;
    }

    PcsClient client(boolean offline) {
        CollateralFetcher f = CollateralFetcher.builder().clock(Clock.fixed(AT, ZoneOffset.UTC)).sleeper(d -> { })
                .maxAttempts(1).build();
        return PcsClient.builder().baseUrl(server.url("/").toString()).rootCaCrlUrl(server.url("/IntelSGXRootCA.der")
                .toString()).fetcher(f).offline(offline).build();
    }

    @Test
    void fetchedCollateralVerifiesSetAAndIsCachedUntilNextUpdate() {
        PcsClient c = client(false);
        TdxQuote q = TdxQuote.parse(Vectors.bytes(Vectors.SET_A_QUOTE));
        TdxCollateral col = c.collateralFor(q);
        assertThat(col).isEqualTo(TdxSets.a().collateral());
        assertThat(TdxQuoteVerifier.builder().build().verify(q, col, AT).tcbStatus())
                .isEqualTo(TdxTcbStatus.UP_TO_DATE);
        assertThat(requests).isEqualTo(4);
        c.collateralFor(q);
        assertThat(requests).isEqualTo(4);
    }

    @Test
    void missingFmspcIsUnavailable() {
        assertThatThrownBy(() -> client(false).tcbInfo(new byte[6])).isInstanceOfSatisfying(CollateralException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE));
    }

    @Test
    void offlineWithoutACopyIsUnavailable() {
        assertThatThrownBy(() -> client(true).qeIdentity()).isInstanceOfSatisfying(CollateralException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE));
        assertThat(requests).isZero();
    }

    @Test
    void aMissingIssuerChainHeaderIsInvalid() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                return ok(X + "qeidentity_pcs_body.json", null, null);
            }
        });
        assertThatThrownBy(() -> client(false).qeIdentity()).isInstanceOfSatisfying(CollateralException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_INVALID));
    }

    @Test
    void aBodyThatIsNotCollateralIsRefused() {
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest r) {
                return new MockResponse().setBody("<html>maintenance</html>");
            }
        });
        assertThatThrownBy(() -> client(false).rootCaCrl()).isInstanceOfSatisfying(CollateralException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.COLLATERAL_INVALID));
    }

    @Test
    void percentDecodingKeepsPlus() {
        assertThat(new String(PcsClient.percentDecode("a+b%2Bc%0A"), StandardCharsets.US_ASCII)).isEqualTo("a+b+c\n");
    }
}
