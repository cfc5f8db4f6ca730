package dev.coco4j.kbs.evidence;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An additional (device) attester, such as a GPU: it binds the device digest
 * ({@link dev.coco4j.kbs.protocol.RuntimeDataBinding#deviceDigest()}) into its own evidence and returns the JSON
 * Trustee's verifier for that device parses. Its evidence becomes one entry of the {@code additional_evidence} map.
 * Implementations fit the digest to their field themselves (NVIDIA: the first 32 bytes as the SPDM nonce).
 */
public interface DeviceAttester {

    /**
     * The kbs-types TEE name the evidence is filed under ({@code nvidia}, {@code sampledevice}, ...).
     *
     * @return the name, one of {@link dev.coco4j.kbs.protocol.KbsTee#ALL}; the same on every call
     */
    String kbsTeeName();

    /**
     * Evidence binding {@code deviceDigest}.
     *
     * @param deviceDigest the device digest, 32, 48 or 64 bytes by the challenge's hash; not modified
     * @return the evidence JSON Trustee's verifier for this device parses; a new tree the caller may keep
     */
    JsonNode evidence(byte[] deviceDigest);
}
