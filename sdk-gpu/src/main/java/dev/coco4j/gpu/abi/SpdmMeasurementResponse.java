package dev.coco4j.gpu.abi;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.gpu.internal.Bytes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The SPDM 1.1 MEASUREMENTS response the GPU's SPDM responder (GSP firmware) returned, as NVIDIA uses it.
 * Multi-byte integers are little-endian.
 *
 * <pre>
 * off        size field
 *   0           1 SPDMVersion              0x11
 *   1           1 RequestResponseCode      0x60 (MEASUREMENTS)
 *   2           1 Param1
 *   3           1 Param2                   slot id
 *   4           1 NumberOfBlocks           64 on Hopper and Blackwell
 *   5           3 MeasurementRecordLength  L1, u24 LE
 *   8          L1 MeasurementRecord        NumberOfBlocks x {@link MeasurementBlock}, exactly L1 bytes
 *   8+L1       32 Nonce                    the responder's (GPU's) random nonce, not the caller's
 *   40+L1       2 OpaqueLength             L2, u16 LE
 *   42+L1      L2 OpaqueData               {@link OpaqueData}
 *   42+L1+L2   96 Signature                ECDSA P-384 raw r||s, big-endian, 48 bytes each
 * </pre>
 *
 * @param spdmVersion SPDMVersion byte
 * @param responseCode RequestResponseCode byte
 * @param param1 Param1 byte
 * @param param2 Param2 byte
 * @param measurementRecordLength L1
 * @param blocks the measurement blocks in record order
 * @param responderNonce the GPU's 32-byte nonce
 * @param opaqueData the opaque data (L2 bytes)
 * @param signature the 96-byte raw signature
 */
public record SpdmMeasurementResponse(int spdmVersion, int responseCode, int param1, int param2,
                                      int measurementRecordLength, List<MeasurementBlock> blocks,
                                      byte[] responderNonce, OpaqueData opaqueData, byte[] signature) {
    /** MEASUREMENTS response code. */
    public static final int MEASUREMENTS = 0x60;
    /** Length of the raw r||s signature (P-384). */
    public static final int SIGNATURE_LENGTH = 96;
    /** DMTF measurement specification bit. */
    public static final int DMTF_SPECIFICATION = 0x01;

    /** Copies the arrays and the list. */
    public SpdmMeasurementResponse {
        blocks = List.copyOf(blocks);
        responderNonce = responderNonce.clone();
        signature = signature.clone();
    }

    /** {@return a copy of the GPU's 32-byte nonce} */
    @Override
    public byte[] responderNonce() {
        return responderNonce.clone();
    }

    /** {@return a copy of the 96-byte raw signature} */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * The number of measurement blocks.
     *
     * @return the number of parsed measurement blocks (the response's NumberOfBlocks), 0 or more
     */
    public int numberOfBlocks() {
        return blocks.size();
    }

    /**
     * The block with this SPDM index (1-based), if present.
     *
     * @param index the SPDM block index, 1-based (RIM index {@code i} is block {@code i + 1})
     * @return the block with that index, or {@link Optional#empty()} if the response has none (indices are unique)
     */
    public Optional<MeasurementBlock> block(int index) {
        return blocks.stream().filter(b -> b.index() == index).findFirst();
    }

    /**
     * Parses a response that starts at {@code offset} in {@code data}; returns it and, via {@code end[0]}, the offset
     * just after the signature.
     */
    static SpdmMeasurementResponse parse(byte[] data, int offset, int[] end) {
        Bytes r = new Bytes(data, offset, data.length, "SPDM MEASUREMENTS response");
        int version = r.u8("SPDMVersion");
        if (version != SpdmMeasurementRequest.SPDM_VERSION_1_1) {
            throw new AttestationException(Reason.UNSUPPORTED_VERSION,
                    String.format("SPDM response version 0x%02x, only 0x11 (SPDM 1.1) is supported", version));
        }
        int code = r.u8("RequestResponseCode");
        if (code != MEASUREMENTS) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE,
                    String.format("response code 0x%02x is not MEASUREMENTS (0x60)", code));
        }
        int p1 = r.u8("Param1");
        int p2 = r.u8("Param2");
        int count = r.u8("NumberOfBlocks");
        int l1 = r.u24("MeasurementRecordLength");
        r.need(l1, "MeasurementRecord");
        Bytes rec = new Bytes(data, r.position(), r.position() + l1, "measurement record");
        List<MeasurementBlock> blocks = new ArrayList<>(count);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int index = rec.u8("Index");
            int spec = rec.u8("MeasurementSpecification");
            if (spec != DMTF_SPECIFICATION) {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE, "measurement block " + index
                        + " uses specification " + spec + ", only DMTF (1) is supported");
            }
            int size = rec.u16("MeasurementSize");
            rec.need(size, "Measurement");
            int type = rec.u8("DMTFSpecMeasurementValueType");
            int valueSize = rec.u16("DMTFSpecMeasurementValueSize");
            if (size != valueSize + 3) {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE, "measurement block " + index
                        + " has MeasurementSize " + size + " but value size " + valueSize);
            }
            byte[] value = rec.take(valueSize, "DMTFSpecMeasurementValue");
            if (!seen.add(index)) {
                throw new AttestationException(Reason.MALFORMED_EVIDENCE, "measurement index " + index
                        + " appears twice");
            }
            blocks.add(new MeasurementBlock(index, spec, type, value));
        }
        if (rec.remaining() != 0) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "measurement record declares " + l1
                    + " bytes but its " + count + " blocks use " + (l1 - rec.remaining()));
        }
        r.take(l1, "MeasurementRecord");
        byte[] nonce = r.take(32, "Nonce");
        int l2 = r.u16("OpaqueLength");
        byte[] opaque = r.take(l2, "OpaqueData");
        byte[] sig = r.take(SIGNATURE_LENGTH, "Signature");
        end[0] = r.position();
        return new SpdmMeasurementResponse(version, code, p1, p2, l1, blocks, nonce, OpaqueData.parse(opaque), sig);
    }

    @Override
    public String toString() {
        return "SpdmMeasurementResponse[version=0x" + Integer.toHexString(spdmVersion) + ", blocks=" + blocks.size()
                + ", nonce=" + HexFormat.of().formatHex(responderNonce) + ", opaque=" + opaqueData.fields().size()
                + " fields]";
    }
}
