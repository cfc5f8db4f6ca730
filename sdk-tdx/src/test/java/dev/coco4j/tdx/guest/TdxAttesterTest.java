package dev.coco4j.tdx.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.core.tsm.ConfigfsTsm;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.sim.SimulatedTdxPlatform;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class TdxAttesterTest {
    static final Path ROOT = Path.of("/sys/kernel/config/tsm/report");
    static final SimulatedTdxPlatform SIM = SimulatedTdxPlatform.builder().build();
    static final ReportData RD = ReportData.ofHex("c3".repeat(64));
    static final TdxGuestDevice NO_DEVICE = TdxGuestDevice.builder().path(Path.of("/nonexistent/tdx_guest")).build();

    static TdxAttester attester(FakeTdxConfigfs fs) {
        return TdxAttester.builder().configfsTsm(ConfigfsTsm.builder().root(ROOT).filesystem(fs).build())
                .device(NO_DEVICE).build();
    }

    @Test
    void quoteThroughConfigfsTsmIsTrimmedAndBindsTheReportData() {
        FakeTdxConfigfs fs = new FakeTdxConfigfs(ROOT, rd -> Arrays.copyOf(SIM.quote(rd), 8000));
        Evidence e = attester(fs).attest(RD);
        assertThat(e.tee()).isEqualTo(TeeType.TDX);
        TdxQuote q = TdxQuote.parse(e.data());
        assertThat(q.trailingBytes()).isZero();
        assertThat(q.body().reportData()).isEqualTo(RD.toByteArray());
        assertThat(e.auxiliary()).isEmpty();
        SIM.verifier().verify(e.data(), SIM.collateral());
    }

    @Test
    void aQuoteForOtherReportDataIsRefused() {
        FakeTdxConfigfs fs = new FakeTdxConfigfs(ROOT, rd -> SIM.quote(ReportData.zero()));
        assertThatThrownBy(() -> attester(fs).attest(RD)).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.REPORT_DATA_MISMATCH));
    }

    @Test
    void garbageOutblobIsMalformed() {
        FakeTdxConfigfs fs = new FakeTdxConfigfs(ROOT, rd -> new byte[100]);
        assertThatThrownBy(() -> attester(fs).attest(RD)).isInstanceOf(AttestationException.class)
                .extracting(e -> ((AttestationException) e).reason())
                .isIn(Reason.MALFORMED_EVIDENCE, Reason.UNSUPPORTED_VERSION);
    }

    @Test
    void probesFindTheTdxProviderOnlyAndNeverTheDeviceNode() {
        FakeTdxConfigfs fs = new FakeTdxConfigfs(ROOT, SIM::quote);
        var probes = attester(fs).probes();
        assertThat(probes).extracting(p -> p.mechanism().name()).containsExactly("CONFIGFS_TSM", "DEVICE_NODE");
        assertThat(probes.get(0).found()).isTrue();
        assertThat(probes.get(0).detail()).isEqualTo("provider tdx_guest");
        assertThat(probes.get(1).found()).isFalse();
        fs.provider = "sev_guest\n";
        assertThat(attester(fs).probes().get(0).found()).isFalse();
        assertThat(dev.coco4j.core.spi.Attesters.detectionReport(java.util.List.of(attester(fs))).explain())
                .contains("provider is sev_guest, not tdx_guest").contains("/nonexistent/tdx_guest: not found");
    }

    @Test
    void anotherProviderIsConfiguration() {
        FakeTdxConfigfs fs = new FakeTdxConfigfs(ROOT, SIM::quote);
        fs.provider = "sev_guest\n";
        assertThatThrownBy(() -> attester(fs).attest(RD)).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION));
    }

    @Test
    void outblobFailureIsServiceUnavailable() {
        FakeTdxConfigfs fs = new FakeTdxConfigfs(ROOT, SIM::quote);
        fs.failOutblob = true;
        assertThatThrownBy(() -> attester(fs).attest(RD)).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE));
    }

    @Test
    void absentConfigfsIsConfigurationAndUnavailable() {
        FakeTdxConfigfs fs = new FakeTdxConfigfs(ROOT, (Function<ReportData, byte[]>) SIM::quote);
        fs.rootPresent = false;
        TdxAttester a = attester(fs);
        assertThat(a.isAvailable()).isFalse();
        assertThat(a.describeAvailability()).contains("absent");
        assertThatThrownBy(() -> a.attest(RD)).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION));
    }

    @Test
    void registeredAsAnAttesterService() {
        var descriptor = TdxAttester.class.getModule().getDescriptor();
        org.junit.jupiter.api.Assumptions.assumeTrue(descriptor != null, "tests run on the class path");
        assertThat(descriptor.provides()).anySatisfy(p -> {
            assertThat(p.service()).isEqualTo(Attester.class.getName());
            assertThat(p.providers()).containsExactly(TdxAttester.class.getName());
        });
    }
}
