package dev.coco4j.azure.tpm;

import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A TPM quote whose signature, nonce (when one was required) and PCR digest verified.
 *
 * @param attest the signed {@code TPMS_ATTEST}
 * @param pcrs   the quoted PCR values by bank ({@code TPM_ALG_ID}) and index
 */
public record VerifiedTpmQuote(TpmsAttest attest, Map<Integer, Map<Integer, byte[]>> pcrs) {
    /** Copies the maps. */
    public VerifiedTpmQuote {
        Map<Integer, Map<Integer, byte[]>> copy = new LinkedHashMap<>();
        pcrs.forEach((bank, m) -> {
            Map<Integer, byte[]> inner = new LinkedHashMap<>();
            m.forEach((i, v) -> inner.put(i, v.clone()));
            copy.put(bank, Collections.unmodifiableMap(inner));
        });
        pcrs = Collections.unmodifiableMap(copy);
    }

    /**
     * The SHA-256 bank's quoted PCR values by index (empty if that bank was not quoted); copies.
     *
     * @return a new mutable map from PCR index to a copy of its value, in quote order; empty if the SHA-256 bank was
     *         not quoted
     */
    public Map<Integer, byte[]> sha256Pcrs() {
        Map<Integer, byte[]> out = new LinkedHashMap<>();
        pcrs.getOrDefault(TpmAlg.SHA256, Map.of()).forEach((i, v) -> out.put(i, v.clone()));
        return out;
    }

    /**
     * The quoted PCRs as {@code "sha256:7" -> hex} claims.
     *
     * @return a new mutable map, in quote order, from {@code bank:index} (bank {@code sha256}, {@code sha384},
     *         {@code sha512} or {@code 0x}-hex) to the lower-case hex value
     */
    public Map<String, String> pcrClaims() {
        Map<String, String> out = new LinkedHashMap<>();
        pcrs.forEach((bank, m) -> m.forEach((i, v) -> out.put(bankName(bank) + ":" + i,
                HexFormat.of().formatHex(v))));
        return out;
    }

    private static String bankName(int bank) {
        return switch (bank) {
            case TpmAlg.SHA256 -> "sha256";
            case TpmAlg.SHA384 -> "sha384";
            case TpmAlg.SHA512 -> "sha512";
            default -> "0x" + Integer.toHexString(bank);
        };
    }
}
