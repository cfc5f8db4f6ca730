package dev.coco4j.gpu.nras;

import java.util.Set;

/** The NRAS GPU attestation API versions this client speaks. Both take the same request JSON. */
public enum NrasApiVersion {
    /** {@code POST /v3/attest/gpu}; claims versions 2.0 and 3.0. */
    V3("/v3/attest/gpu", Set.of("2.0", "3.0")),
    /** {@code POST /v4/attest/gpu}; claims versions 2.0, 3.0 and 4.0 (4.0 needed for NVDAOD opaque data). */
    V4("/v4/attest/gpu", Set.of("2.0", "3.0", "4.0"));

    private final String path;
    private final Set<String> claimsVersions;

    NrasApiVersion(String path, Set<String> claimsVersions) {
        this.path = path;
        this.claimsVersions = claimsVersions;
    }

    /**
     * The path below the service's base URL.
     *
     * @return the endpoint path, e.g. {@code /v4/attest/gpu}, starting with {@code /}
     */
    public String path() {
        return path;
    }

    /**
     * The claims versions this API version accepts.
     *
     * @return an unmodifiable set of the accepted claims versions, e.g. {@code "3.0"}
     */
    public Set<String> claimsVersions() {
        return claimsVersions;
    }
}
