package dev.coco4j.sev.guest;

import dev.coco4j.core.internal.NativeCalls;
import static dev.coco4j.sev.guest.SevGuestAbi.EXT_REPORT_REQ;
import static dev.coco4j.sev.guest.SevGuestAbi.GUEST_REQUEST;
import static dev.coco4j.sev.guest.SevGuestAbi.REPORT_REQ;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.sev.abi.SnpCertTable;
import dev.coco4j.sev.abi.SnpReport;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The legacy SEV-SNP guest device {@code /dev/sev-guest}, driven through Panama FFM ({@code open}, {@code ioctl},
 * {@code close}). Kernels since 6.7 offer configfs-tsm instead ({@link dev.coco4j.core.tsm.ConfigfsTsm}), which
 * {@link SnpAttester} prefers; this class is the fallback for older kernels.
 *
 * <p>Requests: {@code SNP_GET_REPORT} ({@code 0xC0205300}) and {@code SNP_GET_EXT_REPORT} ({@code 0xC0205302}), each
 * with a {@code struct snp_guest_request_ioctl} (message version 1). The response's MSG_REPORT_RSP must have status 0
 * and report size 1184, and the report must parse as a {@link SnpReport}. For the extended report the certificate
 * buffer starts at {@link Builder#initialCertsLength(int)}; if the host answers INVALID_LEN (vmm_error 1) with the
 * size it needs, the request is repeated once with that size. The returned table is trimmed, as the kernel trims
 * configfs {@code auxblob}, to the end of its last blob.
 *
 * <p>Both the {@link SymbolLookup} that supplies {@code open}, {@code ioctl} and {@code close} and the device path
 * are injectable, so tests can bind a stand-in library. The JVM needs {@code --enable-native-access=dev.coco4j.sev}
 * (or {@code ALL-UNNAMED} on the class path); without it a {@link Reason#CONFIGURATION} error says so.
 *
 * <p>Failures are {@link AttestationException}s: {@link Reason#CONFIGURATION} when the device is missing, not
 * accessible or the binding cannot be made; {@link Reason#SERVICE_UNAVAILABLE} when the ioctl fails (the message
 * carries errno, fw_error and vmm_error) or the firmware status is not 0; {@link Reason#MALFORMED_EVIDENCE} when the
 * response is malformed. Invalid arguments are {@link ConfigurationException}s. Thread-safe: every call opens and
 * closes its own file descriptor.
 */
public final class SevGuestDevice {
    /** The device node. */
    public static final Path DEFAULT_PATH = Path.of("/dev/sev-guest");
    /** Page size; the certificate buffer length is a multiple of it. */
    public static final int PAGE_SIZE = 4096;
    /** Default initial certificate buffer (the kernel's SEV_FW_BLOB_MAX_SIZE, 16 KiB). */
    public static final int DEFAULT_CERTS_LENGTH = 4 * PAGE_SIZE;
    /** Largest certificate buffer this client will allocate on the host's request. */
    public static final int MAX_CERTS_LENGTH = 1024 * 1024;

    private final Path path;
    private final NativeCalls.LazyBinding binding;
    private final int initialCertsLength;

    /**
     * A report and the certificate table that came with it.
     *
     * @param report the 1184-byte ATTESTATION_REPORT
     * @param certTable the GHCB certificate table trimmed to its last blob, empty when the host supplied none
     */
    public record ExtendedReport(byte[] report, byte[] certTable) {
        /** Copies the arrays. */
        public ExtendedReport {
            report = report.clone();
            certTable = certTable.clone();
        }

        /**
         * A copy of the report bytes.
         *
         * @return a fresh copy of the 1184 report bytes
         */
        @Override
        public byte[] report() {
            return report.clone();
        }

        /**
         * A copy of the certificate table bytes.
         *
         * @return a fresh copy of the table bytes; empty when the host supplied none
         */
        @Override
        public byte[] certTable() {
            return certTable.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ExtendedReport e && Arrays.equals(e.report, report)
                    && Arrays.equals(e.certTable, certTable);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(report) + Arrays.hashCode(certTable);
        }

        @Override
        public String toString() {
            return "ExtendedReport[report=" + report.length + " bytes, certTable=" + certTable.length + " bytes]";
        }
    }

    /** The device at {@link #DEFAULT_PATH}, bound to the C library through the native linker's default lookup. */
    public SevGuestDevice() {
        this(builder());
    }

    private SevGuestDevice(Builder b) {
        this.path = b.path;
        this.binding = new NativeCalls.LazyBinding(
                b.lookup != null ? b.lookup : Linker.nativeLinker().defaultLookup());
        this.initialCertsLength = b.initialCertsLength;
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder: {@link #DEFAULT_PATH}, the C library, {@link #DEFAULT_CERTS_LENGTH}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The device path.
     *
     * @return the path this client opens on every request
     */
    public Path path() {
        return path;
    }

    /**
     * True if the device node exists. Cheap (it is not opened); never throws.
     *
     * @return {@code true} if the node exists; says nothing about permissions or the native-access flag
     */
    public boolean isAvailable() {
        try {
            return Files.exists(path);
        } catch (SecurityException e) {
            return false;
        }
    }

    /**
     * Requests a report ({@code SNP_GET_REPORT}).
     *
     * @param reportData the 64 bytes that become REPORT_DATA
     * @param vmpl the VMPL to request, 0..3 (the guest's own VMPL or a higher number)
     * @return the 1184-byte report, checked to parse
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code vmpl} is outside 0..3
     * @throws AttestationException with the reasons listed on this class
     */
    public byte[] getReport(ReportData reportData, int vmpl) {
        Objects.requireNonNull(reportData, "reportData");
        checkVmpl(vmpl);
        NativeCalls c = calls();
        try (Arena arena = Arena.ofConfined()) {
            int fd = open(c, arena);
            try {
                MemorySegment req = arena.allocate(REPORT_REQ);
                fillReportRequest(req, reportData, vmpl);
                MemorySegment resp = arena.allocate(SevGuestAbi.REPORT_RESP_SIZE, 8);
                MemorySegment ioc = guestRequest(arena, req, resp);
                NativeCalls.Result r = c.ioctl(arena, fd, SevGuestAbi.SNP_GET_REPORT, ioc);
                if (r.failed()) {
                    throw ioctlFailure("SNP_GET_REPORT", r, ioc.get(JAVA_LONG, SevGuestAbi.OFF_EXITINFO2));
                }
                return reportFrom(resp);
            } finally {
                close(c, arena, fd);
            }
        }
    }

    /**
     * Requests an extended report ({@code SNP_GET_EXT_REPORT}): the report plus the host's certificate table.
     *
     * @param reportData the 64 bytes that become REPORT_DATA
     * @param vmpl the VMPL to request, 0..3
     * @return the report, checked to parse, and the host's certificate table trimmed to its last blob (empty if none)
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if {@code vmpl} is outside 0..3
     * @throws AttestationException with the reasons listed on this class; {@link Reason#SERVICE_UNAVAILABLE} also when
     *     the host asks for a larger buffer twice or for one above {@link #MAX_CERTS_LENGTH}
     */
    public ExtendedReport getExtendedReport(ReportData reportData, int vmpl) {
        Objects.requireNonNull(reportData, "reportData");
        checkVmpl(vmpl);
        NativeCalls c = calls();
        try (Arena arena = Arena.ofConfined()) {
            int fd = open(c, arena);
            try {
                int certsLength = initialCertsLength;
                for (int attempt = 1; ; attempt++) {
                    MemorySegment certs = arena.allocate(certsLength, PAGE_SIZE);
                    MemorySegment ext = arena.allocate(EXT_REPORT_REQ);
                    fillReportRequest(ext, reportData, vmpl);
                    ext.set(JAVA_LONG, SevGuestAbi.OFF_CERTS_ADDRESS, certs.address());
                    ext.set(JAVA_INT, SevGuestAbi.OFF_CERTS_LEN, certsLength);
                    MemorySegment resp = arena.allocate(SevGuestAbi.REPORT_RESP_SIZE, 8);
                    MemorySegment ioc = guestRequest(arena, ext, resp);
                    NativeCalls.Result r = c.ioctl(arena, fd, SevGuestAbi.SNP_GET_EXT_REPORT, ioc);
                    if (!r.failed()) {
                        byte[] report = reportFrom(resp);
                        return new ExtendedReport(report, trimCertTable(certs.toArray(JAVA_BYTE)));
                    }
                    long exitinfo2 = ioc.get(JAVA_LONG, SevGuestAbi.OFF_EXITINFO2);
                    if ((int) (exitinfo2 >>> 32) != SevGuestAbi.VMM_ERR_INVALID_LEN) {
                        throw ioctlFailure("SNP_GET_EXT_REPORT", r, exitinfo2);
                    }
                    long needed = Integer.toUnsignedLong(ext.get(JAVA_INT, SevGuestAbi.OFF_CERTS_LEN));
                    if (attempt > 1) {
                        throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "SNP_GET_EXT_REPORT: the host "
                                + "asked for a larger certificate buffer again (" + needed + " bytes after "
                                + certsLength + ")");
                    }
                    if (needed <= certsLength || needed > MAX_CERTS_LENGTH || needed % PAGE_SIZE != 0) {
                        throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "SNP_GET_EXT_REPORT: the host "
                                + "asked for an unusable certificate buffer of " + needed + " bytes (had "
                                + certsLength + ", limit " + MAX_CERTS_LENGTH + ", page multiple)");
                    }
                    certsLength = (int) needed;
                }
            } finally {
                close(c, arena, fd);
            }
        }
    }

    private NativeCalls calls() {
        return binding.get();
    }

    private int open(NativeCalls c, Arena arena) {
        return c.openDevice(arena, path, "not an SEV-SNP guest, or the sev-guest driver is not loaded");
    }

    private void close(NativeCalls c, Arena arena, int fd) {
        c.closeDevice(arena, fd, path);
    }

    private static void checkVmpl(int vmpl) {
        if (vmpl < 0 || vmpl > 3) {
            throw new ConfigurationException(Reason.CONFIGURATION, "VMPL must be 0..3, got " + vmpl);
        }
    }

    private static void fillReportRequest(MemorySegment req, ReportData reportData, int vmpl) {
        MemorySegment.copy(reportData.toByteArray(), 0, req, JAVA_BYTE, SevGuestAbi.OFF_USER_DATA, ReportData.LENGTH);
        req.set(JAVA_INT, SevGuestAbi.OFF_VMPL, vmpl);
    }

    private static MemorySegment guestRequest(Arena arena, MemorySegment req, MemorySegment resp) {
        MemorySegment ioc = arena.allocate(GUEST_REQUEST);
        ioc.set(JAVA_BYTE, SevGuestAbi.OFF_MSG_VERSION, SevGuestAbi.MSG_VERSION);
        ioc.set(JAVA_LONG, SevGuestAbi.OFF_REQ_DATA, req.address());
        ioc.set(JAVA_LONG, SevGuestAbi.OFF_RESP_DATA, resp.address());
        return ioc;
    }

    private static byte[] reportFrom(MemorySegment resp) {
        int status = resp.get(JAVA_INT, 0);
        if (status != 0) {
            throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "the firmware refused the report request:"
                    + " status 0x" + Integer.toHexString(status) + (status == 0x16 ? " (invalid parameters)" : ""));
        }
        long size = Integer.toUnsignedLong(resp.get(JAVA_INT, 4));
        if (size != SnpReport.SIZE) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "the firmware returned a report of " + size
                    + " bytes, expected " + SnpReport.SIZE);
        }
        byte[] report = resp.asSlice(SevGuestAbi.RESP_REPORT_OFFSET, SnpReport.SIZE).toArray(JAVA_BYTE);
        SnpReport.parse(report);
        return report;
    }

    private AttestationException ioctlFailure(String name, NativeCalls.Result r, long exitinfo2) {
        int fw = (int) exitinfo2;
        int vmm = (int) (exitinfo2 >>> 32);
        String vmmText = switch (vmm) {
            case 0 -> "0";
            case SevGuestAbi.VMM_ERR_INVALID_LEN -> "1 (INVALID_LEN)";
            case SevGuestAbi.VMM_ERR_BUSY -> "2 (BUSY, host throttling)";
            default -> "0x" + Integer.toHexString(vmm);
        };
        Reason reason = r.errno() == 25 ? Reason.CONFIGURATION : Reason.SERVICE_UNAVAILABLE;
        return new AttestationException(reason, name + " on " + path + " failed: " + NativeCalls.errnoName(r.errno())
                + ", fw_error 0x" + Integer.toHexString(fw) + ", vmm_error " + vmmText);
    }

    /**
     * Cuts a page-padded certificate buffer to the end of its last blob, as the kernel does for configfs
     * {@code auxblob}. An all-zero buffer (no certificates) gives an empty array.
     *
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the table is malformed
     */
    static byte[] trimCertTable(byte[] buffer) {
        SnpCertTable table = SnpCertTable.parse(buffer);
        if (table.entries().isEmpty()) {
            return new byte[0];
        }
        long end = 0;
        for (int i = 0; i < table.entries().size(); i++) {
            int at = i * 24;
            long off = Integer.toUnsignedLong(leInt(buffer, at + 16));
            long len = Integer.toUnsignedLong(leInt(buffer, at + 20));
            end = Math.max(end, off + len);
        }
        end = Math.max(end, (table.entries().size() + 1) * 24L);
        return Arrays.copyOf(buffer, (int) end);
    }

    private static int leInt(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff) << 16 | (b[at + 3] & 0xff) << 24;
    }

    @Override
    public String toString() {
        return "SevGuestDevice[" + path + ", initial certificate buffer " + initialCertsLength + " bytes]";
    }

    /** Builds a {@link SevGuestDevice}. Not thread-safe. */
    public static final class Builder {
        private Path path = DEFAULT_PATH;
        private SymbolLookup lookup;
        private int initialCertsLength = DEFAULT_CERTS_LENGTH;

        private Builder() {
        }

        /**
         * The device path (default {@link #DEFAULT_PATH}).
         *
         * @param value the device node to open, not {@code null}; not checked until a request
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
         * @param value a lookup that provides {@code open}, {@code ioctl} and {@code close} with the C signatures, not
         *     {@code null}
         * @return this builder
         */
        public Builder symbolLookup(SymbolLookup value) {
            this.lookup = Objects.requireNonNull(value, "symbolLookup");
            return this;
        }

        /**
         * The first certificate buffer size for extended reports, a positive multiple of {@link #PAGE_SIZE} up to
         * {@link #MAX_CERTS_LENGTH} (default {@link #DEFAULT_CERTS_LENGTH}).
         *
         * @param value the size in bytes of the first certificate buffer
         * @return this builder
         * @throws ConfigurationException if out of range
         */
        public Builder initialCertsLength(int value) {
            if (value <= 0 || value > MAX_CERTS_LENGTH || value % PAGE_SIZE != 0) {
                throw new ConfigurationException(Reason.CONFIGURATION, "certificate buffer length must be a positive"
                        + " multiple of " + PAGE_SIZE + " up to " + MAX_CERTS_LENGTH + ", got " + value);
            }
            this.initialCertsLength = value;
            return this;
        }

        /**
         * The device client.
         *
         * @return a new client; the native binding is made on the first request, not here
         */
        public SevGuestDevice build() {
            return new SevGuestDevice(this);
        }
    }
}
