package dev.coco4j.azure.hcl;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * An HCL report as the Azure paravisor writes it into the vTPM (all integers little-endian):
 * <pre>
 * 0x000  u32 signature "HCLA" (0x414C4348)   u32 version (1 or 2)   u32 report_size   u32 request_type
 *        u32 status   u32[3] reserved
 * 0x020  u8[1184] hardware report: the SEV-SNP attestation report, or the TDX TDREPORT (1024 bytes, then zeros)
 * 0x4C0  u32 data_size (20 + variable_data_size)   u32 data_version (1)   u32 report_type (2 SNP, 3 TVM, 4 TDX)
 *        u32 report_data_hash_type (1 SHA-256, 2 SHA-384, 3 SHA-512)   u32 variable_data_size
 * 0x4D4  u8[variable_data_size] variable data: the runtime claims JSON
 * </pre>
 * {@code report_size} covers the header through the variable data; the vTPM NV index may hold trailing zero bytes
 * after it (the index is 2600 bytes). The hardware report's report data starts with
 * {@code hash_type(variable data)}, followed by zero bytes: that is what binds the runtime claims (and the vTPM
 * attestation key in them) to the hardware evidence.
 *
 * <p>Immutable; accessors return copies.
 */
public final class HclReport {
    /** "HCLA" read as a little-endian u32. */
    public static final int SIGNATURE = 0x414C4348;
    /** Offset of the hardware report. */
    public static final int HW_REPORT_OFFSET = 0x20;
    /** Size of the hardware report area. */
    public static final int HW_REPORT_SIZE = 1184;
    /** Offset of the request-data header after the hardware report. */
    public static final int REQUEST_DATA_OFFSET = HW_REPORT_OFFSET + HW_REPORT_SIZE;
    /** Size of the request-data header. */
    public static final int REQUEST_DATA_HEADER_SIZE = 20;
    /** Offset of the variable data (runtime claims JSON). */
    public static final int VARIABLE_DATA_OFFSET = REQUEST_DATA_OFFSET + REQUEST_DATA_HEADER_SIZE;
    /** Upper bound accepted for the variable data. */
    public static final int MAX_VARIABLE_DATA = 64 * 1024;
    /** Size of a TDX TDREPORT inside the hardware report area. */
    public static final int TDREPORT_SIZE = 1024;

    /** The kind of hardware report an HCL report carries. */
    public enum ReportType {
        /** An AMD SEV-SNP attestation report. */
        SNP(2),
        /** A trusted-VM (VBS) report; not supported for verification. */
        TVM(3),
        /** An Intel TDX TDREPORT. */
        TDX(4);

        private final int code;

        ReportType(int code) {
            this.code = code;
        }

        /**
         * The wire value.
         *
         * @return the {@code report_type} value: 2 (SNP), 3 (TVM) or 4 (TDX)
         */
        public int code() {
            return code;
        }

        static ReportType of(int code) {
            for (ReportType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw malformed("unknown HCL report type " + code);
        }
    }

    /** The hash that binds the variable data into the hardware report data. */
    public enum HashType {
        /** SHA-256 (32 bytes). */
        SHA256(1, "SHA-256", 32),
        /** SHA-384 (48 bytes). */
        SHA384(2, "SHA-384", 48),
        /** SHA-512 (64 bytes). */
        SHA512(3, "SHA-512", 64);

        private final int code;
        private final String jcaName;
        private final int length;

        HashType(int code, String jcaName, int length) {
            this.code = code;
            this.jcaName = jcaName;
            this.length = length;
        }

        /**
         * The wire value.
         *
         * @return the {@code report_data_hash_type} value: 1 (SHA-256), 2 (SHA-384) or 3 (SHA-512)
         */
        public int code() {
            return code;
        }

        /**
         * The digest length in bytes.
         *
         * @return 32, 48 or 64
         */
        public int length() {
            return length;
        }

        /**
         * The digest of {@code data}.
         *
         * @param data the bytes to hash, not {@code null}; not kept
         * @return a new array of {@link #length()} bytes
         */
        public byte[] digest(byte[] data) {
            try {
                return MessageDigest.getInstance(jcaName).digest(data);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(jcaName + " is not available", e);
            }
        }

        static HashType of(int code) {
            for (HashType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            throw malformed("unknown HCL report-data hash type " + code);
        }
    }

    private final byte[] bytes;
    private final int version;
    private final int requestType;
    private final int status;
    private final int dataVersion;
    private final ReportType reportType;
    private final HashType hashType;
    private final byte[] variableData;
    private final RuntimeClaims claims;

    private HclReport(byte[] bytes, int version, int requestType, int status, int dataVersion, ReportType reportType,
                      HashType hashType, byte[] variableData, RuntimeClaims claims) {
        this.bytes = bytes;
        this.version = version;
        this.requestType = requestType;
        this.status = status;
        this.dataVersion = dataVersion;
        this.reportType = reportType;
        this.hashType = hashType;
        this.variableData = variableData;
        this.claims = claims;
    }

