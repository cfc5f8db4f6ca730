package dev.coco4j.kbs;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData.HashAlgorithm;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CoCo init-data document (TOML: {@code version}, {@code algorithm = "sha256"|"sha384"|"sha512"}, {@code [data]}),
 * kept as the exact bytes the host measured. Its digest is {@code algorithm(bytes)}; the host binds it into SNP
 * HOST_DATA (32 bytes) or TDX MRCONFIGID (48 bytes), zero-padded or truncated, and the attestation service re-hashes
 * the body the client sends. Never re-serialised. Immutable.
 */
public final class InitData {
    private static final Pattern ALGORITHM =
            Pattern.compile("(?m)^\\s*algorithm\\s*=\\s*[\"']([A-Za-z0-9-]+)[\"']\\s*(#.*)?$");

    private static final Pattern TABLE = Pattern.compile("(?m)^\\s*\\[");

    private final byte[] body;
    private final String text;
    private final HashAlgorithm algorithm;

    private InitData(byte[] body, HashAlgorithm algorithm) {
        this.body = body.clone();
        try {
            this.text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(this.body)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "init-data is not UTF-8 text");
        }
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
    }

    /**
     * Init-data whose hash is named by its own top-level {@code algorithm} key (the line before any table).
     *
     * @param toml the exact init-data bytes, UTF-8 TOML; not null, copied
     * @return the init-data, hashed with the algorithm its {@code algorithm} key names
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if the algorithm is not sha256, sha384 or sha512
     * @throws ConfigurationException if the text is not UTF-8 or has no usable {@code algorithm} line
     */
    public static InitData parse(byte[] toml) {
        String s = new String(toml, StandardCharsets.UTF_8);
        Matcher t = TABLE.matcher(s);
        Matcher m = ALGORITHM.matcher(t.find() ? s.substring(0, t.start()) : s);
        if (!m.find()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "init-data has no top-level algorithm key");
        }
        return new InitData(toml, HashAlgorithm.fromName(m.group(1)));
    }

    /**
     * Init-data with an explicitly given hash.
     *
     * @param toml the exact init-data bytes, UTF-8 TOML; not null, copied and not inspected for an {@code algorithm}
     *     key
     * @param algorithm the hash to apply to {@code toml}; not null
     * @return the init-data
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code toml} is not valid UTF-8
     */
    public static InitData of(byte[] toml, HashAlgorithm algorithm) {
        return new InitData(toml, algorithm);
    }

    /**
     * The document text, exactly as given.
     *
     * @return the document decoded as UTF-8, never null
     */
    public String text() {
        return text;
    }

    /**
     * A copy of the document bytes.
     *
     * @return a new array with the document bytes on every call
     */
    public byte[] bytes() {
        return body.clone();
    }

    /**
     * The hash algorithm.
     *
     * @return the hash algorithm the digest uses, never null
     */
    public HashAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * {@code algorithm(bytes)}.
     *
     * @return a new array holding the digest of the document bytes (32, 48 or 64 bytes by algorithm)
     */
    public byte[] digest() {
        return algorithm.digest(body);
    }

    /**
     * The digest fitted to SNP HOST_DATA (32 bytes).
     *
     * @return a new 32-byte array: the digest truncated (SHA-384/512) or zero-padded to 32 bytes
     */
    public byte[] snpHostData() {
        return Arrays.copyOf(digest(), 32);
    }

    /**
     * The digest fitted to TDX MRCONFIGID (48 bytes).
     *
     * @return a new 48-byte array: the digest zero-padded (SHA-256), as is (SHA-384) or truncated (SHA-512)
     */
    public byte[] tdxMrConfigId() {
        return Arrays.copyOf(digest(), 48);
    }

    @Override
    public String toString() {
        return "InitData[" + body.length + " bytes, " + algorithm + " " + HexFormat.of().formatHex(digest()) + "]";
    }
}
