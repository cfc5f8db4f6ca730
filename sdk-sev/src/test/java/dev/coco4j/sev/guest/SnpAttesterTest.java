package dev.coco4j.sev.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.core.spi.Attesters;
import dev.coco4j.core.tsm.ConfigfsTsm;
import dev.coco4j.sev.abi.SnpCertTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnpAttesterTest {
    private static final Path ROOT = Path.of("/fake/tsm/report");

    @TempDir
    Path dir;

    private final FakeSevConfigfs configfs = new FakeSevConfigfs(ROOT);

    private ConfigfsTsm tsm() {
        return ConfigfsTsm.builder().root(ROOT).filesystem(configfs).build();
    }

    /** A device that exists but cannot be used: its lookup has no symbols, so any call fails. */
    private SevGuestDevice unusableDevice() throws Exception {
        Path node = Files.createFile(dir.resolve("sev-guest"));
        return SevGuestDevice.builder().path(node).symbolLookup(name -> Optional.empty()).build();
    }

    private SevGuestDevice absentDevice() {
        return SevGuestDevice.builder().path(dir.resolve("absent-sev-guest")).symbolLookup(name -> Optional.empty())
                .build();
    }

    private SevGuestDevice fakeDevice(FakeSevGuestLibrary fake) throws Exception {
        Path node = Files.createFile(dir.resolve("sev-guest"));
        return SevGuestDevice.builder().path(node).symbolLookup(fake.lookup()).build();
    }

    private static Reason reasonOf(Throwable t) {
        return ((CocoException) t).reason();
    }

    @Test
    void configfsIsUsedWhenAvailable() throws Exception {
        byte[] table = GuestFixtures.certTable().toBytes();
        configfs.auxblob = table;
        SnpAttester attester = SnpAttester.builder().configfsTsm(tsm()).device(unusableDevice()).build();
        ReportData rd = GuestFixtures.nonce();

        Evidence ev = attester.attest(rd);

        assertThat(ev.tee()).isEqualTo(TeeType.SNP);
        assertThat(ev.data()).isEqualTo(GuestFixtures.reportFor(rd, 0));
        assertThat(ev.auxiliary()).isEqualTo(table);
        assertThat(configfs.created).isEqualTo(1);
        assertThat(configfs.entries).isEmpty();
        assertThat(configfs.lastPrivlevelWritten).isEqualTo(-1);
    }

    @Test
    void requestedVmplIsWrittenAsPrivlevelAndChecked() throws Exception {
        SnpAttester attester = SnpAttester.builder().configfsTsm(tsm()).device(unusableDevice()).vmpl(2).build();
        Evidence ev = attester.attest(GuestFixtures.nonce());
        assertThat(configfs.lastPrivlevelWritten).isEqualTo(2);
        assertThat(ev.data()[0x30]).isEqualTo((byte) 2);
        assertThat(ev.auxiliary()).isEmpty();
    }

    @Test
    void reportDataMismatchIsRefused() throws Exception {
        configfs.ignoreInblob = true;
        SnpAttester attester = SnpAttester.builder().configfsTsm(tsm()).device(unusableDevice()).build();
        assertThatThrownBy(() -> attester.attest(GuestFixtures.nonce()))
                .isInstanceOf(AttestationException.class)
                .extracting(SnpAttesterTest::reasonOf).isEqualTo(Reason.REPORT_DATA_MISMATCH);
    }

    @Test
    void malformedAuxblobIsRefused() throws Exception {
        configfs.auxblob = new byte[] {1, 2, 3};
        SnpAttester attester = SnpAttester.builder().configfsTsm(tsm()).device(unusableDevice()).build();
        assertThatThrownBy(() -> attester.attest(GuestFixtures.nonce()))
                .isInstanceOf(AttestationException.class)
                .extracting(SnpAttesterTest::reasonOf).isEqualTo(Reason.MALFORMED_EVIDENCE);
    }

    @Test
    void configfsFailureIsNotHiddenByTheFallback() throws Exception {
        configfs.failOutblob = true;
        SnpAttester attester = SnpAttester.builder().configfsTsm(tsm()).device(unusableDevice()).build();
        assertThatThrownBy(() -> attester.attest(GuestFixtures.nonce()))
                .isInstanceOf(AttestationException.class).hasMessageContaining("cannot read configfs-tsm outblob")
                .extracting(SnpAttesterTest::reasonOf).isEqualTo(Reason.SERVICE_UNAVAILABLE);
        assertThat(configfs.entries).isEmpty();
    }

    @Test
    void fallsBackToTheDeviceWhenConfigfsIsAbsent() throws Exception {
        FakeSevGuestLibrary fake = FakeSevGuestLibrary.load();
        SnpCertTable table = GuestFixtures.certTable();
        fake.configure(GuestFixtures.cannedReport(), table.toBytes(), FakeSevGuestLibrary.MODE_OK);
        configfs.rootPresent = false;
        SnpAttester attester = SnpAttester.builder().configfsTsm(tsm()).device(fakeDevice(fake)).vmpl(1).build();
        ReportData rd = GuestFixtures.nonce();

        Evidence ev = attester.attest(rd);

        assertThat(ev.data()).isEqualTo(GuestFixtures.reportFor(rd, 1));
        assertThat(SnpCertTable.parse(ev.auxiliary())).isEqualTo(table);
        assertThat(fake.stat(FakeSevGuestLibrary.STAT_LAST_VMPL)).isEqualTo(1);
        assertThat(fake.stat(FakeSevGuestLibrary.STAT_OPEN_FDS)).isZero();
        assertThat(configfs.created).isZero();
    }

    @Test
    void fallsBackToTheDeviceWhenConfigfsServesAnotherProvider() throws Exception {
        FakeSevGuestLibrary fake = FakeSevGuestLibrary.load();
        fake.configure(GuestFixtures.cannedReport(), new byte[0], FakeSevGuestLibrary.MODE_OK);
        configfs.provider = "tdx_guest\n";
        SnpAttester attester = SnpAttester.builder().configfsTsm(tsm()).device(fakeDevice(fake)).build();

        Evidence ev = attester.attest(GuestFixtures.nonce());

        assertThat(ev.data()).isEqualTo(GuestFixtures.reportFor(GuestFixtures.nonce(), 0));
        assertThat(ev.auxiliary()).isEmpty();
        assertThat(configfs.created).isEqualTo(1);
        assertThat(configfs.entries).isEmpty();
    }

    @Test
    void neitherInterfaceGivesAClearTypedError() {
        configfs.rootPresent = false;
        SnpAttester attester = SnpAttester.builder().configfsTsm(tsm()).device(absentDevice()).build();
        assertThat(attester.isAvailable()).isFalse();
        assertThat(attester.describeAvailability()).isEqualTo("configfs-tsm at " + ROOT + ": absent; "
                + dir.resolve("absent-sev-guest") + ": absent");
        assertThatThrownBy(() -> attester.attest(GuestFixtures.nonce()))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("no SEV-SNP guest interface")
                .hasMessageContaining("configfs-tsm not present at " + ROOT)
                .hasMessageContaining(dir.resolve("absent-sev-guest") + " not present")
                .extracting(SnpAttesterTest::reasonOf).isEqualTo(Reason.CONFIGURATION);
    }

    @Test
    void wrongProviderAndNoDeviceSaysWhy() {
        configfs.provider = "tdx_guest\n";
        SnpAttester attester = SnpAttester.builder().configfsTsm(tsm()).device(absentDevice()).build();
        assertThat(attester.isAvailable()).isTrue();
        assertThatThrownBy(() -> attester.attest(GuestFixtures.nonce()))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("provider is 'tdx_guest', expected 'sev_guest'")
                .extracting(SnpAttesterTest::reasonOf).isEqualTo(Reason.CONFIGURATION);
    }

    @Test
    void probesReadTheConfigfsProviderSoDetectionSkipsAnotherTeesConfigfs() throws Exception {
        configfs.provider = "tdx_guest\n";
        SnpAttester onTdx = SnpAttester.builder().configfsTsm(tsm()).device(absentDevice()).build();
        var probes = onTdx.probes();
        assertThat(probes).extracting(p -> p.mechanism().name()).containsExactly("CONFIGFS_TSM", "DEVICE_NODE");
        assertThat(probes.get(0).found()).isFalse();
        assertThat(probes.get(0).detail()).isEqualTo("provider is tdx_guest, not sev_guest");
        assertThat(probes.get(1).found()).isFalse();
        var report = Attesters.detectionReport(java.util.List.of(onTdx));
        assertThat(report.found()).isFalse();
        assertThat(report.explain()).contains("snp via configfs-tsm " + ROOT + ": not found (provider is tdx_guest");

        configfs.provider = "sev_guest\n";
        SnpAttester onSnp = SnpAttester.builder().configfsTsm(tsm()).device(unusableDevice()).build();
        assertThat(onSnp.probes()).allMatch(p -> p.found());
        assertThat(Attesters.detectionReport(java.util.List.of(onSnp)).selected()).containsSame(onSnp);
        assertThat(configfs.entries).isEmpty();
    }

    @Test
    void vmplIsRangeChecked() {
        assertThatThrownBy(() -> SnpAttester.builder().vmpl(4)).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void serviceLoaderFindsTheAttester() {
        Optional<Attester> found = Attesters.forTee(TeeType.SNP);
        assertThat(found).containsInstanceOf(SnpAttester.class);
        SnpAttester real = new SnpAttester();
        assertThat(real.teeType()).isEqualTo(TeeType.SNP);
        assertThat(real.describeAvailability()).contains(ConfigfsTsm.DEFAULT_ROOT.toString(), "/dev/sev-guest");
    }
}
