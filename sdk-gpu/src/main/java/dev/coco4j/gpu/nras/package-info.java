/**
 * A client for NVIDIA's Remote Attestation Service (NRAS) and verification of the Entity Attestation Tokens (EAT) it
 * returns.
 *
 * <p>Flow: build an {@link dev.coco4j.gpu.nras.NrasRequest} (one nonce, one architecture, one evidence entry per
 * GPU), {@link dev.coco4j.gpu.nras.NrasClient#attest send it}, and receive a {@link dev.coco4j.gpu.nras.NrasResult}
 * only after {@link dev.coco4j.gpu.nras.NrasTokenVerifier} has checked every JWT of the detached EAT: ES384 signature
 * by a key of NRAS's JWKS chosen by {@code kid}, issuer, {@code exp}/{@code nbf} at the injected clock's instant,
 * {@code eat_nonce} equal to the request's nonce, each per-GPU token bound to the overall token by its SHA-256 digest,
 * and NVIDIA's verdicts (overall result, per-GPU nonce match and measurement result).
 *
 * <p><b>Trust.</b> The JWKS is fetched over HTTPS from the configured service and, by default, trusted because the
 * TLS connection authenticated that host; no NVIDIA root for the token-signing keys' {@code x5c} chains is pinned in
 * this SDK. A caller who holds such a root pins it with {@link dev.coco4j.gpu.nras.NrasJwks.Builder#x5cRoot}; then
 * every key must carry an {@code x5c} chain to it whose leaf holds the key itself.
 */
package dev.coco4j.gpu.nras;
