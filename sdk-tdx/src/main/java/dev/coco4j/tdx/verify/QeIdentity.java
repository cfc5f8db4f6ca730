package dev.coco4j.tdx.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * Intel's identity of the TD quoting enclave (QE Identity version 2, id "TD_QE"), parsed from the exact bytes of the
 * {@code enclaveIdentity} member whose signature was verified. Immutable.
 *
 * @param id "TD_QE" for TDX
 * @param version 2 for TDX
 * @param issueDate issue date
 * @param nextUpdate next update
 * @param tcbEvaluationDataNumber evaluation data number
 * @param miscSelect expected MISCSELECT
 * @param miscSelectMask mask applied to the report's MISCSELECT
 * @param attributes expected ATTRIBUTES (16)
 * @param attributesMask mask (16)
 * @param mrSigner expected MRSIGNER (32)
 * @param isvProdId expected ISVPRODID
 * @param tcbLevels levels by ISVSVN, descending
 */
public record QeIdentity(String id, int version, Instant issueDate, Instant nextUpdate, int tcbEvaluationDataNumber,
                         long miscSelect, long miscSelectMask, byte[] attributes, byte[] attributesMask,
                         byte[] mrSigner, int isvProdId, List<IsvTcbLevel> tcbLevels) {

    /** Copies arrays and list. */
    public QeIdentity {
        attributes = attributes.clone();
        attributesMask = attributesMask.clone();
        mrSigner = mrSigner.clone();
        tcbLevels = List.copyOf(tcbLevels);
    }

    /** {@return a copy of expected ATTRIBUTES (16)} */
    @Override
    public byte[] attributes() {
        return attributes.clone();
    }

    /** {@return a copy of mask (16)} */
    @Override
    public byte[] attributesMask() {
        return attributesMask.clone();
    }

    /** {@return a copy of expected MRSIGNER (32)} */
    @Override
    public byte[] mrSigner() {
        return mrSigner.clone();
    }

    /**
     * Parses the raw {@code enclaveIdentity} object bytes.
     *
     * @param rawEnclaveIdentity the exact bytes of the {@code enclaveIdentity} JSON object (not the whole PCS
     *     response), not null; its signature is not checked here
     * @return the parsed QE Identity
     * @throws dev.coco4j.core.AttestationException COLLATERAL_INVALID if a field is missing or malformed
     */
    public static QeIdentity parse(byte[] rawEnclaveIdentity) {
        String w = "enclaveIdentity";
        JsonNode n = Json.read(rawEnclaveIdentity, w);
        return new QeIdentity(Json.text(n, "id", w), Json.integer(n, "version", w), Json.instant(n, "issueDate", w),
                Json.instant(n, "nextUpdate", w), Json.integer(n, "tcbEvaluationDataNumber", w),
                u32(Json.hex(n, "miscselect", 4, w)), u32(Json.hex(n, "miscselectMask", 4, w)),
                Json.hex(n, "attributes", 16, w), Json.hex(n, "attributesMask", 16, w),
                Json.hex(n, "mrsigner", 32, w), Json.integer(n, "isvprodid", w), Json.isvLevels(n, w));
    }

    // MISCSELECT is written as big-endian hex of the 32-bit value
    private static long u32(byte[] b) {
        return (b[0] & 0xffL) << 24 | (b[1] & 0xffL) << 16 | (b[2] & 0xffL) << 8 | (b[3] & 0xffL);
    }
}
