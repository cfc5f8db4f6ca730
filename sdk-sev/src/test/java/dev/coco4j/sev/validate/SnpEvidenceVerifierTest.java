package dev.coco4j.sev.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.core.spi.Verifiers;
import dev.coco4j.sev.abi.GuestPolicy;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.kds.KdsClient;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The ServiceLoader-discovered SNP verifier, online against a KDS stand-in serving the simulator's VCEK and CRL. */
class SnpEvidenceVerifierTest {
    static final SimulatedSnpPlatform SIM = SimulatedSnpPlatform.builder().product(SnpProduct.TURIN).build();
    static final ReportData NONCE = ReportData.ofHex("0102");
    MockWebServer kds;
    boolean revokeAsk;

    @BeforeEach
    void start() throws IOException {
        kds = new MockWebServer();
        kds.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getRequestUrl().encodedPath();
                try {
                    if (path.startsWith("/vcek/v1/Turin/") && !path.endsWith("/crl")) {
                        return new MockResponse().setBody(new Buffer().write(SIM.vcek().getEncoded()));
                    }
                    if (path.equals("/vcek/v1/Turin/crl")) {
                        Instant now = Instant.now();
                        var crl = revokeAsk ? SIM.crl(now.minusSeconds(60), now.plusSeconds(3600), SIM.ask())
                                : SIM.crl(now.minusSeconds(60), now.plusSeconds(3600));
                        return new MockResponse().setBody(new Buffer().write(crl.getEncoded()));
                    }
                } catch (Exception e) {
                    return new MockResponse().setResponseCode(500);
                }
                return new MockResponse().setResponseCode(404);
            }
        });
        kds.start();
    }

    @AfterEach
    void stop() throws IOException {
        kds.shutdown();
    }

    SnpEvidenceVerifier verifier() {
        CollateralFetcher f = CollateralFetcher.builder().initialBackoff(Duration.ofMillis(1))
                .maxBackoff(Duration.ofMillis(5)).build();
        KdsClient client = KdsClient.builder().baseUrl(kds.url("/").toString()).fetcher(f).build();
        return new SnpEvidenceVerifier(SIM.trustRoots(), client);
    }

    /** Evidence without a certificate table, so the VCEK must come from the KDS. */
    static Evidence bareEvidence(ReportData rd) {
        return Evidence.of(TeeType.SNP, SIM.report(rd).toBytes());
    }

    @Test
    void onlineFetchesTheVcekAndCrlAndAppliesTheOptions() {
        AttestationResult r = verifier().verify(bareEvidence(NONCE), VerificationOptions.builder()
                .expectedReportData(NONCE).build());
        assertThat(r.tee()).isEqualTo(TeeType.SNP);
        assertThat(r.warnings()).isEmpty();
        assertThat(r.claim("report_data")).isEqualTo(NONCE.toHex());
        assertThat(kds.getRequestCount()).isEqualTo(2);

        assertRefused(() -> verifier().verify(bareEvidence(NONCE), VerificationOptions.builder()
                .expectedReportData(ReportData.ofHex("0103")).build()), Reason.REPORT_DATA_MISMATCH);
        revokeAsk = true;
        assertRefused(() -> verifier().verify(bareEvidence(NONCE), VerificationOptions.defaults()), Reason.REVOKED);
    }

    @Test
    void offlineNeverTouchesTheNetwork() {
        assertRefused(() -> verifier().verify(bareEvidence(NONCE), VerificationOptions.builder().offline(true)
                .build()), Reason.COLLATERAL_UNAVAILABLE);
        AttestationResult r = verifier().verify(SIM.evidence(NONCE), VerificationOptions.builder().offline(true)
                .build());
        assertThat(r.warnings()).anyMatch(w -> w.startsWith("revocation not checked"));
        assertThat(kds.getRequestCount()).isZero();
    }

    @Test
    void debugIsRefusedUnlessTheOptionsAllowIt() {
        Evidence debug = new Evidence(TeeType.SNP, SIM.report(NONCE, b -> b.policy(SimulatedSnpPlatform.DEFAULT_POLICY
                | GuestPolicy.DEBUG)).toBytes(), SIM.certTable().toBytes());
        VerificationOptions offline = VerificationOptions.builder().offline(true).build();
        assertRefused(() -> verifier().verify(debug, offline), Reason.POLICY_VIOLATION);
        assertThat(verifier().verify(debug, VerificationOptions.builder().offline(true).allowDebug(true).build())
                .claim("debug")).isEqualTo(true);
    }

    @Test
    void serviceLoaderFindsTheSnpVerifierWithAmdRootsByDefault() {
        var v = Verifiers.forTee(TeeType.SNP);
        assertThat(v).isInstanceOf(SnpEvidenceVerifier.class);
        // AMD roots by default: the simulator's evidence is refused, offline, without any network access.
        assertRefused(() -> v.verify(SIM.evidence(NONCE), VerificationOptions.builder().offline(true).build()),
                Reason.CHAIN_INVALID);
    }

    static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable c, Reason r) {
        assertThatThrownBy(c).isInstanceOf(CocoException.class).extracting(e -> ((CocoException) e).reason())
                .isEqualTo(r);
    }
}
