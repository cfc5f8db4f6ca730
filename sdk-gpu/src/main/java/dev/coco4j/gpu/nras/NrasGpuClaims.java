package dev.coco4j.gpu.nras;

import dev.coco4j.gpu.abi.GpuMode;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The verified claims of one GPU's token in an NRAS answer. The accessors read NVIDIA's claim names (claims versions
 * 2.0 and 3.0 use the same names for these); {@link #claims()} holds every claim as the token carried it (JSON
 * objects as unmodifiable maps, arrays as lists, JSON null as null).
 *
 * @param submod the submod name ({@code GPU-0}, ...)
 * @param claims every claim of the device token
 */
public record NrasGpuClaims(String submod, Map<String, Object> claims) {
    /** Checks non-null; the map is expected unmodifiable (as {@link NrasTokenVerifier} builds it). */
    public NrasGpuClaims {
        Objects.requireNonNull(submod, "submod");
        Objects.requireNonNull(claims, "claims");
    }

    /**
     * {@code measres}: {@code "success"} when NRAS found every measurement equal to the RIMs' golden values.
     *
     * @return the {@code measres} string as sent, or {@link Optional#empty()} if the claim is absent or not a string
     */
    public Optional<String> measurementResult() {
        return string("measres");
    }

    /**
     * True only if {@code measres} is {@code "success"}.
     *
     * @return {@code true} if {@code measres} is exactly {@code "success"}; {@code false} if it is anything else or
     *     absent
     */
    public boolean measurementsMatch() {
        return measurementResult().filter("success"::equals).isPresent();
    }

    /**
     * {@code x-nvidia-gpu-attestation-report-nonce-match}: NRAS found the request's nonce in the signed report.
     *
     * @return {@code true} only if the claim is the JSON boolean {@code true}; {@code false} if it is false, absent or
     *     of another type
     */
    public boolean nonceMatch() {
        return Boolean.TRUE.equals(claims.get("x-nvidia-gpu-attestation-report-nonce-match"));
    }

    /**
     * {@code x-nvidia-gpu-driver-version}.
     *
     * @return the driver version as sent, e.g. {@code 550.90.07}, or {@link Optional#empty()} if the claim is absent or
     *     not a string
     */
    public Optional<String> driverVersion() {
        return string("x-nvidia-gpu-driver-version");
    }

    /**
     * {@code x-nvidia-gpu-vbios-version}.
     *
     * @return the VBIOS version as sent, or {@link Optional#empty()} if the claim is absent or not a string
     */
    public Optional<String> vbiosVersion() {
        return string("x-nvidia-gpu-vbios-version");
    }

    /**
     * {@code hwmodel} (e.g. {@code GH100 A01 GSP BROM}).
     *
     * @return the hardware model as sent, or {@link Optional#empty()} if the claim is absent or not a string
     */
    public Optional<String> hwModel() {
        return string("hwmodel");
    }

    /**
     * {@code ueid}: the device's unique id (decimal serial of its identity certificate).
     *
     * @return the UEID as sent, or {@link Optional#empty()} if the claim is absent or not a string
     */
    public Optional<String> ueid() {
        return string("ueid");
    }

    /**
     * {@code secboot}.
     *
     * @return the secure-boot flag, or {@link Optional#empty()} if the claim is absent or not a JSON boolean
     */
    public Optional<Boolean> secureBoot() {
        return claims.get("secboot") instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }

    /**
     * {@code dbgstat} ({@code "disabled"} for a production GPU).
     *
     * @return the debug status as sent, or {@link Optional#empty()} if the claim is absent or not a string
     */
    public Optional<String> debugStatus() {
        return string("dbgstat");
    }

    /**
     * {@code x-nvidia-gpu-mode} (NVAT extra), when present.
     *
     * @return the mode the claim names, or {@link Optional#empty()} if the claim is absent or not a string
     * @throws dev.coco4j.core.AttestationException {@link dev.coco4j.core.Reason#MALFORMED_EVIDENCE} if the claim names
     *     no known mode
     */
    public Optional<GpuMode> mode() {
        return string("x-nvidia-gpu-mode").map(GpuMode::fromName);
    }

    /**
     * {@code x-nvidia-attestation-warning}, when present and not null.
     *
     * @return NVIDIA's warning text as sent, or {@link Optional#empty()} if the claim is absent, null or not a string
     */
    public Optional<String> warning() {
        return string("x-nvidia-attestation-warning");
    }

    private Optional<String> string(String name) {
        return claims.get(name) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    @Override
    public String toString() {
        return "NrasGpuClaims[" + submod + ", measres=" + measurementResult().orElse("-") + ", nonceMatch="
                + nonceMatch() + ", driver=" + driverVersion().orElse("-") + ", vbios=" + vbiosVersion().orElse("-")
                + "]";
    }
}
