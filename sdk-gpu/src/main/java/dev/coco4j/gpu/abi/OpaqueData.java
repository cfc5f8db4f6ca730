package dev.coco4j.gpu.abi;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.gpu.internal.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * NVIDIA's opaque data in the SPDM MEASUREMENTS response: driver and VBIOS versions, chip and board info, the FWID
 * and more.
 *
 * <p>Two formats exist. This class parses the <b>legacy TLV format</b> (all drivers before CUDA 13.5): a sequence of
 * <pre>
 * Type u16 LE | Length u16 LE | Value[Length]
 * </pre>
 * until the opaque length is consumed exactly (see {@link OpaqueFieldType} for the ids). A type id may appear once.
 * Drivers from CUDA 13.5 on emit a <b>versioned format</b> that starts with the 12-byte header
 * {@code 'N' 'V' 'D' 'A' 'O' 'D' | profile u16 LE | major u8 | minor u8 | patch u8 | pad u8}; its entry layout is
 * not implemented yet, so such data is refused with {@link Reason#UNSUPPORTED_VERSION} naming the version.
 *
 * @param raw the exact opaque bytes as signed
 * @param fields the TLVs in order
 */
public record OpaqueData(byte[] raw, List<OpaqueField> fields) {
    /** The magic that starts versioned (NVDAOD) opaque data. */
    public static final byte[] VERSIONED_MAGIC = "NVDAOD".getBytes(StandardCharsets.US_ASCII);

    /** Copies the bytes and the list. */
    public OpaqueData {
        raw = raw.clone();
        fields = List.copyOf(fields);
    }

    /** {@return a copy of the exact opaque bytes as signed} */
    @Override
    public byte[] raw() {
        return raw.clone();
    }

    /**
     * Parses opaque data, dispatching on the versioned format's magic.
     *
     * @param opaque the exact OpaqueData bytes of the response (L2 bytes, may be empty); must not be {@code null}; not
     *     modified, the result keeps its own copy
     * @return the parsed TLVs in order; never {@code null}
     * @throws AttestationException MALFORMED_EVIDENCE for a bad TLV list, UNSUPPORTED_VERSION for versioned data
     */
    public static OpaqueData parse(byte[] opaque) {
        if (opaque.length >= VERSIONED_MAGIC.length
                && Arrays.equals(opaque, 0, VERSIONED_MAGIC.length, VERSIONED_MAGIC, 0, VERSIONED_MAGIC.length)) {
            String version = opaque.length >= 12
                    ? (opaque[8] & 0xFF) + "." + (opaque[9] & 0xFF) + "." + (opaque[10] & 0xFF)
                            + ", profile " + ((opaque[6] & 0xFF) | (opaque[7] & 0xFF) << 8)
                    : "(truncated header)";
            throw new AttestationException(Reason.UNSUPPORTED_VERSION, "versioned NVIDIA opaque data (NVDAOD) "
                    + version + " is not supported by this SDK yet; only the legacy TLV format is");
        }
        Bytes r = new Bytes(opaque, 0, opaque.length, "opaque data");
        List<OpaqueField> out = new ArrayList<>();
        Set<Integer> seen = new HashSet<>();
        while (r.remaining() > 0) {
            int type = r.u16("TLV type");
            int len = r.u16("TLV length");
            byte[] value = r.take(len, "TLV value of type " + type);
            if (!seen.add(type)) {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE, "opaque data type " + type
                        + " appears twice");
            }
            out.add(new OpaqueField(type, value));
        }
        return new OpaqueData(opaque, out);
    }

    /**
     * The value of a field, if present.
     *
     * @param type the field type to look up; must not be {@code null}
     * @return a fresh copy of the value bytes of the field with that type, or {@link Optional#empty()} if the report
     *     has no such field
     */
    public Optional<byte[]> field(OpaqueFieldType type) {
        for (OpaqueField f : fields) {
            if (f.typeId() == type.id()) {
                return Optional.of(f.value());
            }
        }
        return Optional.empty();
    }

    /**
     * The type ids present, in order.
     *
     * @return an unmodifiable list of the TLV type ids in the order they appear, unknown ids included; empty if there
     *     are no fields
     */
    public List<Integer> typeIds() {
        return fields.stream().map(OpaqueField::typeId).toList();
    }

    /**
     * Driver version (type 3), e.g. {@code 550.90.07}.
     *
     * @return the driver version as ASCII up to the first NUL, or {@link Optional#empty()} if the field is absent
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the field holds a non-printable byte
     */
    public Optional<String> driverVersion() {
        return field(OpaqueFieldType.DRIVER_VERSION).map(OpaqueData::ascii);
    }

    /**
     * VBIOS version (type 6) in NVIDIA's dotted upper-case form: the 8 little-endian bytes
     * {@code 00 9f 00 96 01 00 00 00} read as {@code 96.00.9F.00.01}.
     *
     * @return the VBIOS version in dotted upper-case hex, or {@link Optional#empty()} if the field is absent
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the field is not exactly 8 bytes
     */
    public Optional<String> vbiosVersion() {
        return field(OpaqueFieldType.VBIOS_VERSION).map(OpaqueData::formatVbios);
    }

    /**
     * Chip SKU (type 15), e.g. {@code 882}.
     *
     * @return the chip SKU as ASCII up to the first NUL, or {@link Optional#empty()} if the field is absent
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the field holds a non-printable byte
     */
    public Optional<String> chipSku() {
        return field(OpaqueFieldType.CHIP_SKU).map(OpaqueData::ascii);
    }

    /**
     * Chip SKU modifier (type 16).
     *
     * @return the chip SKU modifier as ASCII up to the first NUL (may be empty), or {@link Optional#empty()} if the
     *     field is absent
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the field holds a non-printable byte
     */
    public Optional<String> chipSkuMod() {
        return field(OpaqueFieldType.CHIP_SKU_MOD).map(OpaqueData::ascii);
    }

    /**
     * Project (type 17), e.g. {@code 1010} or {@code G520}.
     *
     * @return the project as ASCII up to the first NUL, or {@link Optional#empty()} if the field is absent
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the field holds a non-printable byte
     */
    public Optional<String> project() {
        return field(OpaqueFieldType.PROJECT).map(OpaqueData::ascii);
    }

    /**
     * Project SKU (type 18), e.g. {@code 0200}.
     *
     * @return the project SKU as ASCII up to the first NUL, or {@link Optional#empty()} if the field is absent
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the field holds a non-printable byte
     */
    public Optional<String> projectSku() {
        return field(OpaqueFieldType.PROJECT_SKU).map(OpaqueData::ascii);
    }

    /**
     * Project SKU modifier (type 19).
     *
     * @return the project SKU modifier as ASCII up to the first NUL (may be empty), or {@link Optional#empty()} if the
     *     field is absent
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the field holds a non-printable byte
     */
    public Optional<String> projectSkuMod() {
        return field(OpaqueFieldType.PROJECT_SKU_MOD).map(OpaqueData::ascii);
    }

    /**
     * Chip name (type 35, Blackwell), e.g. {@code GB100}.
     *
     * @return the chip name as ASCII up to the first NUL, or {@link Optional#empty()} if the field is absent (Hopper
     *     reports have none)
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the field holds a non-printable byte
     */
    public Optional<String> chipInfo() {
        return field(OpaqueFieldType.CHIP_INFO).map(OpaqueData::ascii);
    }

    /**
     * The 48-byte FWID (type 20); absent on older firmware.
     *
     * @return a fresh copy of the FWID bytes as signed (48 bytes on current firmware; the length is not checked here),
     *     or {@link Optional#empty()} if the field is absent
     */
    public Optional<byte[]> fwid() {
        return field(OpaqueFieldType.FWID);
    }

    /**
     * Board id (type 14), unsigned little-endian (real reports use 1 to 4 bytes for such integers).
     *
     * @return the board id as an unsigned value (0 to 2<sup>32</sup>-1), or {@link Optional#empty()} if the field is
     *     absent
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the field is not 1 to 4 bytes long
     */
    public Optional<Long> boardId() {
        return u32(OpaqueFieldType.BOARD_ID);
    }

    /**
     * Opaque-data version (type 34), u32 LE.
     *
     * @return the opaque-data version as an unsigned value, or {@link Optional#empty()} if the field is absent (older
     *     drivers)
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the field is not 1 to 4 bytes long
     */
    public Optional<Long> opaqueDataVersion() {
        return u32(OpaqueFieldType.OPAQUE_DATA_VERSION);
    }

    /**
     * Feature flag (type 36), u32 LE: 0 SPT, 1 MPT, 2 PPCIE.
     *
     * @return the raw feature flag as an unsigned value (not checked against the known modes), or
     *     {@link Optional#empty()} if the field is absent
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the field is not 1 to 4 bytes long
     */
    public Optional<Long> featureFlag() {
        return u32(OpaqueFieldType.FEATURE_FLAG);
    }

    /**
     * The GPU's assignment mode from {@link #featureFlag()}; empty when the report has no FEATURE_FLAG (drivers before
     * opaque-data version 1, which know only single-GPU and multi-GPU passthrough and do not say which).
     *
     * @return the mode the feature flag names, or {@link Optional#empty()} if the report has no FEATURE_FLAG
     * @throws AttestationException {@link Reason#UNSUPPORTED_VERSION} for an unknown flag value
     */
    public Optional<GpuMode> mode() {
        return featureFlag().map(GpuMode::fromFeatureFlag);
    }

    /**
     * NVDEC0 status byte (type 11): {@code 0xAA} enabled, {@code 0x55} disabled.
     *
     * @return the status byte as 0 to 255, or {@link Optional#empty()} if the field is absent or not exactly one byte
     */
    public Optional<Integer> nvdec0Status() {
        return field(OpaqueFieldType.NVDEC0_STATUS).filter(v -> v.length == 1).map(v -> v[0] & 0xFF);
    }

    /**
     * Protected PCIe status byte (type 21).
     *
     * @return the status byte as 0 to 255, or {@link Optional#empty()} if the field is absent or not exactly one byte
     */
    public Optional<Integer> protectedPcieStatus() {
        return field(OpaqueFieldType.PROTECTED_PCIE_STATUS).filter(v -> v.length == 1).map(v -> v[0] & 0xFF);
    }

    /**
     * GPU info (type 4) as hex.
     *
     * @return the GPU info bytes as lower-case hex, or {@link Optional#empty()} if the field is absent
     */
    public Optional<String> gpuInfoHex() {
        return field(OpaqueFieldType.GPU_INFO).map(HexFormat.of()::formatHex);
    }

    /**
     * CPR info (type 13) as hex.
     *
     * @return the CPR info bytes as lower-case hex, or {@link Optional#empty()} if the field is absent
     */
    public Optional<String> cprInfoHex() {
        return field(OpaqueFieldType.CPRINFO).map(HexFormat.of()::formatHex);
    }

    /**
     * Measurement counters (type 12), one u32 LE each.
     *
     * @return an unmodifiable list of the counters as unsigned values in field order, or {@link Optional#empty()} if
     *     the field is absent
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the field length is not a multiple of 4
     */
    public Optional<List<Long>> measurementCounters() {
        return field(OpaqueFieldType.MSRSCNT).map(v -> {
            if (v.length % 4 != 0) {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE, "MSRSCNT length " + v.length
                        + " is not a multiple of 4");
            }
            List<Long> out = new ArrayList<>(v.length / 4);
            for (int i = 0; i < v.length; i += 4) {
                out.add(Bytes.u32(v, i));
            }
            return List.copyOf(out);
        });
    }

    /**
     * NVSwitch PDIs (type 22), 8 bytes each, as hex.
     *
     * @return an unmodifiable list of the PDIs, each 16 lower-case hex characters, in field order, or
     *     {@link Optional#empty()} if the field is absent
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the field length is not a multiple of 8
     */
    public Optional<List<String>> switchPdis() {
        return field(OpaqueFieldType.SWITCH_PDI).map(v -> {
            if (v.length % 8 != 0) {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE, "SWITCH_PDI length " + v.length
                        + " is not a multiple of 8");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < v.length; i += 8) {
                out.add(HexFormat.of().formatHex(v, i, i + 8));
            }
            return List.copyOf(out);
        });
    }

    private Optional<Long> u32(OpaqueFieldType type) {
        return field(type).map(v -> {
            if (v.length < 1 || v.length > 4) {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE, type + " has " + v.length
                        + " bytes, expected 1 to 4");
            }
            long x = 0;
            for (int i = v.length - 1; i >= 0; i--) {
                x = x << 8 | (v[i] & 0xFF);
            }
            return x;
        });
    }

    /** ASCII up to the first NUL; non-printable bytes make the field malformed. */
    static String ascii(byte[] v) {
        int n = 0;
        while (n < v.length && v[n] != 0) {
            int c = v[n] & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE, "opaque text field has a non-ASCII byte");
            }
            n++;
        }
        return new String(v, 0, n, StandardCharsets.US_ASCII);
    }

    static String formatVbios(byte[] v) {
        if (v.length != 8) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "VBIOS_VERSION has " + v.length
                    + " bytes, expected 8");
        }
        byte[] rev = new byte[8];
        for (int i = 0; i < 8; i++) {
            rev[i] = v[7 - i];
        }
        String hex = HexFormat.of().withUpperCase().formatHex(rev);
        String s = hex.substring(8, 16) + hex.substring(6, 8);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i += 2) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(s, i, i + 2);
        }
        return sb.toString().toUpperCase(Locale.ROOT);
    }
}
