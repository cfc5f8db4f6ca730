package dev.coco4j.gpu.abi;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.util.Arrays;

/**
 * A parsed NVIDIA GPU attestation report: the exact bytes {@code nvmlDeviceGetConfComputeGpuAttestationReport}
 * returns, i.e. the {@link SpdmMeasurementRequest} (37 bytes) immediately followed by the
 * {@link SpdmMeasurementResponse}.
 *
 * <pre>
 * [0, 37)                      GET_MEASUREMENTS request (nonce at [4, 36))
 * [37, 37+42+L1+L2)            MEASUREMENTS response up to its signature   } signed region
 * [signedLength, +96)          signature (raw r||s, P-384)
 * [signedLength+96, length)    trailing padding: tolerated only if all zero (one real capture has one 0x00)
 * </pre>
 *
 * <p>The signature covers {@link #signedBytes()} = {@code report[0, signedLength)}: the request and the response minus
 * its 96-byte signature. Reports larger than NVML's buffer ({@value #MAX_LENGTH} bytes) are refused. Immutable; keeps
 * the exact input bytes.
 *
 * @param raw the exact report bytes
 * @param request the request
 * @param response the response
 * @param signedLength the length of the signed prefix
 * @param trailingBytes how many zero bytes followed the signature
 */
public record GpuAttestationReport(byte[] raw, SpdmMeasurementRequest request, SpdmMeasurementResponse response,
                                   int signedLength, int trailingBytes) {
    /** The NVML attestation-report buffer size, an upper bound for a report. */
    public static final int MAX_LENGTH = 0x2000;

    /** Copies the bytes. */
    public GpuAttestationReport {
        raw = raw.clone();
    }

    /**
     * Parses report bytes.
     *
     * @param report the exact bytes NVML returned (request, response, then only zero padding), at most
     *     {@value #MAX_LENGTH} bytes; {@code null} is refused; not modified, the result keeps its own copy
     * @return the parsed report; never {@code null}
     * @throws AttestationException MALFORMED_EVIDENCE or UNSUPPORTED_VERSION; never any other exception
     */
    public static GpuAttestationReport parse(byte[] report) {
        if (report == null) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "no GPU attestation report");
        }
        if (report.length > MAX_LENGTH) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "GPU attestation report of " + report.length
                    + " bytes exceeds the " + MAX_LENGTH + "-byte NVML buffer");
        }
        try {
            SpdmMeasurementRequest req = SpdmMeasurementRequest.parse(report);
            int[] end = new int[1];
            SpdmMeasurementResponse resp = SpdmMeasurementResponse.parse(report, SpdmMeasurementRequest.LENGTH, end);
            int signedLength = end[0] - SpdmMeasurementResponse.SIGNATURE_LENGTH;
            for (int i = end[0]; i < report.length; i++) {
                if (report[i] != 0) {
                    throw new AttestationException(Reason.MALFORMED_EVIDENCE, (report.length - end[0])
                            + " bytes follow the signature and they are not zero padding");
                }
            }
            return new GpuAttestationReport(report, req, resp, signedLength, report.length - end[0]);
        } catch (AttestationException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "GPU attestation report does not parse", e);
        }
    }

    /** {@return a copy of the exact report bytes} */
    @Override
    public byte[] raw() {
        return raw.clone();
    }

    /**
     * The signed region: request and response without the signature.
     *
     * @return a fresh copy of {@code raw[0, signedLength)}, the bytes the GPU's signature covers
     */
    public byte[] signedBytes() {
        return Arrays.copyOf(raw, signedLength);
    }

    /**
     * The 96-byte raw r||s signature.
     *
     * @return a fresh copy of the 96-byte signature: 48-byte big-endian {@code r} followed by 48-byte {@code s}
     */
    public byte[] signature() {
        return response.signature();
    }

    /**
     * The caller's nonce from the signed request.
     *
     * @return a fresh copy of the 32-byte nonce the caller put into the GET_MEASUREMENTS request
     */
    public byte[] nonce() {
        return request.nonce();
    }

    /**
     * The opaque data.
     *
     * @return the parsed opaque data of the response; never {@code null}
     */
    public OpaqueData opaqueData() {
        return response.opaqueData();
    }

    @Override
    public String toString() {
        return "GpuAttestationReport[" + raw.length + " bytes, " + response.numberOfBlocks() + " blocks, driver "
                + opaqueData().driverVersion().orElse("?") + ", vbios " + opaqueData().vbiosVersion().orElse("?")
                + "]";
    }
}
