package dev.coco4j.sev.guest;

import static dev.coco4j.sev.guest.FakeSevGuestLibrary.MODE_ALWAYS_INVALID_LEN;
import static dev.coco4j.sev.guest.FakeSevGuestLibrary.MODE_BAD_REPORT_SIZE;
import static dev.coco4j.sev.guest.FakeSevGuestLibrary.MODE_BUSY;
import static dev.coco4j.sev.guest.FakeSevGuestLibrary.MODE_IOCTL_EIO;
import static dev.coco4j.sev.guest.FakeSevGuestLibrary.MODE_OK;
import static dev.coco4j.sev.guest.FakeSevGuestLibrary.MODE_OPEN_EACCES;
import static dev.coco4j.sev.guest.FakeSevGuestLibrary.MODE_OPEN_ENOENT;
import static dev.coco4j.sev.guest.FakeSevGuestLibrary.MODE_STATUS_ERROR;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.sev.abi.SnpCertTable;
import dev.coco4j.sev.abi.SnpReport;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SevGuestDeviceTest {
    private FakeSevGuestLibrary fake;

    private SevGuestDevice device(int initialCertsLength) {
        fake = FakeSevGuestLibrary.load();
        return SevGuestDevice.builder().path(Path.of("/dev/fake-sev-guest")).symbolLookup(fake.lookup())
                .initialCertsLength(initialCertsLength).build();
    }

    private SevGuestDevice device() {
        return device(SevGuestDevice.DEFAULT_CERTS_LENGTH);
    }

    @AfterEach
    void everyOpenedDescriptorIsClosed() {
        if (fake != null) {
            assertThat(fake.stat(FakeSevGuestLibrary.STAT_OPEN_FDS)).isZero();
        }
    }

    private static Reason reasonOf(Throwable t) {
        return ((CocoException) t).reason();
    }

    @Test
    void abiLayoutsMatchTheKernelStructs() {
        assertThat(SevGuestAbi.GUEST_REQUEST.byteSize()).isEqualTo(32);
        assertThat(SevGuestAbi.REPORT_REQ.byteSize()).isEqualTo(96);
        assertThat(SevGuestAbi.EXT_REPORT_REQ.byteSize()).isEqualTo(112);
        assertThat(new long[] {SevGuestAbi.OFF_MSG_VERSION, SevGuestAbi.OFF_REQ_DATA, SevGuestAbi.OFF_RESP_DATA,
            SevGuestAbi.OFF_EXITINFO2, SevGuestAbi.OFF_USER_DATA, SevGuestAbi.OFF_VMPL, SevGuestAbi.OFF_CERTS_ADDRESS,
            SevGuestAbi.OFF_CERTS_LEN}).containsExactly(0, 8, 16, 24, 0, 64, 96, 104);
        // _IOWR('S', nr, 32-byte struct) = 3 << 30 | 32 << 16 | 'S' << 8 | nr
        assertThat(SevGuestAbi.SNP_GET_REPORT).isEqualTo((3L << 30) | (32L << 16) | ('S' << 8));
        assertThat(SevGuestAbi.SNP_GET_EXT_REPORT).isEqualTo((3L << 30) | (32L << 16) | ('S' << 8) | 2);
    }

    @Test
    void reportComesBackByteForByte() {
        SevGuestDevice dev = device();
        byte[] canned = GuestFixtures.cannedReport();
        SnpReport cannedReport = SnpReport.parse(canned);
        fake.configure(canned, new byte[0], MODE_OK);

        // Asking with the canned report's own REPORT_DATA and VMPL must give exactly the canned bytes.
        byte[] got = dev.getReport(ReportData.of(cannedReport.reportData()), cannedReport.vmpl());

        assertThat(got).isEqualTo(canned);
        assertThat(fake.stat(FakeSevGuestLibrary.STAT_OPENS)).isEqualTo(1);
        assertThat(fake.stat(FakeSevGuestLibrary.STAT_CLOSES)).isEqualTo(1);
        assertThat(fake.stat(FakeSevGuestLibrary.STAT_LAST_MSG_VERSION)).isEqualTo(1);
        assertThat(fake.stat(FakeSevGuestLibrary.STAT_LAST_OPEN_FLAGS) & 3).isEqualTo(2); // O_RDWR
    }

    @Test
    void reportDataAndVmplReachTheDriver() {
        SevGuestDevice dev = device();
        fake.configure(GuestFixtures.cannedReport(), new byte[0], MODE_OK);
        ReportData rd = GuestFixtures.nonce();

        byte[] got = dev.getReport(rd, 2);

        assertThat(fake.stat(FakeSevGuestLibrary.STAT_LAST_VMPL)).isEqualTo(2);
        assertThat(got).isEqualTo(GuestFixtures.reportFor(rd, 2));
        SnpReport r = SnpReport.parse(got);
        assertThat(r.reportData()).isEqualTo(rd.toByteArray());
        assertThat(r.vmpl()).isEqualTo(2);
    }

    @Test
    void extendedReportRetriesOnceWithTheSizeTheHostAsksFor() {
        SevGuestDevice dev = device(SevGuestDevice.PAGE_SIZE);
        SnpCertTable table = GuestFixtures.certTable();
        byte[] tableBytes = table.toBytes();
        assertThat(tableBytes.length).isGreaterThan(SevGuestDevice.PAGE_SIZE);
        fake.configure(GuestFixtures.cannedReport(), tableBytes, MODE_OK);
        ReportData rd = GuestFixtures.nonce();

        SevGuestDevice.ExtendedReport ext = dev.getExtendedReport(rd, 1);

        assertThat(fake.stat(FakeSevGuestLibrary.STAT_INVALID_LEN)).isEqualTo(1);
        assertThat(fake.stat(FakeSevGuestLibrary.STAT_LAST_CERTS_LEN)).isEqualTo(2L * SevGuestDevice.PAGE_SIZE);
        assertThat(fake.stat(FakeSevGuestLibrary.STAT_IOCTLS)).isEqualTo(2);
        assertThat(fake.stat(FakeSevGuestLibrary.STAT_OPENS)).isEqualTo(1);
        assertThat(ext.report()).isEqualTo(GuestFixtures.reportFor(rd, 1));
        assertThat(ext.certTable()).isEqualTo(tableBytes);
        SnpCertTable parsed = SnpCertTable.parse(ext.certTable());
        assertThat(parsed).isEqualTo(table);
        assertThat(parsed.find(GuestFixtures.OTHER)).isPresent();
        assertThat(parsed.find(SnpCertTable.VCEK)).hasValueSatisfying(v -> assertThat(v).hasSize(1347));
    }

    @Test
    void extendedReportWithALargeEnoughBufferNeedsNoRetry() {
        SevGuestDevice dev = device();
        byte[] tableBytes = GuestFixtures.certTable().toBytes();
        fake.configure(GuestFixtures.cannedReport(), tableBytes, MODE_OK);

        SevGuestDevice.ExtendedReport ext = dev.getExtendedReport(GuestFixtures.nonce(), 0);

        assertThat(fake.stat(FakeSevGuestLibrary.STAT_INVALID_LEN)).isZero();
        assertThat(fake.stat(FakeSevGuestLibrary.STAT_LAST_CERTS_LEN)).isEqualTo(SevGuestDevice.DEFAULT_CERTS_LENGTH);
        assertThat(ext.certTable()).isEqualTo(tableBytes);
    }

    @Test
    void extendedReportWithoutCertificatesHasAnEmptyTable() {
        SevGuestDevice dev = device(SevGuestDevice.PAGE_SIZE);
        fake.configure(GuestFixtures.cannedReport(), new byte[0], MODE_OK);
        SevGuestDevice.ExtendedReport ext = dev.getExtendedReport(GuestFixtures.nonce(), 0);
        assertThat(ext.certTable()).isEmpty();
        assertThat(ext.report()).hasSize(SnpReport.SIZE);
    }

    @Test
    void aSecondInvalidLenFailsInsteadOfLooping() {
        SevGuestDevice dev = device(SevGuestDevice.PAGE_SIZE);
        fake.configure(GuestFixtures.cannedReport(), GuestFixtures.certTable().toBytes(), MODE_ALWAYS_INVALID_LEN);
        assertThatThrownBy(() -> dev.getExtendedReport(GuestFixtures.nonce(), 0))
                .isInstanceOf(AttestationException.class).hasMessageContaining("larger certificate buffer again")
                .extracting(SevGuestDeviceTest::reasonOf).isEqualTo(Reason.SERVICE_UNAVAILABLE);
        assertThat(fake.stat(FakeSevGuestLibrary.STAT_INVALID_LEN)).isEqualTo(2);
    }

    @Test
    void firmwareStatusErrorIsTyped() {
        SevGuestDevice dev = device();
        fake.configure(GuestFixtures.cannedReport(), new byte[0], MODE_STATUS_ERROR);
        assertThatThrownBy(() -> dev.getReport(GuestFixtures.nonce(), 0))
                .isInstanceOf(AttestationException.class).hasMessageContaining("status 0x16 (invalid parameters)")
                .extracting(SevGuestDeviceTest::reasonOf).isEqualTo(Reason.SERVICE_UNAVAILABLE);
        assertThatThrownBy(() -> dev.getExtendedReport(GuestFixtures.nonce(), 0))
                .isInstanceOf(AttestationException.class).hasMessageContaining("status 0x16");
    }

    @Test
    void wrongReportSizeIsMalformed() {
        SevGuestDevice dev = device();
        fake.configure(GuestFixtures.cannedReport(), new byte[0], MODE_BAD_REPORT_SIZE);
        assertThatThrownBy(() -> dev.getReport(GuestFixtures.nonce(), 0))
                .isInstanceOf(AttestationException.class).hasMessageContaining("1000 bytes, expected 1184")
                .extracting(SevGuestDeviceTest::reasonOf).isEqualTo(Reason.MALFORMED_EVIDENCE);
    }

    @Test
    void ioctlFailureCarriesErrnoAndExitinfo() {
        SevGuestDevice dev = device();
        fake.configure(GuestFixtures.cannedReport(), new byte[0], MODE_IOCTL_EIO);
        assertThatThrownBy(() -> dev.getReport(GuestFixtures.nonce(), 0))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("SNP_GET_REPORT on /dev/fake-sev-guest failed: EIO, fw_error 0x27, vmm_error 0")
                .extracting(SevGuestDeviceTest::reasonOf).isEqualTo(Reason.SERVICE_UNAVAILABLE);
        fake.configure(GuestFixtures.cannedReport(), new byte[0], MODE_BUSY);
        assertThatThrownBy(() -> dev.getExtendedReport(GuestFixtures.nonce(), 0))
                .isInstanceOf(AttestationException.class).hasMessageContaining("vmm_error 2 (BUSY");
        assertThat(fake.stat(FakeSevGuestLibrary.STAT_CLOSES)).isEqualTo(1);
    }

    @Test
    void openFailuresAreTyped() {
        SevGuestDevice dev = device();
        fake.configure(GuestFixtures.cannedReport(), new byte[0], MODE_OPEN_ENOENT);
        assertThatThrownBy(() -> dev.getReport(GuestFixtures.nonce(), 0))
                .isInstanceOf(AttestationException.class).hasMessageContaining("is not present (ENOENT)")
                .extracting(SevGuestDeviceTest::reasonOf).isEqualTo(Reason.CONFIGURATION);
        fake.configure(GuestFixtures.cannedReport(), new byte[0], MODE_OPEN_EACCES);
        assertThatThrownBy(() -> dev.getExtendedReport(GuestFixtures.nonce(), 0))
                .isInstanceOf(AttestationException.class).hasMessageContaining("no permission to open")
                .extracting(SevGuestDeviceTest::reasonOf).isEqualTo(Reason.CONFIGURATION);
        assertThat(fake.stat(FakeSevGuestLibrary.STAT_IOCTLS)).isZero();
    }

    @Test
    void realLibcBindingReportsAMissingDevice() {
        // No stand-in: the default lookup binds the C library's open/ioctl/close, and errno is captured.
        SevGuestDevice dev = SevGuestDevice.builder().path(Path.of("/nonexistent/coco4j/sev-guest")).build();
        assertThat(dev.isAvailable()).isFalse();
        assertThatThrownBy(() -> dev.getReport(GuestFixtures.nonce(), 0))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("/nonexistent/coco4j/sev-guest is not present (ENOENT)")
                .extracting(SevGuestDeviceTest::reasonOf).isEqualTo(Reason.CONFIGURATION);
    }

    @Test
    void missingSymbolIsAConfigurationError() {
        SevGuestDevice dev = SevGuestDevice.builder().symbolLookup(name -> Optional.empty()).build();
        assertThatThrownBy(() -> dev.getReport(GuestFixtures.nonce(), 0))
                .isInstanceOf(AttestationException.class).hasMessageContaining("symbol 'open' not found")
                .extracting(SevGuestDeviceTest::reasonOf).isEqualTo(Reason.CONFIGURATION);
    }

    @Test
    void argumentsAreChecked() {
        SevGuestDevice dev = SevGuestDevice.builder().symbolLookup(name -> Optional.empty()).build();
        assertThatThrownBy(() -> dev.getReport(GuestFixtures.nonce(), 4)).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> dev.getExtendedReport(GuestFixtures.nonce(), -1))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> SevGuestDevice.builder().initialCertsLength(4097))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> SevGuestDevice.builder().initialCertsLength(0))
                .isInstanceOf(ConfigurationException.class);
        assertThat(new SevGuestDevice().path()).isEqualTo(SevGuestDevice.DEFAULT_PATH);
    }

    @Test
    void certTableIsTrimmedToItsLastBlob() {
        assertThat(SevGuestDevice.trimCertTable(new byte[SevGuestDevice.PAGE_SIZE])).isEmpty();
        byte[] table = GuestFixtures.certTable().toBytes();
        byte[] padded = Arrays.copyOf(table, 3 * SevGuestDevice.PAGE_SIZE);
        assertThat(SevGuestDevice.trimCertTable(padded)).isEqualTo(table);
        byte[] noTerminator = new byte[48];
        Arrays.fill(noTerminator, (byte) 1);
        assertThatThrownBy(() -> SevGuestDevice.trimCertTable(noTerminator))
                .isInstanceOf(AttestationException.class)
                .extracting(SevGuestDeviceTest::reasonOf).isEqualTo(Reason.MALFORMED_EVIDENCE);
    }

    @Test
    void extendedReportIsImmutable() {
        byte[] rep = {1};
        SevGuestDevice.ExtendedReport e = new SevGuestDevice.ExtendedReport(rep, new byte[] {2});
        rep[0] = 9;
        e.report()[0] = 9;
        assertThat(e.report()).containsExactly(1);
        assertThat(e).isEqualTo(new SevGuestDevice.ExtendedReport(new byte[] {1}, new byte[] {2}));
    }
}
