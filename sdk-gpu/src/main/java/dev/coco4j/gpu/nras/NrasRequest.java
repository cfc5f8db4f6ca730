package dev.coco4j.gpu.nras;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.gpu.verify.GpuArchitecture;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A request to NRAS's GPU attestation endpoint. Its JSON ({@link #toJson()}), the same for v3 and v4:
 * <pre>{@code
 * { "nonce": "<64 hex>", "arch": "HOPPER" | "BLACKWELL",
 *   "evidence_list": [ { "evidence": "<base64 raw report>", "certificate": "<base64 of the PEM chain text>" }, ... ],
 *   "claims_version": "2.0" | "3.0" | "4.0" }
 * }</pre>
 * One nonce and one architecture for every GPU: NRAS answers with one overall token and one token per GPU, named
 * {@code GPU-0}, {@code GPU-1}, ... in {@code evidence_list} order.
 *
 * @param apiVersion the endpoint version
 * @param nonce the 32-byte nonce every report must carry
 * @param architecture the GPUs' architecture
 * @param evidence one entry per GPU, at least one
 * @param claimsVersion the claims version asked for (it must be one the API version accepts)
 */
public record NrasRequest(NrasApiVersion apiVersion, byte[] nonce, GpuArchitecture architecture,
                          List<NrasEvidence> evidence, String claimsVersion) {
    /** The claims version asked for by default. */
    public static final String DEFAULT_CLAIMS_VERSION = "3.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Checks and copies.
     *
     * @throws ConfigurationException {@link Reason#CONFIGURATION} for a nonce that is not 32 bytes, no evidence, or a
     *     claims version the API version does not accept
     */
    public NrasRequest {
        Objects.requireNonNull(apiVersion, "apiVersion");
        Objects.requireNonNull(architecture, "architecture");
        Objects.requireNonNull(claimsVersion, "claimsVersion");
        if (nonce == null || nonce.length != 32) {
            throw new ConfigurationException(Reason.CONFIGURATION, "the NRAS nonce must be exactly 32 bytes");
        }
        nonce = nonce.clone();
        evidence = List.copyOf(evidence);
        if (evidence.isEmpty()) {
            throw new ConfigurationException(Reason.CONFIGURATION,
                    "an NRAS request needs evidence for one GPU or more");
        }
        if (!apiVersion.claimsVersions().contains(claimsVersion)) {
            throw new ConfigurationException(Reason.CONFIGURATION, "claims version " + claimsVersion + " is not one "
                    + "NRAS " + apiVersion + " accepts " + apiVersion.claimsVersions());
        }
    }

    /**
     * A copy of the nonce.
     *
     * @return a fresh copy of the 32-byte nonce
     */
    @Override
    public byte[] nonce() {
        return nonce.clone();
    }

    /**
     * A builder: API v4, claims version {@value #DEFAULT_CLAIMS_VERSION}, Hopper.
     *
     * @return a new builder with those defaults and no nonce or evidence yet
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The request body as UTF-8 JSON.
     *
     * @return a fresh array with the compact UTF-8 JSON body shown above (nonce as lower-case hex, report and PEM chain
     *     base64-encoded)
     */
    public byte[] toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("nonce", HexFormat.of().formatHex(nonce));
        root.put("arch", architecture.nvidiaName());
        ArrayNode list = root.putArray("evidence_list");
        Base64.Encoder b64 = Base64.getEncoder();
        for (NrasEvidence e : evidence) {
            ObjectNode item = list.addObject();
            item.put("evidence", b64.encodeToString(e.report()));
            item.put("certificate", b64.encodeToString(e.certificateChainPem()));
        }
        root.put("claims_version", claimsVersion);
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NrasRequest r && r.apiVersion == apiVersion && java.util.Arrays.equals(r.nonce, nonce)
                && r.architecture == architecture && r.evidence.equals(evidence)
                && r.claimsVersion.equals(claimsVersion);
    }

    @Override
    public int hashCode() {
        return Objects.hash(apiVersion, java.util.Arrays.hashCode(nonce), architecture, evidence, claimsVersion);
    }

    @Override
    public String toString() {
        return "NrasRequest[" + apiVersion + ", nonce=" + HexFormat.of().formatHex(nonce) + ", " + architecture
                + ", " + evidence.size() + " GPU(s), claims " + claimsVersion + "]";
    }

    /** Builds an {@link NrasRequest}. Not thread-safe. */
    public static final class Builder {
        private NrasApiVersion apiVersion = NrasApiVersion.V4;
        private byte[] nonce;
        private GpuArchitecture architecture = GpuArchitecture.HOPPER;
        private final List<NrasEvidence> evidence = new ArrayList<>();
        private String claimsVersion = DEFAULT_CLAIMS_VERSION;

        private Builder() {
        }

        /**
         * The endpoint version (default v4).
         *
         * @param value the API version; must not be {@code null}
         * @return this builder
         */
        public Builder apiVersion(NrasApiVersion value) {
            this.apiVersion = Objects.requireNonNull(value, "apiVersion");
            return this;
        }

        /**
         * The 32-byte nonce all reports were requested with.
         *
         * @param value the nonce; must not be {@code null}; copied; its length (32 bytes) is checked by
         *     {@link #build()}
         * @return this builder
         */
        public Builder nonce(byte[] value) {
            this.nonce = Objects.requireNonNull(value, "nonce").clone();
            return this;
        }

        /**
         * The GPUs' architecture (default Hopper).
         *
         * @param value the architecture of every GPU in the request; must not be {@code null}
         * @return this builder
         */
        public Builder architecture(GpuArchitecture value) {
            this.architecture = Objects.requireNonNull(value, "architecture");
            return this;
        }

        /**
         * Adds one GPU's report and PEM chain.
         *
         * @param report the raw attestation report, 1 to 8192 bytes (NVML's buffer); must not be {@code null}; copied
         * @param certificateChainPem the device certificate chain as PEM text, leaf first; not empty, not {@code null};
         *     copied
         * @return this builder
         * @throws dev.coco4j.core.AttestationException {@link Reason#MALFORMED_EVIDENCE} if either is empty or the
         *     report is too long
         */
        public Builder addEvidence(byte[] report, byte[] certificateChainPem) {
            evidence.add(new NrasEvidence(report, certificateChainPem));
            return this;
        }

        /**
         * Adds one GPU's evidence as {@link dev.coco4j.gpu.guest.GpuAttester} produces it (data = raw report,
         * auxiliary = PEM chain).
         *
         * @param value NVIDIA GPU evidence; must not be {@code null}; its data and auxiliary bytes are copied
         * @return this builder
         * @throws ConfigurationException {@link Reason#CONFIGURATION} for evidence of another TEE
         */
        public Builder addEvidence(dev.coco4j.core.Evidence value) {
            if (value.tee() != dev.coco4j.core.TeeType.NVIDIA_GPU) {
                throw new ConfigurationException(Reason.CONFIGURATION, "not NVIDIA GPU evidence: " + value.tee());
            }
            evidence.add(new NrasEvidence(value.data(), value.auxiliary()));
            return this;
        }

        /**
         * Adds one GPU's evidence.
         *
         * @param value one GPU's evidence; must not be {@code null}; evidence entries are kept in the order added
         * @return this builder
         */
        public Builder addEvidence(NrasEvidence value) {
            evidence.add(Objects.requireNonNull(value, "evidence"));
            return this;
        }

        /**
         * The claims version (default {@value NrasRequest#DEFAULT_CLAIMS_VERSION}).
         *
         * @param value the claims version, e.g. {@code "3.0"}; must not be {@code null}; checked against the API
         *     version by {@link #build()}
         * @return this builder
         */
        public Builder claimsVersion(String value) {
            this.claimsVersion = Objects.requireNonNull(value, "claimsVersion");
            return this;
        }

        /**
         * The request.
         *
         * @return a new immutable request with copies of the nonce and the evidence list
         * @throws ConfigurationException {@link Reason#CONFIGURATION} for a missing or wrong nonce, no evidence or an
         *     unaccepted claims version
         */
        public NrasRequest build() {
            if (nonce == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "an NRAS request needs a nonce");
            }
            return new NrasRequest(apiVersion, nonce, architecture, evidence, claimsVersion);
        }
    }
}
