package dev.coco4j.kbs.evidence;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An additional (device) attester, such as a GPU: it binds the device digest
 * ({@link dev.coco4j.kbs.protocol.RuntimeDataBinding#deviceDigest()}) into its own evidence and returns the JSON
 * Trustee's verifier for that device parses. Its evidence becomes one entry of the {@code additional_evidence} map.
 * Implementations fit the digest to their field themselves (NVIDIA: the first 32 bytes as the SPDM nonce).
 */
public interface DeviceAttester {

    /** The kbs-types TEE name the evidence is filed under ({@code nvidia}, {@code sampledevice}, ...). */
    String kbsTeeName();

    /** Evidence binding {@code deviceDigest}. */
    JsonNode evidence(byte[] deviceDigest);
}
