package dev.coco4j.azure.hcl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coco4j.azure.internal.StrictJson;
import java.security.PublicKey;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The runtime claims JSON of an HCL report (its variable data):
 * <pre>{"keys":[{"kid":"HCLAkPub","key_ops":["sign"],"kty":"RSA","e":"AQAB","n":"..."},
 *          {"kid":"HCLEkPub","key_ops":["encrypt"],...}],
 *  "vm-configuration":{"console-enabled":true,"secure-boot":true,"tpm-enabled":true,"vmUniqueId":"..."},
 *  "user-data":"128 hex digits"}</pre>
 * {@code HCLAkPub} is the vTPM attestation key that signs TPM quotes; {@code user-data} is what the guest last wrote
 * to the vTPM user-data NV index before the report was refreshed.
 *
 * @param attestationKey the public key of the {@code HCLAkPub} JWK
 * @param userData       the {@code user-data} member (hex text as given), or empty
 * @param vmConfiguration the {@code vm-configuration} object as plain Java values
 * @param all            the whole claims object as plain Java values (for policy)
 */
public record RuntimeClaims(PublicKey attestationKey, Optional<String> userData, Map<String, Object> vmConfiguration,
                            Map<String, Object> all) {
    /** The JWK key id of the vTPM attestation key. */
    public static final String AK_KID = "HCLAkPub";

    private static final ObjectMapper MAPPER = StrictJson.MAPPER;

    /** Copies the maps. */
    public RuntimeClaims {
        vmConfiguration = Collections.unmodifiableMap(new LinkedHashMap<>(vmConfiguration));
        all = Collections.unmodifiableMap(new LinkedHashMap<>(all));
    }

    /**
     * Parses the claims JSON.
     *
     * @param json the runtime claims as UTF-8 JSON bytes, e.g. {@link HclReport#variableData()}; not kept
     * @return the claims with the {@code HCLAkPub} key decoded; {@code userData} is empty when the member is absent
     * @throws dev.coco4j.core.AttestationException {@code MALFORMED_EVIDENCE} if it is not JSON, has duplicate
     *                                              members, or lacks a usable {@code HCLAkPub} key
     */
    @SuppressWarnings("unchecked")
    public static RuntimeClaims parse(byte[] json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw HclReport.malformed("HCL runtime claims are not valid JSON: " + shortMessage(e));
        }
        if (root == null || !root.isObject()) {
            throw HclReport.malformed("HCL runtime claims are not a JSON object");
        }
        JsonNode keys = root.get("keys");
        if (keys == null || !keys.isArray()) {
            throw HclReport.malformed("HCL runtime claims have no \"keys\" array");
        }
        PublicKey ak = null;
        for (JsonNode k : keys) {
            if (k.isObject() && AK_KID.equals(k.path("kid").asText(null))) {
                if (ak != null) {
                    throw HclReport.malformed("HCL runtime claims list " + AK_KID + " twice");
                }
                ak = Jwks.publicKey(k);
            }
        }
        if (ak == null) {
            throw HclReport.malformed("HCL runtime claims have no " + AK_KID + " key");
        }
        JsonNode ud = root.get("user-data");
        if (ud != null && !ud.isTextual()) {
            throw HclReport.malformed("HCL runtime claims \"user-data\" is not a string");
        }
        JsonNode vm = root.get("vm-configuration");
        if (vm != null && !vm.isObject()) {
            throw HclReport.malformed("HCL runtime claims \"vm-configuration\" is not an object");
        }
        Map<String, Object> vmMap = vm == null ? Map.of() : MAPPER.convertValue(vm, Map.class);
        Map<String, Object> all = MAPPER.convertValue(root, Map.class);
        return new RuntimeClaims(ak, Optional.ofNullable(ud).map(JsonNode::asText), vmMap, all);
    }

    private static String shortMessage(java.io.IOException e) {
        if (e instanceof JsonProcessingException j) {
            return j.getOriginalMessage();
        }
        return e.getClass().getSimpleName();
    }
}
