package dev.coco4j.tdx.abi;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * An Intel TDX DCAP quote, version 4 or 5, parsed by its length fields. Keeps the exact received bytes and exposes
 * the exact signed region. Bytes after the signature data (padding or a fixed-size buffer) are tolerated and counted
 * in {@link #trailingBytes()}. Immutable and thread-safe; parse with {@link #parse(byte[])}.
 *
 * <p>Header (48 bytes, little-endian):
 * <pre>
 * off len field
 *   0   2 version (4 or 5)
 *   2   2 attestation key type (2 = ECDSA-256 with P-256; the only one supported)
 *   4   4 TEE type (0x00000081 = TDX)
 *   8   4 reserved
 *  12  16 QE vendor id (Intel: 939a7233f79c4ca9940a0db3957f0607)
 *  28  20 user data
 * </pre>
 * v4: header ‖ TD report body 1.0 (584) ‖ u32 signature data length at 632 ‖ signature data; the signed region is
 * {@code [0, 632)}. v5: header ‖ u16 body type at 48 (2 = TD report 1.0, 3 = TD report 1.5) ‖ u32 body size at 50 ‖
 * body at 54 ‖ u32 signature data length ‖ signature data; the signed region is {@code [0, 54 + body size)}. The
 * signature data layout is in {@link QuoteSignatureData}.
 */
public final class TdxQuote {
    /** Header size. */
    public static final int HEADER_SIZE = 48;
    /** TEE type of TDX. */
    public static final long TEE_TYPE_TDX = 0x81;
    /** The attestation key type ECDSA-256-with-P-256. */
    public static final int ATT_KEY_TYPE_ECDSA_P256 = 2;
    /** Intel's QE vendor id. */
    public static final byte[] INTEL_QE_VENDOR_ID = HexFormat.of().parseHex("939a7233f79c4ca9940a0db3957f0607");
    /** The largest signature data accepted (the PEM chain is a few KiB). */
    public static final int MAX_SIGNATURE_DATA = 64 * 1024;
    /** The largest QE authentication data accepted. */
    public static final int MAX_QE_AUTH_DATA = 4096;

    private final byte[] bytes;
    private final int version;
    private final int bodyType;
    private final TdReportBody body;
    private final int signedLength;
    private final int signatureDataLength;
    private final QuoteSignatureData signatureData;

    private TdxQuote(byte[] bytes, int version, int bodyType, TdReportBody body, int signedLength,
                     int signatureDataLength, QuoteSignatureData signatureData) {
        this.bytes = bytes;
        this.version = version;
        this.bodyType = bodyType;
        this.body = body;
        this.signedLength = signedLength;
        this.signatureDataLength = signatureDataLength;
        this.signatureData = signatureData;
    }

    /**
     * Parses a quote.
     *
     * @param quote the quote bytes as the quoting enclave produced them, trailing padding allowed; not null; copied, so
     *     later changes to the array do not affect the result
     * @return the parsed quote, holding its own copy of {@code quote}
     * @throws AttestationException {@code UNSUPPORTED_VERSION} for a version, key type, TEE type or body type this
     *     SDK does not implement; {@code MALFORMED_EVIDENCE} for any length or field that does not fit
     */
    public static TdxQuote parse(byte[] quote) {
        if (quote == null) {
            throw Bytes.malformed("no quote");
        }
        byte[] b = quote.clone();
        Bytes.need(b, 0, HEADER_SIZE, "the quote header");
        int version = Bytes.u16(b, 0, "version");
        if (version != 4 && version != 5) {
            throw new AttestationException(Reason.UNSUPPORTED_VERSION, "quote version " + version
                    + " is not supported (TDX quotes are version 4 or 5)");
        }
        int keyType = Bytes.u16(b, 2, "attestation key type");
        if (keyType != ATT_KEY_TYPE_ECDSA_P256) {
            throw new AttestationException(Reason.UNSUPPORTED_VERSION, "attestation key type " + keyType
                    + " is not supported (only 2, ECDSA-256 with P-256)");
        }
        long teeType = Bytes.u32(b, 4, "TEE type");
        if (teeType != TEE_TYPE_TDX) {
            throw new AttestationException(Reason.UNSUPPORTED_VERSION, String.format(
                    "TEE type 0x%x is not TDX (0x81)", teeType));
        }
        int bodyOffset;
        int bodySize;
        int bodyType;
        if (version == 4) {
            bodyOffset = HEADER_SIZE;
            bodySize = TdReportBody.SIZE_1_0;
            bodyType = 2;
        } else {
            bodyType = Bytes.u16(b, 48, "body type");
            long size = Bytes.u32(b, 50, "body size");
            int expected = switch (bodyType) {
                case 2 -> TdReportBody.SIZE_1_0;
                case 3 -> TdReportBody.SIZE_1_5;
                default -> throw new AttestationException(Reason.UNSUPPORTED_VERSION, "v5 body type " + bodyType
                        + " is not supported (2 = TD report 1.0, 3 = TD report 1.5)");
            };
            if (size != expected) {
                throw Bytes.malformed("v5 body type " + bodyType + " must be " + expected + " bytes, the quote says "
                        + size);
            }
            bodyOffset = 54;
            bodySize = expected;
        }
        TdReportBody body = new TdReportBody(Bytes.slice(b, bodyOffset, bodySize, "the TD report body"));
        int signed = bodyOffset + bodySize;
        long sigLen = Bytes.u32(b, signed, "signature data length");
        int sigStart = signed + 4;
        if (sigLen > MAX_SIGNATURE_DATA || sigLen > b.length - sigStart) {
            throw Bytes.malformed("signature data length " + sigLen + " exceeds the " + (b.length - sigStart)
                    + " bytes that follow (or the " + MAX_SIGNATURE_DATA + "-byte limit)");
        }
        QuoteSignatureData sd = parseSignatureData(b, sigStart, (int) sigLen);
        return new TdxQuote(b, version, bodyType, body, signed, (int) sigLen, sd);
    }

    private static QuoteSignatureData parseSignatureData(byte[] b, int start, int len) {
        int end = start + len;
        byte[] sig = Bytes.slice(b, start, 64, "the quote signature");
        byte[] key = Bytes.slice(b, start + 64, 64, "the attestation key");
        int p = start + 128;
        int certType = Bytes.u16(b, p, "certification data type");
        if (certType != 6) {
            throw new AttestationException(Reason.UNSUPPORTED_VERSION, "outer certification data type " + certType
                    + " is not supported (6 = QE report certification data)");
        }
        long outerSize = Bytes.u32(b, p + 2, "certification data size");
        int outerStart = p + 6;
        if (outerSize != end - outerStart) {
            throw Bytes.malformed("certification data size " + outerSize + " does not match the "
                    + (end - outerStart) + " bytes left in the signature data");
        }
        if (outerStart + SgxReportBody.SIZE + 64 + 2 > end) {
            throw Bytes.malformed("the QE report certification data is truncated");
        }
        SgxReportBody qe = new SgxReportBody(Bytes.slice(b, outerStart, SgxReportBody.SIZE, "the QE report"));
        byte[] qeSig = Bytes.slice(b, outerStart + 384, 64, "the QE report signature");
        int authSize = Bytes.u16(b, outerStart + 448, "QE auth data size");
        int authStart = outerStart + 450;
        if (authSize > MAX_QE_AUTH_DATA || authStart + authSize + 6 > end) {
            throw Bytes.malformed("QE auth data size " + authSize + " does not fit the certification data");
        }
        byte[] auth = Bytes.slice(b, authStart, authSize, "the QE auth data");
        int q = authStart + authSize;
        int inner = Bytes.u16(b, q, "inner certification data type");
        if (inner != 5) {
            throw new AttestationException(Reason.UNSUPPORTED_VERSION, "inner certification data type " + inner
                    + " is not supported (5 = PCK certificate chain)");
        }
        long chainSize = Bytes.u32(b, q + 2, "PCK chain size");
        if (chainSize != end - (q + 6)) {
            throw Bytes.malformed("PCK chain size " + chainSize + " does not match the " + (end - (q + 6))
                    + " bytes left in the certification data");
        }
        byte[] chain = Bytes.slice(b, q + 6, (int) chainSize, "the PCK chain");
        return new QuoteSignatureData(sig, key, qe, qeSig, auth, chain);
    }

    /**
     * A copy of the exact bytes received, including any trailing bytes.
     *
     * @return a new copy of all the quote bytes, trailing bytes included
     */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * A copy of the signed region: header and body (for v5 including the body type and size fields).
     *
     * @return a new copy of the first {@link #signedLength()} bytes, the region the attestation key signs
     */
    public byte[] signedRegion() {
        return Arrays.copyOf(bytes, signedLength);
    }

    /**
     * Length of the signed region: 632 for v4, 54 + body size for v5.
     *
     * @return the signed region's length in bytes: 632 for v4, 638 or 702 for v5
     */
    public int signedLength() {
        return signedLength;
    }

    /**
     * Quote version: 4 or 5.
     *
     * @return the quote version, 4 or 5
     */
    public int version() {
        return version;
    }

    /**
     * Body type: 2 (TD report 1.0) or 3 (TD report 1.5). v4 quotes are always 2.
     *
     * @return the body type, 2 (TD report 1.0, 584 bytes) or 3 (TD report 1.5, 648 bytes)
     */
    public int bodyType() {
        return bodyType;
    }

    /**
     * Attestation key type (always 2).
     *
     * @return the attestation key type from the header; always {@link #ATT_KEY_TYPE_ECDSA_P256} as parsing rejects
     *     others
     */
    public int attestationKeyType() {
        return Bytes.u16(bytes, 2, "attestation key type");
    }

    /**
     * TEE type (always 0x81).
     *
     * @return the TEE type from the header; always {@link #TEE_TYPE_TDX} as parsing rejects others
     */
    public long teeType() {
        return Bytes.u32(bytes, 4, "TEE type");
    }

    /**
     * QE vendor id (16).
     *
     * @return a new 16-byte copy of the QE vendor id; not checked by parsing, compare it to {@link #INTEL_QE_VENDOR_ID}
     */
    public byte[] qeVendorId() {
        return Arrays.copyOfRange(bytes, 12, 28);
    }

    /**
     * Header user data (20); for Intel's QE the first 16 bytes are the QE id.
     *
     * @return a new 20-byte copy of the header user data
     */
    public byte[] userData() {
        return Arrays.copyOfRange(bytes, 28, 48);
    }

    /**
     * The TD report body.
     *
     * @return the TD report body (immutable, shared)
     */
    public TdReportBody body() {
        return body;
    }

    /**
     * The signature data.
     *
     * @return the parsed signature data: quote signature, attestation key, QE report and PCK chain (immutable, shared)
     */
    public QuoteSignatureData signatureData() {
        return signatureData;
    }

    /**
     * Signature data length as declared.
     *
     * @return the signature data length the quote declares, at most {@link #MAX_SIGNATURE_DATA}
     */
    public int signatureDataLength() {
        return signatureDataLength;
    }

    /**
     * Bytes after the signature data (padding); tolerated, not interpreted.
     *
     * @return how many bytes follow the signature data; 0 for an unpadded quote, never negative
     */
    public int trailingBytes() {
        return bytes.length - (signedLength + 4 + signatureDataLength);
    }

    /**
     * Verifies a signature over the signed region with a verifier, without copying it.
     *
     * @param verifier takes (bytes, offset, length)
     * @return what {@code verifier} returns for the signed region
     */
    public boolean verifySignedRegion(RegionVerifier verifier) {
        return verifier.verify(bytes, 0, signedLength);
    }

    /** Verifies a signature over a region of the quote bytes. */
    @FunctionalInterface
    public interface RegionVerifier {
        /**
         * True if the signature over {@code bytes[offset, offset+length)} verifies.
         *
         * @param bytes the quote bytes; the callee must not modify them
         * @param offset where the signed region starts (0)
         * @param length the signed region's length in bytes
         * @return {@code true} only if the signature verifies over exactly that region
         */
        boolean verify(byte[] bytes, int offset, int length);
    }

    @Override
    public String toString() {
        return "TdxQuote[v" + version + ", body type " + bodyType + ", " + bytes.length + " bytes]";
    }
}
