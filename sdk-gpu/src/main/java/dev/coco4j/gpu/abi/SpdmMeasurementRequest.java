package dev.coco4j.gpu.abi;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.gpu.internal.Bytes;
import java.util.HexFormat;

/**
 * The SPDM 1.1 GET_MEASUREMENTS request the driver sent to the GPU, as the first 37 bytes of the attestation report.
 * It carries the caller's nonce, and it is covered by the GPU's signature.
 *
 * <pre>
 * off size field
 *   0    1 SPDMVersion          0x11
 *   1    1 RequestResponseCode  0xE0 (GET_MEASUREMENTS)
 *   2    1 Param1               bit 0 set: signature requested (must be set)
 *   3    1 Param2               0xFF: all measurement blocks
 *   4   32 Nonce                the requester's (caller's) nonce
 *  36    1 SlotIDParam          certificate slot (0)
 * </pre>
 *
 * @param spdmVersion SPDMVersion byte
 * @param requestCode RequestResponseCode byte
 * @param param1 Param1 byte
 * @param param2 Param2 byte
 * @param nonce the 32-byte requester nonce
 * @param slotId SlotIDParam byte
 */
public record SpdmMeasurementRequest(int spdmVersion, int requestCode, int param1, int param2, byte[] nonce,
                                     int slotId) {
    /** Length of the request message in bytes. */
    public static final int LENGTH = 37;
    /** The only SPDM version NVIDIA GPUs speak and this parser accepts: 1.1. */
    public static final int SPDM_VERSION_1_1 = 0x11;
    /** GET_MEASUREMENTS request code. */
    public static final int GET_MEASUREMENTS = 0xE0;
    /** Length of the nonce. */
    public static final int NONCE_LENGTH = 32;

    /** Copies the nonce. */
    public SpdmMeasurementRequest {
        nonce = nonce.clone();
        if (nonce.length != NONCE_LENGTH) {
            throw new IllegalArgumentException("nonce must be 32 bytes");
        }
    }

    /** {@return a copy of the 32-byte requester nonce} */
    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /**
     * Parses the first 37 bytes of {@code report}.
     *
     * @param report the attestation report (or any bytes starting with the request); only the first {@value #LENGTH}
     *     bytes are read; must not be {@code null}; not modified
     * @return the parsed request, holding a copy of the nonce
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if fewer than {@value #LENGTH} bytes are given,
     *     the code is not GET_MEASUREMENTS or no signature was requested; {@link Reason#UNSUPPORTED_VERSION} for an
     *     SPDM version other than 1.1
     */
    public static SpdmMeasurementRequest parse(byte[] report) {
        Bytes r = new Bytes(report, 0, report.length, "SPDM GET_MEASUREMENTS request");
        r.need(LENGTH, "request");
        int version = r.u8("SPDMVersion");
        if (version != SPDM_VERSION_1_1) {
            throw new AttestationException(Reason.UNSUPPORTED_VERSION,
                    String.format("SPDM request version 0x%02x, only 0x11 (SPDM 1.1) is supported", version));
        }
        int code = r.u8("RequestResponseCode");
        if (code != GET_MEASUREMENTS) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE,
                    String.format("request code 0x%02x is not GET_MEASUREMENTS (0xe0)", code));
        }
        int p1 = r.u8("Param1");
        if ((p1 & 1) == 0) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE,
                    "the GET_MEASUREMENTS request did not ask for a signature (Param1 bit 0 clear)");
        }
        int p2 = r.u8("Param2");
        byte[] nonce = r.take(NONCE_LENGTH, "Nonce");
        int slot = r.u8("SlotIDParam");
        return new SpdmMeasurementRequest(version, code, p1, p2, nonce, slot);
    }

    @Override
    public String toString() {
        return String.format("SpdmMeasurementRequest[version=0x%02x, code=0x%02x, param1=0x%02x, param2=0x%02x, "
                + "nonce=%s, slot=%d]", spdmVersion, requestCode, param1, param2, HexFormat.of().formatHex(nonce),
                slotId);
    }
}
