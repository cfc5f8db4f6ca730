package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.ReportData;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code verify snp} without {@code --vcek}, online against a KDS stand-in ({@code --kds-url}) serving the simulator. */
class VerifySnpOnlineTest {
    static final SimulatedSnpPlatform SIM = SimulatedSnpPlatform.builder().product(SnpProduct.GENOA).build();
    MockWebServer kds;
    volatile String mode = "ok";

    @BeforeEach
    void start() throws IOException {
        kds = new MockWebServer();
        kds.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getRequestUrl().encodedPath();
                try {
                    Instant now = Instant.now();
                    if (path.equals("/vcek/v1/Genoa/crl")) {
                        var crl = mode.equals("revoked")
                                ? SIM.crl(now.minusSeconds(60), now.plusSeconds(3600), SIM.ask())
                                : SIM.crl(now.minusSeconds(60), now.plusSeconds(3600));
                        return new MockResponse().setBody(new Buffer().write(crl.getEncoded()));
                    }
                    if (path.startsWith("/vcek/v1/Genoa/") && !mode.equals("no-vcek")) {
                        return new MockResponse().setBody(new Buffer().write(SIM.vcek().getEncoded()));
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

    Cli.Result verify(Path dir) {
        return Cli.run("verify", "snp", "--report", dir.resolve("report.bin").toString(),
                "--ask", dir.resolve("ask.pem").toString(), "--ark", dir.resolve("ark.pem").toString(),
                "--kds-url", kds.url("/").toString(), "--json");
    }

    @Test
    void fetchesTheVcekAndCrlOnceAndAccepts(@TempDir Path dir) throws IOException {
        SIM.writeTo(dir, ReportData.ofHex("aa"));
        Cli.Result ok = verify(dir);
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.json().get("accepted").asBoolean()).isTrue();
        assertThat(ok.json().get("warnings")).isEmpty();
        assertThat(kds.getRequestCount()).isEqualTo(2);
        // A second run in the same process is served from the collateral cache.
        assertThat(verify(dir).code()).isZero();
        assertThat(kds.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aCrlRevokingTheAskRefusesTheReport(@TempDir Path dir) throws IOException {
        SIM.writeTo(dir, ReportData.ofHex("aa"));
        mode = "revoked";
        Cli.Result revoked = verify(dir);
        assertThat(revoked.code()).isEqualTo(1);
        assertThat(revoked.firstErrLine()).startsWith("REVOKED: ");
        assertThat(revoked.json().get("reason").asText()).isEqualTo("REVOKED");
    }

    @Test
    void aVcekTheKdsDoesNotHaveIsCollateralUnavailable(@TempDir Path dir) throws IOException {
        mode = "no-vcek";
        SIM.writeTo(dir, ReportData.ofHex("aa"));
        Cli.Result r = verify(dir);
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.firstErrLine()).startsWith("COLLATERAL_UNAVAILABLE: ");
        assertThat(r.hasStackTrace()).isFalse();
    }
}
