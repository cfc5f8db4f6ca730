package dev.coco4j.gpu.abi;

/** The type ids of NVIDIA's legacy opaque-data TLVs (the ids NVIDIA's verifiers use). */
public enum OpaqueFieldType {
    /** Certificate issuer name. */
    CERT_ISSUER_NAME(1),
    /** Certificate authority key identifier. */
    CERT_AUTHORITY_KEY_IDENTIFIER(2),
    /** Driver version, ASCII, NUL-terminated. */
    DRIVER_VERSION(3),
    /** GPU info, 8 bytes. */
    GPU_INFO(4),
    /** SKU. */
    SKU(5),
    /** VBIOS version, 8 bytes little-endian. */
    VBIOS_VERSION(6),
    /** Manufacturer id. */
    MANUFACTURER_ID(7),
    /** Tamper detection. */
    TAMPER_DETECTION(8),
    /** SMC. */
    SMC(9),
    /** VPR. */
    VPR(10),
    /** NVDEC0 status: 0xAA enabled, 0x55 disabled. */
    NVDEC0_STATUS(11),
    /** Measurement counters, u32 LE each. */
    MSRSCNT(12),
    /** CPR info. */
    CPRINFO(13),
    /** Board id, u32 LE. */
    BOARD_ID(14),
    /** Chip SKU, ASCII NUL-padded. */
    CHIP_SKU(15),
    /** Chip SKU modifier, ASCII. */
    CHIP_SKU_MOD(16),
    /** Project, ASCII. */
    PROJECT(17),
    /** Project SKU, ASCII. */
    PROJECT_SKU(18),
    /** Project SKU modifier. */
    PROJECT_SKU_MOD(19),
    /** Firmware id: 48-byte digest equal to the FWID in the leaf certificate. */
    FWID(20),
    /** Protected PCIe status, 1 byte. */
    PROTECTED_PCIE_STATUS(21),
    /** NVSwitch PDIs, 8 bytes each. */
    SWITCH_PDI(22),
    /** Floorswept ports. */
    FLOORSWEPT_PORTS(23),
    /** Position id. */
    POSITION_ID(24),
    /** Lock switch status. */
    LOCK_SWITCH_STATUS(25),
    /** GPU link connections. */
    GPU_LINK_CONN(32),
    /** System enable status. */
    SYS_ENABLE_STATUS(33),
    /** Opaque-data version, u32 LE. */
    OPAQUE_DATA_VERSION(34),
    /** Chip name, ASCII (Blackwell). */
    CHIP_INFO(35),
    /** Feature flag, u32 LE: 0 SPT, 1 MPT, 2 PPCIE. */
    FEATURE_FLAG(36),
    /** Invalid marker. */
    INVALID(255);

    private final int id;

    OpaqueFieldType(int id) {
        this.id = id;
    }

    /**
     * The numeric type id.
     *
     * @return the numeric TLV type id (1 to 25, 32 to 36, or 255 for {@link #INVALID})
     */
    public int id() {
        return id;
    }

    /**
     * The type with this id, or null when the id is not known.
     *
     * @param id the numeric TLV type id from the opaque data
     * @return the type with that id, or {@code null} when the SDK does not name it (callers keep such fields as raw
     *     bytes)
     */
    public static OpaqueFieldType fromId(int id) {
        for (OpaqueFieldType t : values()) {
            if (t.id == id) {
                return t;
            }
        }
        return null;
    }
}
