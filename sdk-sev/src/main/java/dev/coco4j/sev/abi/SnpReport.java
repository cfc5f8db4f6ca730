package dev.coco4j.sev.abi;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An SEV-SNP ATTESTATION_REPORT (SNP ABI spec 56860, table "ATTESTATION_REPORT"): 1184 bytes, little-endian, versions
 * 2 to 5 (4 is laid out as 3). Immutable; the exact received bytes are kept, so {@link #toBytes()} returns them
 * unchanged and signatures are always checked over what was received.
 *
 * <pre>
 * 0x000 u32 VERSION          0x004 u32 GUEST_SVN        0x008 u64 POLICY
 * 0x010 [16] FAMILY_ID       0x020 [16] IMAGE_ID        0x030 u32 VMPL        0x034 u32 SIGNATURE_ALGO
 * 0x038 u64 CURRENT_TCB      0x040 u64 PLATFORM_INFO    0x048 u32 signer info 0x04C u32 reserved
 * 0x050 [64] REPORT_DATA     0x090 [48] MEASUREMENT     0x0C0 [32] HOST_DATA
 * 0x0E0 [48] ID_KEY_DIGEST   0x110 [48] AUTHOR_KEY_DIGEST
 * 0x140 [32] REPORT_ID       0x160 [32] REPORT_ID_MA    0x180 u64 REPORTED_TCB
 * 0x188 u8 CPUID_FAM_ID, 0x189 u8 CPUID_MOD_ID, 0x18A u8 CPUID_STEP (v3+; reserved in v2)
 * 0x1A0 [64] CHIP_ID         0x1E0 u64 COMMITTED_TCB
 * 0x1E8 u8 CURRENT_BUILD, MINOR, MAJOR, rsvd; 0x1EC u8 COMMITTED_BUILD, MINOR, MAJOR, rsvd
 * 0x1F0 u64 LAUNCH_TCB       0x1F8 u64 LAUNCH_MIT_VECTOR (v5+)   0x200 u64 CURRENT_MIT_VECTOR (v5+)
 * 0x2A0 [512] SIGNATURE: R (72 bytes LE), S (72 bytes LE), zeros
 * </pre>
 *
 * <p>Signed bytes: {@code [0x000, 0x2A0)}, ECDSA P-384 with SHA-384. Parsing checks only the length, the version and
 * the ranges of enumerated fields; it says nothing about authenticity, which is the {@code verify} package's job.
 */
public final class SnpReport {
    /** Size of a report in bytes. */
    public static final int SIZE = 0x4A0;
    /** Length of the signed prefix. */
    public static final int SIGNED_LENGTH = 0x2A0;
    /** Offset of the signature. */
    public static final int SIGNATURE_OFFSET = 0x2A0;
    /** Length of each of R and S in the signature (little-endian, zero-padded). */
    public static final int SIGNATURE_COMPONENT_LENGTH = 72;
    /** Lowest report version accepted. */
    public static final int MIN_VERSION = 2;
    /** Highest report version accepted; newer versions are refused rather than guessed. */
    public static final int MAX_VERSION = 5;
    /** The only signature algorithm defined: ECDSA P-384 with SHA-384. */
    public static final int SIG_ALGO_ECDSA_P384_SHA384 = 1;

    static final int OFF_VERSION = 0x000;
    static final int OFF_GUEST_SVN = 0x004;
    static final int OFF_POLICY = 0x008;
    static final int OFF_FAMILY_ID = 0x010;
    static final int OFF_IMAGE_ID = 0x020;
    static final int OFF_VMPL = 0x030;
    static final int OFF_SIG_ALGO = 0x034;
    static final int OFF_CURRENT_TCB = 0x038;
    static final int OFF_PLATFORM_INFO = 0x040;
    static final int OFF_SIGNER_INFO = 0x048;
    static final int OFF_REPORT_DATA = 0x050;
    static final int OFF_MEASUREMENT = 0x090;
    static final int OFF_HOST_DATA = 0x0C0;
    static final int OFF_ID_KEY_DIGEST = 0x0E0;
    static final int OFF_AUTHOR_KEY_DIGEST = 0x110;
    static final int OFF_REPORT_ID = 0x140;
    static final int OFF_REPORT_ID_MA = 0x160;
    static final int OFF_REPORTED_TCB = 0x180;
    static final int OFF_CPUID_FAM = 0x188;
    static final int OFF_CPUID_MOD = 0x189;
    static final int OFF_CPUID_STEP = 0x18A;
    static final int OFF_CHIP_ID = 0x1A0;
    static final int OFF_COMMITTED_TCB = 0x1E0;
    static final int OFF_CURRENT_BUILD = 0x1E8;
    static final int OFF_COMMITTED_BUILD = 0x1EC;
    static final int OFF_LAUNCH_TCB = 0x1F0;
    static final int OFF_LAUNCH_MIT = 0x1F8;
    static final int OFF_CURRENT_MIT = 0x200;
    static final int OFF_SIG_R = 0x2A0;
    static final int OFF_SIG_S = 0x2E8;

    private final byte[] raw;
    private final ByteBuffer le;

    private SnpReport(byte[] raw) {
        this.raw = raw;
        this.le = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Parses a report. The array is copied.
     *
     * @param bytes the report as received, exactly 1184 bytes; {@code null} is refused like a wrong length; copied
     * @return the parsed report, holding its own copy of {@code bytes}
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the length is not 1184 or an enumerated field
     *     is out of range; {@link Reason#UNSUPPORTED_VERSION} for versions outside 2..5
     */
    public static SnpReport parse(byte[] bytes) {
        if (bytes == null || bytes.length != SIZE) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "an SEV-SNP report is " + SIZE + " bytes, got "
                    + (bytes == null ? "none" : bytes.length));
        }
        SnpReport r = new SnpReport(bytes.clone());
        long version = Integer.toUnsignedLong(r.le.getInt(OFF_VERSION));
        if (version < MIN_VERSION || version > MAX_VERSION) {
            throw new AttestationException(Reason.UNSUPPORTED_VERSION, "SEV-SNP report version " + version
                    + " is not supported (" + MIN_VERSION + ".." + MAX_VERSION + ")");
        }
        long vmpl = Integer.toUnsignedLong(r.le.getInt(OFF_VMPL));
        if (vmpl > 3) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "VMPL " + vmpl + " is out of range 0..3");
        }
        return r;
    }

    /**
     * The exact bytes this report was parsed from (a copy).
     *
     * @return a fresh copy of the 1184 received bytes, signature included
     */
    public byte[] toBytes() {
        return raw.clone();
    }

    /**
     * The signed prefix {@code [0, 0x2A0)} (a copy).
     *
     * @return a fresh copy of the first 0x2A0 bytes, the part the signature covers
     */
    public byte[] signedBytes() {
        return Arrays.copyOf(raw, SIGNED_LENGTH);
    }

    /**
     * Passes the raw bytes to {@code consumer} without copying, for hashing on hot paths. The consumer must not keep
     * or modify the array.
     *
     * @param <T> the type of the consumer's result
     * @param consumer a function over the internal 1184-byte array, not {@code null}; must neither keep nor modify it
     * @return whatever {@code consumer} returns
     */
    public <T> T withRawBytes(java.util.function.Function<byte[], T> consumer) {
        return consumer.apply(raw);
    }

    private byte[] slice(int off, int len) {
        return Arrays.copyOfRange(raw, off, off + len);
    }

    private int u8(int off) {
        return raw[off] & 0xff;
    }

    /**
     * VERSION.
     *
     * @return the report version, 2..5 (checked at parse time)
     */
    public int version() {
        return le.getInt(OFF_VERSION);
    }

    /**
     * GUEST_SVN.
     *
     * @return the guest SVN, an unsigned 32-bit value widened to {@code long}
     */
    public long guestSvn() {
        return Integer.toUnsignedLong(le.getInt(OFF_GUEST_SVN));
    }

    /**
     * POLICY.
     *
     * @return the guest policy the guest was launched with, decoded
     */
    public GuestPolicy policy() {
        return new GuestPolicy(le.getLong(OFF_POLICY));
    }

    /**
     * FAMILY_ID (16 bytes).
     *
     * @return a fresh 16-byte copy of FAMILY_ID
     */
    public byte[] familyId() {
        return slice(OFF_FAMILY_ID, 16);
    }

    /**
     * IMAGE_ID (16 bytes).
     *
     * @return a fresh 16-byte copy of IMAGE_ID
     */
    public byte[] imageId() {
        return slice(OFF_IMAGE_ID, 16);
    }

    /**
     * VMPL of the requester (0..3).
     *
     * @return the VMPL that requested the report, 0..3 (checked at parse time)
     */
    public int vmpl() {
        return le.getInt(OFF_VMPL);
    }

    /**
     * SIGNATURE_ALGO (1 = ECDSA P-384 with SHA-384).
     *
     * @return the SIGNATURE_ALGO code as stored; only {@link #SIG_ALGO_ECDSA_P384_SHA384} is defined, and parsing does
     *     not check it
     */
    public int signatureAlgorithm() {
        return le.getInt(OFF_SIG_ALGO);
    }

    /**
     * CURRENT_TCB, raw.
     *
     * @return the CURRENT_TCB value as a 64-bit integer; decode it with {@link #currentTcb(SnpProduct)}
     */
    public long currentTcbRaw() {
        return le.getLong(OFF_CURRENT_TCB);
    }

    /**
     * PLATFORM_INFO.
     *
     * @return the PLATFORM_INFO flags, decoded
     */
    public PlatformInfo platformInfo() {
        return new PlatformInfo(le.getLong(OFF_PLATFORM_INFO));
    }

    /**
     * Signer info (author key, mask chip key, signing key kind).
     *
     * @return the signer info word at 0x048, decoded
     */
    public SignerInfo signerInfo() {
        return new SignerInfo(le.getInt(OFF_SIGNER_INFO));
    }

    /**
     * REPORT_DATA (64 bytes).
     *
     * @return a fresh 64-byte copy of REPORT_DATA, the value the requester bound into the report
     */
    public byte[] reportData() {
        return slice(OFF_REPORT_DATA, 64);
    }

    /**
     * MEASUREMENT (48 bytes, SHA-384 launch digest).
     *
     * @return a fresh 48-byte copy of MEASUREMENT
     */
    public byte[] measurement() {
        return slice(OFF_MEASUREMENT, 48);
    }

    /**
     * HOST_DATA (32 bytes).
     *
     * @return a fresh 32-byte copy of HOST_DATA
     */
    public byte[] hostData() {
        return slice(OFF_HOST_DATA, 32);
    }

    /**
     * ID_KEY_DIGEST (48 bytes).
     *
     * @return a fresh 48-byte copy of ID_KEY_DIGEST; all zero when the guest was launched without an ID block
     */
    public byte[] idKeyDigest() {
        return slice(OFF_ID_KEY_DIGEST, 48);
    }

    /**
     * AUTHOR_KEY_DIGEST (48 bytes).
     *
     * @return a fresh 48-byte copy of AUTHOR_KEY_DIGEST; all zero when there is no author key
     */
    public byte[] authorKeyDigest() {
        return slice(OFF_AUTHOR_KEY_DIGEST, 48);
    }

    /**
     * REPORT_ID (32 bytes).
     *
     * @return a fresh 32-byte copy of REPORT_ID
     */
    public byte[] reportId() {
        return slice(OFF_REPORT_ID, 32);
    }

    /**
     * REPORT_ID_MA (32 bytes; all 0xFF when there is no migration agent).
     *
     * @return a fresh 32-byte copy of REPORT_ID_MA
     */
    public byte[] reportIdMa() {
        return slice(OFF_REPORT_ID_MA, 32);
    }

    /**
     * REPORTED_TCB, raw: the TCB that selects the VCEK.
     *
     * @return the REPORTED_TCB value as a 64-bit integer; decode it with {@link #reportedTcb(SnpProduct)}
     */
    public long reportedTcbRaw() {
        return le.getLong(OFF_REPORTED_TCB);
    }

    /**
     * CPUID family id (v3+, zero in v2).
     *
     * @return the CPUID family id byte (0..255), or 0 for a version 2 report
     */
    public int cpuidFamily() {
        return version() >= 3 ? u8(OFF_CPUID_FAM) : 0;
    }

    /**
     * CPUID model id (v3+, zero in v2).
     *
     * @return the CPUID model id byte (0..255), or 0 for a version 2 report
     */
    public int cpuidModel() {
        return version() >= 3 ? u8(OFF_CPUID_MOD) : 0;
    }

    /**
     * CPUID stepping (v3+, zero in v2).
     *
     * @return the CPUID stepping byte (0..255), or 0 for a version 2 report
     */
    public int cpuidStepping() {
        return version() >= 3 ? u8(OFF_CPUID_STEP) : 0;
    }

    /**
     * The product from the CPUID fields (v3+); empty for v2 or an unknown family/model.
     *
     * @return the product the CPUID bytes name, or empty for a version 2 report or a family/model this SDK does not
     *     know
     */
    public Optional<SnpProduct> productFromCpuid() {
        return version() >= 3 ? SnpProduct.fromCpuid(cpuidFamily(), cpuidModel()) : Optional.empty();
    }

    /**
     * CHIP_ID (64 bytes; on Turin only the first 8 are meaningful; all zero when MASK_CHIP_ID is set).
     *
     * @return a fresh 64-byte copy of CHIP_ID
     */
    public byte[] chipId() {
        return slice(OFF_CHIP_ID, 64);
    }

    /**
     * True if CHIP_ID is all zero (the only sign of MASK_CHIP_ID).
     *
     * @return {@code true} if all 64 CHIP_ID bytes are zero
     */
    public boolean chipIdMasked() {
        for (int i = 0; i < 64; i++) {
            if (raw[OFF_CHIP_ID + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * COMMITTED_TCB, raw.
     *
     * @return the COMMITTED_TCB value as a 64-bit integer; decode it with {@link #committedTcb(SnpProduct)}
     */
    public long committedTcbRaw() {
        return le.getLong(OFF_COMMITTED_TCB);
    }

    /**
     * LAUNCH_TCB, raw.
     *
     * @return the LAUNCH_TCB value as a 64-bit integer; decode it with {@link #launchTcb(SnpProduct)}
     */
    public long launchTcbRaw() {
        return le.getLong(OFF_LAUNCH_TCB);
    }

    /**
     * CURRENT_TCB decoded under {@code product}.
     *
     * @param product the product whose TCB layout applies, not {@code null} (the report alone does not say for v2)
     * @return the decoded CURRENT_TCB
     */
    public TcbVersion currentTcb(SnpProduct product) {
        return TcbVersion.decode(currentTcbRaw(), product);
    }

    /**
     * REPORTED_TCB decoded under {@code product}.
     *
     * @param product the product whose TCB layout applies, not {@code null} (the report alone does not say for v2)
     * @return the decoded REPORTED_TCB
     */
    public TcbVersion reportedTcb(SnpProduct product) {
        return TcbVersion.decode(reportedTcbRaw(), product);
    }

    /**
     * COMMITTED_TCB decoded under {@code product}.
     *
     * @param product the product whose TCB layout applies, not {@code null} (the report alone does not say for v2)
     * @return the decoded COMMITTED_TCB
     */
    public TcbVersion committedTcb(SnpProduct product) {
        return TcbVersion.decode(committedTcbRaw(), product);
    }

    /**
     * LAUNCH_TCB decoded under {@code product}.
     *
     * @param product the product whose TCB layout applies, not {@code null} (the report alone does not say for v2)
     * @return the decoded LAUNCH_TCB
     */
    public TcbVersion launchTcb(SnpProduct product) {
        return TcbVersion.decode(launchTcbRaw(), product);
    }

    /**
     * CURRENT firmware version (v3+; 0.0.0 in v2).
     *
     * @return CURRENT_MAJOR, CURRENT_MINOR and CURRENT_BUILD; all zero in a version 2 report
     */
    public FirmwareVersion currentFirmware() {
        return new FirmwareVersion(u8(OFF_CURRENT_BUILD + 2), u8(OFF_CURRENT_BUILD + 1), u8(OFF_CURRENT_BUILD));
    }

    /**
     * COMMITTED firmware version (v3+; 0.0.0 in v2).
     *
     * @return COMMITTED_MAJOR, COMMITTED_MINOR and COMMITTED_BUILD; all zero in a version 2 report
     */
    public FirmwareVersion committedFirmware() {
        return new FirmwareVersion(u8(OFF_COMMITTED_BUILD + 2), u8(OFF_COMMITTED_BUILD + 1),
                u8(OFF_COMMITTED_BUILD));
    }

    /**
     * LAUNCH_MIT_VECTOR (v5+; 0 before).
     *
     * @return the LAUNCH_MIT_VECTOR bits, or 0 for reports older than version 5
     */
    public long launchMitigationVector() {
        return version() >= 5 ? le.getLong(OFF_LAUNCH_MIT) : 0;
    }

    /**
     * CURRENT_MIT_VECTOR (v5+; 0 before).
     *
     * @return the CURRENT_MIT_VECTOR bits, or 0 for reports older than version 5
     */
    public long currentMitigationVector() {
        return version() >= 5 ? le.getLong(OFF_CURRENT_MIT) : 0;
    }

    /**
     * Signature R, 72 bytes little-endian as stored.
     *
     * @return a fresh 72-byte copy of R, little-endian and zero-padded as stored
     */
    public byte[] signatureR() {
        return slice(OFF_SIG_R, SIGNATURE_COMPONENT_LENGTH);
    }

    /**
     * Signature S, 72 bytes little-endian as stored.
     *
     * @return a fresh 72-byte copy of S, little-endian and zero-padded as stored
     */
    public byte[] signatureS() {
        return slice(OFF_SIG_S, SIGNATURE_COMPONENT_LENGTH);
    }

    /**
     * True if the whole signature area is zero (an unsigned report).
     *
     * @return {@code true} if every byte from 0x2A0 to the end is zero
     */
    public boolean signatureIsZero() {
        for (int i = SIGNATURE_OFFSET; i < SIZE; i++) {
            if (raw[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * A builder over a copy of this report's bytes, to derive a modified report (simulators and tests).
     *
     * @return a new builder over its own copy of these bytes; changing it does not change this report
     */
    public SnpReportBuilder toBuilder() {
        return new SnpReportBuilder(raw);
    }

    /**
     * A builder for a new all-zero report of the given version (SIGNATURE_ALGO set to 1, REPORT_ID_MA to 0xFF).
     *
     * @param version the VERSION to write; {@link SnpReportBuilder#build()} refuses values outside 2..5
     * @return a new builder over a zeroed 1184-byte buffer with VERSION, SIGNATURE_ALGO and REPORT_ID_MA set
     */
    public static SnpReportBuilder builder(int version) {
        return new SnpReportBuilder(new byte[SIZE]).version(version)
                .signatureAlgorithm(SIG_ALGO_ECDSA_P384_SHA384).reportIdMa(filled(32, (byte) 0xff));
    }

    private static byte[] filled(int n, byte b) {
        byte[] a = new byte[n];
        Arrays.fill(a, b);
        return a;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SnpReport r && MessageDigest.isEqual(r.raw, raw);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        HexFormat h = HexFormat.of();
        return "SnpReport[version=" + version() + ", vmpl=" + vmpl() + ", policy=" + policy() + ", measurement="
                + h.formatHex(measurement()) + ", reportedTcb=0x" + String.format("%016x", reportedTcbRaw())
                + ", signer=" + signerInfo().signingKey() + "]";
    }
}