    /**
     * Parses an HCL report (trailing bytes after {@code report_size} must be zero, as the vTPM NV index pads it).
     *
     * @param report the report bytes as read from the vTPM NV index, possibly zero-padded; copied. A {@code null} or
     *               short array is refused with {@code MALFORMED_EVIDENCE}. Nothing is verified here: the hardware
     *               report's signature and its binding are checked by the az-snp-vtpm / az-tdx-vtpm verifiers
     * @return the parsed, unverified report
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} for any structural fault, including runtime
     *                              claims that are not the expected JSON
     */
    public static HclReport parse(byte[] report) {
        if (report == null || report.length < VARIABLE_DATA_OFFSET) {
            throw malformed("HCL report is " + (report == null ? 0 : report.length) + " bytes, at least "
                    + VARIABLE_DATA_OFFSET + " expected");
        }
        ByteBuffer b = ByteBuffer.wrap(report).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt(0) != SIGNATURE) {
            throw malformed("HCL report does not start with \"HCLA\"");
        }
        int version = b.getInt(4);
        if (version < 1 || version > 2) {
            throw malformed("HCL report header version " + Integer.toUnsignedString(version) + " is not 1 or 2");
        }
        long reportSize = Integer.toUnsignedLong(b.getInt(8));
        int requestType = b.getInt(12);
        int status = b.getInt(16);
        long dataSize = Integer.toUnsignedLong(b.getInt(REQUEST_DATA_OFFSET));
        int dataVersion = b.getInt(REQUEST_DATA_OFFSET + 4);
        if (dataVersion != 1) {
            throw malformed("HCL request data version " + Integer.toUnsignedString(dataVersion) + " is not 1");
        }
        ReportType type = ReportType.of(b.getInt(REQUEST_DATA_OFFSET + 8));
        HashType hash = HashType.of(b.getInt(REQUEST_DATA_OFFSET + 12));
        long varSize = Integer.toUnsignedLong(b.getInt(REQUEST_DATA_OFFSET + 16));
        if (varSize > MAX_VARIABLE_DATA || varSize > report.length - VARIABLE_DATA_OFFSET) {
            throw malformed("HCL variable data size " + varSize + " exceeds the report");
        }
        if (dataSize != REQUEST_DATA_HEADER_SIZE + varSize) {
            throw malformed("HCL request data size " + dataSize + " does not match variable data size " + varSize);
        }
        if (reportSize != VARIABLE_DATA_OFFSET + varSize) {
            throw malformed("HCL report size " + reportSize + " does not match its content ("
                    + (VARIABLE_DATA_OFFSET + varSize) + ")");
        }
        for (int i = (int) reportSize; i < report.length; i++) {
            if (report[i] != 0) {
                throw malformed("non-zero byte after the HCL report at offset " + i);
            }
        }
        byte[] var = Arrays.copyOfRange(report, VARIABLE_DATA_OFFSET, (int) reportSize);
        RuntimeClaims claims = RuntimeClaims.parse(var);
        return new HclReport(report.clone(), version, requestType, status, dataVersion, type, hash, var, claims);
    }

    /**
     * The report bytes as given (including any trailing padding).
     *
     * @return a copy of the report bytes passed to {@link #parse(byte[])}
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * The header version (1 or 2).
     *
     * @return 1 or 2
     */
    public int version() {
        return version;
    }

    /**
     * The request type of the header (2 for the attestation-key certificate request the vTPM makes).
     *
     * @return the header's {@code request_type} as a signed int; not checked by the parser
     */
    public int requestType() {
        return requestType;
    }

    /**
     * The header status word.
     *
     * @return the header's {@code status} as a signed int; not checked by the parser
     */
    public int status() {
        return status;
    }

    /**
     * The request-data version.
     *
     * @return always 1 (the parser refuses other versions)
     */
    public int dataVersion() {
        return dataVersion;
    }

    /**
     * The kind of hardware report.
     *
     * @return the report type from the request-data header, never {@code null}
     */
    public ReportType reportType() {
        return reportType;
    }

    /**
     * The hash binding the variable data into the report data.
     *
     * @return the report-data hash type, never {@code null}
     */
    public HashType hashType() {
        return hashType;
    }

    /**
     * The full 1184-byte hardware report area.
     *
     * @return a new 1184-byte array, whatever the report type
     */
    public byte[] hardwareReport() {
        return Arrays.copyOfRange(bytes, HW_REPORT_OFFSET, REQUEST_DATA_OFFSET);
    }

    /**
     * The SEV-SNP report bytes (the whole hardware report area).
     *
     * @return a new 1184-byte array
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the report type is not {@link ReportType#SNP}
     */
    public byte[] snpReport() {
        requireType(ReportType.SNP);
        return hardwareReport();
    }

    /**
     * The 1024-byte TDX TDREPORT at the start of the hardware report area.
     *
     * @return a new 1024-byte array
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the report type is not {@link ReportType#TDX}
     */
    public byte[] tdReport() {
        requireType(ReportType.TDX);
        return Arrays.copyOfRange(bytes, HW_REPORT_OFFSET, HW_REPORT_OFFSET + TDREPORT_SIZE);
    }

    /**
     * The variable data: the runtime claims JSON bytes exactly as hashed.
     *
     * @return a copy of the variable data (may be empty)
     */
    public byte[] variableData() {
        return variableData.clone();
    }

    /**
     * {@link #hashType()} over {@link #variableData()}.
     *
     * @return a new array of {@code hashType().length()} bytes
     */
    public byte[] variableDataDigest() {
        return hashType.digest(variableData);
    }

    /**
     * The 64-byte report data the hardware report must carry: the variable-data digest, zero-padded to 64 bytes.
     *
     * @return a new 64-byte array to compare with the hardware report's report data
     */
    public byte[] expectedReportData() {
        return Arrays.copyOf(variableDataDigest(), 64);
    }

    /**
     * The parsed runtime claims.
     *
     * @return the runtime claims parsed from the variable data (immutable), never {@code null}
     */
    public RuntimeClaims runtimeClaims() {
        return claims;
    }

    private void requireType(ReportType t) {
        if (reportType != t) {
            throw malformed("HCL report carries a " + reportType + " report, not " + t);
        }
    }

    static AttestationException malformed(String detail) {
        return new AttestationException(Reason.MALFORMED_EVIDENCE, detail);
    }

    @Override
    public String toString() {
        return "HclReport[version=" + version + ", type=" + reportType + ", hash=" + hashType + ", variableData="
                + variableData.length + " bytes]";
    }
}
