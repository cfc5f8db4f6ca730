package dev.coco4j.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The 64-byte report-data field that SNP reports and TDX quotes carry for the guest: the place to bind a nonce or
 * the hash of runtime data (a public key, a KBS challenge) to hardware evidence. Immutable.
 *
 * <p>Shorter inputs are zero-padded on the right, as configfs-tsm and the firmware do; a digest is placed at the start
 * and followed by zeros.
 */
public final class ReportData {
    /** Length of the field in bytes. */
    public static final int LENGTH = 64;

    private static final ReportData ZERO = new ReportData(new byte[LENGTH]);

    private final byte[] bytes;

    private ReportData(byte[] exactly64) {
        this.bytes = exactly64;
    }

    /**
     * All zeros.
     *
     * @return the shared all-zero report data (64 zero bytes)
     */
    public static ReportData zero() {
        return ZERO;
    }

    /**
     * Report data from at most 64 bytes, zero-padded on the right.
     *
     * @param value 0 to 64 bytes; copied, and zero-padded to 64
     * @return the report data holding {@code value} followed by zeros
     * @throws ConfigurationException if {@code value} is longer than 64 bytes
     */
    public static ReportData of(byte[] value) {
        if (value.length > LENGTH) {
            throw new ConfigurationException(Reason.CONFIGURATION,
                    "report data is at most 64 bytes, got " + value.length);
        }
        return new ReportData(Arrays.copyOf(value, LENGTH));
    }

    /**
     * Report data from hex text of at most 128 digits, zero-padded on the right.
     *
     * @param hex up to 128 hex digits (64 bytes); whitespace and a {@code 0x} prefix are ignored
     * @return the report data holding the decoded bytes followed by zeros
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the text is not an even number of hex digits
     *     or decodes to more than 64 bytes
     */
    public static ReportData ofHex(String hex) {
        return of(dev.coco4j.core.internal.Hex.decode(hex));
    }

    /** Hash algorithms usable for binding runtime data. */
    public enum HashAlgorithm {
        /** SHA-256 (32 bytes, followed by 32 zero bytes). */
        SHA256("SHA-256"),
        /** SHA-384 (48 bytes, followed by 16 zero bytes); the Trustee KBS default. */
        SHA384("SHA-384"),
        /** SHA-512 (all 64 bytes). */
        SHA512("SHA-512");

        private final String jcaName;

        HashAlgorithm(String jcaName) {
            this.jcaName = jcaName;
        }

        /**
         * The JCA name of the digest.
         *
         * @return the JCA {@link MessageDigest} algorithm name, such as {@code SHA-256}
         */
        public String jcaName() {
            return jcaName;
        }

        /**
         * Digests the data.
         *
         * @param data the bytes to digest; not null, not modified
         * @return a new array with the digest (32, 48 or 64 bytes)
         */
        public byte[] digest(byte[] data) {
            try {
                return MessageDigest.getInstance(jcaName).digest(data);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("JDK lacks " + jcaName, e);
            }
        }

        /**
         * Parses {@code sha256}, {@code SHA-384}, ...
         *
         * @param name the algorithm name, case-insensitive, with or without the hyphen
         * @return the matching algorithm
         * @throws ConfigurationException with {@link Reason#CONFIGURATION} if the name is not SHA-256, SHA-384 or
         *     SHA-512
         */
        public static HashAlgorithm fromName(String name) {
            String n = name.toLowerCase(Locale.ROOT).replace("-", "");
            return switch (n) {
                case "sha256" -> SHA256;
                case "sha384" -> SHA384;
                case "sha512" -> SHA512;
                default -> throw new ConfigurationException(Reason.CONFIGURATION, "unknown hash '" + name + "'");
            };
        }
    }

    /**
     * Binds runtime data: its digest at the start of the field, zeros after it.
     *
     * @param runtimeData the data to bind (e.g. a public key); not null
     * @param hash the digest algorithm; its output (at most 64 bytes) fills the start of the field
     * @return the report data holding the digest of {@code runtimeData}, zero-padded to 64 bytes
     */
    public static ReportData binding(byte[] runtimeData, HashAlgorithm hash) {
        return of(hash.digest(runtimeData));
    }

    /**
     * True if this field holds exactly the binding of {@code runtimeData} under {@code hash}, padding included.
     *
     * @param runtimeData the data the field is expected to bind; not null
     * @param hash the digest algorithm used for the binding
     * @return true if the 64 bytes equal the digest followed by zeros; compared in constant time
     */
    public boolean binds(byte[] runtimeData, HashAlgorithm hash) {
        return MessageDigest.isEqual(bytes, binding(runtimeData, hash).bytes);
    }

    /**
     * A copy of the 64 bytes.
     *
     * @return a new 64-byte array; changing it does not change this report data
     */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /**
     * Lower-case hex of the 64 bytes.
     *
     * @return 128 lower-case hex digits
     */
    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    /**
     * Constant-time comparison with raw bytes (which must be 64 long to match).
     *
     * @param other the bytes to compare; a length other than 64 never matches
     * @return true if {@code other} is exactly these 64 bytes
     */
    public boolean matches(byte[] other) {
        return MessageDigest.isEqual(bytes, other);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ReportData r && MessageDigest.isEqual(r.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "ReportData[" + toHex() + "]";
    }
}
