package dev.coco4j.tdx.guest;

import static dev.coco4j.tdx.guest.FakeTdxGuestLibrary.MODE_IGNORE_REPORTDATA;
import static dev.coco4j.tdx.guest.FakeTdxGuestLibrary.MODE_IOCTL_EIO;
import static dev.coco4j.tdx.guest.FakeTdxGuestLibrary.MODE_IOCTL_ENOTTY;
import static dev.coco4j.tdx.guest.FakeTdxGuestLibrary.MODE_OK;
import static dev.coco4j.tdx.guest.FakeTdxGuestLibrary.MODE_OPEN_EACCES;
import static dev.coco4j.tdx.guest.FakeTdxGuestLibrary.MODE_OPEN_ENOENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.tdx.Vectors;
import dev.coco4j.tdx.abi.TdReport;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** TdxGuestDevice through FFM against the C stand-in, with the real go-tdx-guest TDREPORT as the canned report. */
class TdxGuestDeviceTest {
    static final byte[] CANNED = Vectors.bytes("google-go-tdx-guest/tdreport_1024.dat");
    static final ReportData RD = ReportData.ofHex("5a".repeat(64));

    private FakeTdxGuestLibrary fake;
    private TdxGuestDevice device;

    @BeforeEach
    void setUp() {
        fake = FakeTdxGuestLibrary.load();
        fake.configure(CANNED, MODE_OK);
        device = TdxGuestDevice.builder().path(Path.of("/dev/tdx_guest-fake")).symbolLookup(fake.lookup()).build();
    }

    @AfterEach
    void noLeakedDescriptor() {
        if (fake != null) {
            assertThat(fake.stat(FakeTdxGuestLibrary.STAT_OPEN_FDS)).isZero();
        }
    }

    @Test
    void getReportReturnsTheTdReportWithTheRequestedReportData() {
        TdReport r = device.getReport(RD);
        assertThat(r.reportData()).isEqualTo(RD.toByteArray());
        byte[] expected = CANNED.clone();
        System.arraycopy(RD.toByteArray(), 0, expected, 128, 64);
        assertThat(r.raw()).isEqualTo(expected);
        assertThat(r.mrTd()).isEqualTo(Arrays.copyOfRange(CANNED, 528, 576));
        assertThat(fake.stat(FakeTdxGuestLibrary.STAT_LAST_REQUEST_LOW32)).isEqualTo(0xC4405401L);
        assertThat(fake.stat(FakeTdxGuestLibrary.STAT_OPENS)).isEqualTo(1);
        assertThat(fake.stat(FakeTdxGuestLibrary.STAT_CLOSES)).isEqualTo(1);
        assertThat(fake.stat(FakeTdxGuestLibrary.STAT_LAST_OPEN_FLAGS) & 3).isEqualTo(2);
    }

    @Test
    void wrongReportDataIsRefused() {
        fake.configure(CANNED, MODE_IGNORE_REPORTDATA);
        assertThatThrownBy(() -> device.getReport(RD)).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.REPORT_DATA_MISMATCH));
    }

    @Test
    void ioctlFailureIsServiceUnavailable() {
        fake.configure(CANNED, MODE_IOCTL_EIO);
        assertThatThrownBy(() -> device.getReport(RD)).isInstanceOfSatisfying(AttestationException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
            assertThat(e.detail()).contains("EIO");
        });
        assertThat(fake.stat(FakeTdxGuestLibrary.STAT_CLOSES)).isEqualTo(1);
    }

    @Test
    void unknownIoctlIsConfiguration() {
        fake.configure(CANNED, MODE_IOCTL_ENOTTY);
        assertThatThrownBy(() -> device.getReport(RD)).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION));
    }

    @Test
    void missingOrForbiddenDeviceIsConfiguration() {
        fake.configure(CANNED, MODE_OPEN_ENOENT);
        assertThatThrownBy(() -> device.getReport(RD)).isInstanceOfSatisfying(AttestationException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
            assertThat(e.detail()).contains("not present");
        });
        fake.configure(CANNED, MODE_OPEN_EACCES);
        assertThatThrownBy(() -> device.getReport(RD)).isInstanceOfSatisfying(AttestationException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
            assertThat(e.detail()).contains("permission");
        });
    }

    @Test
    void missingSymbolIsConfiguration() {
        TdxGuestDevice d = TdxGuestDevice.builder().symbolLookup(name -> java.util.Optional.empty()).build();
        assertThatThrownBy(() -> d.getReport(RD)).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION));
    }
}
