package dev.coco4j.gpu.nras;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.TcbStatus;
import dev.coco4j.core.TeeType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A verified and accepted NRAS appraisal: every token's signature, validity, issuer and nonce were checked, every
 * device token is bound to the overall token, NRAS's overall result is true and every GPU's nonce matched and
 * measurements matched. {@link NrasTokenVerifier} returns one only on that path.
 *
 * @param claimsVersion {@code x-nvidia-ver} of the overall token
 * @param nonceHex the verified {@code eat_nonce}, lower-case hex
 * @param issuedAt the overall token's {@code iat}
 * @param expiresAt the overall token's {@code exp}
 * @param tokenId the overall token's {@code jti}, or empty
 * @param gpus one entry per GPU, in the answer's order
 * @param overallClaims every claim of the overall token
 * @param warnings what the caller should know (NVIDIA's attestation warnings, tolerated PPCIe mode, ...)
 * @param verifiedAt the instant the tokens were checked at
 */
public record NrasResult(String claimsVersion, String nonceHex, Instant issuedAt, Instant expiresAt, String tokenId,
                         List<NrasGpuClaims> gpus, Map<String, Object> overallClaims, List<String> warnings,
                         Instant verifiedAt) {
    /** Checks non-null and copies the lists. */
    public NrasResult {
        Objects.requireNonNull(claimsVersion, "claimsVersion");
        Objects.requireNonNull(nonceHex, "nonceHex");
        Objects.requireNonNull(tokenId, "tokenId");
        Objects.requireNonNull(overallClaims, "overallClaims");
        Objects.requireNonNull(verifiedAt, "verifiedAt");
        gpus = List.copyOf(gpus);
        warnings = List.copyOf(warnings);
    }

    /**
     * The result as the SDK's common {@link AttestationResult}: claims {@code nras_claims_version}, {@code eat_nonce},
     * {@code gpu_count} and, per GPU {@code i}, {@code gpu<i>_driver_version}, {@code gpu<i>_vbios_version},
     * {@code gpu<i>_measres}, {@code gpu<i>_ueid}, {@code gpu<i>_hwmodel} where present.
     *
     * @return a new result with TEE {@link TeeType#NVIDIA_GPU}, TCB status {@link TcbStatus#NOT_APPLICABLE}, a copy of
     *     the warnings and {@link #verifiedAt()} as its instant
     */
    public AttestationResult toAttestationResult() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("nras_claims_version", claimsVersion);
        c.put("eat_nonce", nonceHex);
        c.put("x_nvidia_overall_att_result", true);
        c.put("nras_token_id", tokenId);
        c.put("gpu_count", gpus.size());
        for (int i = 0; i < gpus.size(); i++) {
            NrasGpuClaims g = gpus.get(i);
            String p = "gpu" + i + "_";
            c.put(p + "submod", g.submod());
            g.driverVersion().ifPresent(v -> c.put(p + "driver_version", v));
            g.vbiosVersion().ifPresent(v -> c.put(p + "vbios_version", v));
            g.measurementResult().ifPresent(v -> c.put(p + "measres", v));
            g.ueid().ifPresent(v -> c.put(p + "ueid", v));
            g.hwModel().ifPresent(v -> c.put(p + "hwmodel", v));
            g.mode().ifPresent(v -> c.put(p + "mode", v.name()));
        }
        return new AttestationResult(TeeType.NVIDIA_GPU, c, TcbStatus.NOT_APPLICABLE, new ArrayList<>(warnings),
                verifiedAt);
    }
}
