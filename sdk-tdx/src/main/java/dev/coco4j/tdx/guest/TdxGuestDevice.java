package dev.coco4j.tdx.guest;

import dev.coco4j.core.internal.NativeCalls;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.tdx.abi.TdReport;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The TDX guest device {@code /dev/tdx_guest} (upstream Linux since 6.2), driven through Panama FFM ({@code open},
 * {@code ioctl}, {@code close}) to obtain a TDREPORT: {@code TDX_CMD_GET_REPORT0} =
 * {@code _IOWR('T', 1, struct tdx_report_req)} = {@value #TDX_CMD_GET_REPORT0_HEX}, where
 * {@code struct tdx_report_req { u8 reportdata[64]; u8 tdreport[1024]; }} (1088 bytes).
 *
 * <p>A TDREPORT is MAC'd for this platform only, not signed: it is not remote evidence. Quotes come from
 * configfs-tsm ({@link TdxAttester}); this class serves local checks (measurements, RTMRs) and diagnostics. The
 * returned report must carry exactly the requested REPORTDATA, else {@link Reason#REPORT_DATA_MISMATCH}.
 *
 * <p>The {@link SymbolLookup} that supplies {@code open}, {@code ioctl} and {@code close} and the device path are
 * injectable, so tests bind a stand-in library. The JVM needs {@code --enable-native-access=dev.coco4j.tdx} (or
 * {@code ALL-UNNAMED} on the class path); without it a {@link Reason#CONFIGURATION} error says so.
 *
 * <p>Failures are {@link AttestationException}s: {@link Reason#CONFIGURATION} when the device is missing, not
 * accessible, the ioctl unknown (ENOTTY) or the binding cannot be made; {@link Reason#SERVICE_UNAVAILABLE} when the
 * ioctl otherwise fails (with errno). Thread-safe: every call opens and closes its own file descriptor.
 */
public final class TdxGuestDevice {
    /** The device node. */
    public static final Path DEFAULT_PATH = Path.of("/dev/tdx_guest");
    /** {@code _IOWR('T', 1, struct tdx_report_req)}. */
    public static final long TDX_CMD_GET_REPORT0 = 0xC4405401L;
    /** The request code as text, for documentation. */
    public static final String TDX_CMD_GET_REPORT0_HEX = "0xC4405401";
    /** Size of {@code struct tdx_report_req}: 64 bytes of REPORTDATA, then the 1024-byte TDREPORT. */
    public static final int REQUEST_SIZE = ReportData.LENGTH + TdReport.SIZE;

    private final Path path;
    private final NativeCalls.LazyBinding binding;

    /** The device at {@link #DEFAULT_PATH}, bound to the C library through the native linker's default lookup. */
    public TdxGuestDevice() {
        this(builder());
    }

    private TdxGuestDevice(Builder b) {
        this.path = b.path;
        this.binding = new NativeCalls.LazyBinding(
                b.lookup != null ? b.lookup : Linker.nativeLinker().defaultLookup());
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder with the path {@link #DEFAULT_PATH} and the C library's symbols
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The device path.
     *
     * @return the device path this client opens, never null
     */
    public Path path() {
        return path;
    }

    /**
     * True if the device node exists. Cheap (it is not opened); never throws.
     *
     * @return {@code true} if a file exists at {@link #path()}; it may still fail to open (permissions, no driver)
     */
    public boolean isAvailable() {
        try {
            return Files.exists(path);
        } catch (SecurityException e) {
            return false;
        }
    }

    /**
     * Requests a TDREPORT binding {@code reportData} ({@code TDX_CMD_GET_REPORT0}).
     *
     * @param reportData the 64 bytes to bind into the report, not null
     * @return the TDREPORT the kernel returned, whose REPORTDATA equals {@code reportData}
     * @throws AttestationException as described on the class
     */
    public TdReport getReport(ReportData reportData) {
        Objects.requireNonNull(reportData, "reportData");
        NativeCalls c = calls();
        try (Arena arena = Arena.ofConfined()) {
            int fd = open(c, arena);
            try {
                MemorySegment req = arena.allocate(REQUEST_SIZE, 8);
                MemorySegment.copy(reportData.toByteArray(), 0, req, JAVA_BYTE, 0, ReportData.LENGTH);
                NativeCalls.Result r = c.ioctl(arena, fd, TDX_CMD_GET_REPORT0, req);
                if (r.failed()) {
                    Reason reason = r.errno() == 25 ? Reason.CONFIGURATION : Reason.SERVICE_UNAVAILABLE;
                    throw new AttestationException(reason, "TDX_CMD_GET_REPORT0 on " + path + " failed: "
                            + NativeCalls.errnoName(r.errno()));
                }
                TdReport report = TdReport.parse(req.asSlice(ReportData.LENGTH, TdReport.SIZE).toArray(JAVA_BYTE));
                if (!reportData.matches(report.reportData())) {
                    throw new AttestationException(Reason.REPORT_DATA_MISMATCH, "the TDREPORT from " + path
                            + " carries different REPORTDATA than requested");
                }
                return report;
            } finally {
                close(c, arena, fd);
            }
        }
    }

    private NativeCalls calls() {
        return binding.get();
    }

    private int open(NativeCalls c, Arena arena) {
        return c.openDevice(arena, path, "not a TDX guest, or the tdx_guest driver is not loaded");
    }

    private void close(NativeCalls c, Arena arena, int fd) {
        c.closeDevice(arena, fd, path);
    }

    @Override
    public String toString() {
        return "TdxGuestDevice[" + path + "]";
    }

    /** Builds a {@link TdxGuestDevice}. Not thread-safe. */
    public static final class Builder {
        private Path path = DEFAULT_PATH;
        private SymbolLookup lookup;

        private Builder() {
        }

        /**
         * The device path (default {@link #DEFAULT_PATH}).
         *
         * @param value the device node to open, not null (tests point it at a stand-in)
         * @return this builder
         */
        public Builder path(Path value) {
            this.path = Objects.requireNonNull(value, "path");
            return this;
        }

        /**
         * Where {@code open}, {@code ioctl} and {@code close} come from (default:
         * {@link Linker#defaultLookup() Linker.nativeLinker().defaultLookup()}, the C library).
         *
         * @param value the lookup that resolves {@code open}, {@code ioctl} and {@code close}, not null; bound lazily
         *     on the first request
         * @return this builder
         */
        public Builder symbolLookup(SymbolLookup value) {
            this.lookup = Objects.requireNonNull(value, "symbolLookup");
            return this;
        }

        /**
         * The device client.
         *
         * @return a new device client with this builder's values; nothing is opened or bound yet
         */
        public TdxGuestDevice build() {
            return new TdxGuestDevice(this);
        }
    }
}
