package dev.coco4j.kbs.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.kbs.internal.Json;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One GPU's entry in Trustee's {@code nvidia} device evidence:
 * <pre>{"device_evidence_list":[{"arch":"Hopper","uuid":"GPU-…","evidence":"&lt;std base64 SPDM report&gt;",
 *   "certificate":"&lt;std base64 of the PEM device chain&gt;"}, …]}</pre>
 * {@code arch} is what guest-components' NVIDIA attester writes (NVML's architecture as serde names it: {@code Hopper},
 * {@code Blackwell}) or {@code LS10} for an NVSwitch; Trustee's verifier also accepts {@code HOPPER} and
 * {@code BLACKWELL}. Both base64 members are standard base64 with padding. Trustee files entry {@code i} under the
 * EAR submodule {@code gpu<i>}. Immutable; arrays are copied in and out.
 *
 * @param arch the architecture name (one of {@link #ARCHITECTURES})
 * @param uuid the device UUID as NVML reports it
 * @param report the raw attestation report (SPDM GET_MEASUREMENTS request and response)
 * @param certChainPem the device certificate chain, PEM, leaf first
 */
public record NvidiaGpuEvidence(String arch, String uuid, byte[] report, byte[] certChainPem) {
    /** Hopper, as guest-components writes it. */
    public static final String HOPPER = "Hopper";
    /** Blackwell, as guest-components writes it. */
    public static final String BLACKWELL = "Blackwell";
    /** The architecture names Trustee's NVIDIA verifier accepts (its enum names and their upper-case aliases). */
    public static final Set<String> ARCHITECTURES = Set.of(HOPPER, BLACKWELL, "LS10", "HOPPER", "BLACKWELL");
    /** The most entries {@link #parseList(JsonNode)} accepts (an 8-GPU board plus its NVSwitches, with margin). */
    public static final int MAX_DEVICES = 64;

    /** Validates and copies. */
    public NvidiaGpuEvidence {
        Objects.requireNonNull(arch, "arch");
        Objects.requireNonNull(uuid, "uuid");
        report = Objects.requireNonNull(report, "report").clone();
        certChainPem = Objects.requireNonNull(certChainPem, "certChainPem").clone();
    }

    /** {@return a copy of the {@code report} bytes (the record keeps its own)} */
    @Override
    public byte[] report() {
        return report.clone();
    }

    /** {@return a copy of the {@code certChainPem} bytes (the record keeps its own)} */
    @Override
    public byte[] certChainPem() {
        return certChainPem.clone();
    }

    /**
     * This entry's report and chain as coco4j {@link Evidence} of {@link TeeType#NVIDIA_GPU} (data = the report,
     * auxiliary = the PEM chain), the form {@code dev.coco4j.gpu} verifies.
     *
     * @return evidence with the report as data and the PEM chain as auxiliary data (copies)
     */
    public Evidence toEvidence() {
        return new Evidence(TeeType.NVIDIA_GPU, report, certChainPem);
    }

    /**
     * The entry as JSON, members in Trustee's order.
     *
     * @return a new JSON object with {@code arch}, {@code uuid}, {@code evidence} and {@code certificate} (standard
     *     base64 with padding)
     */
    public ObjectNode toJson() {
        ObjectNode o = Json.object();
        o.put("arch", arch);
        o.put("uuid", uuid);
        o.put("evidence", Base64.getEncoder().encodeToString(report));
        o.put("certificate", Base64.getEncoder().encodeToString(certChainPem));
        return o;
    }

    /**
     * {@code {"device_evidence_list":[…]}} for these entries, in order.
     *
     * @param devices the entries, in filing order; not null, may be empty (not checked against {@link #MAX_DEVICES})
     * @return a new JSON object
     */
    public static ObjectNode listToJson(List<NvidiaGpuEvidence> devices) {
        ObjectNode o = Json.object();
        ArrayNode list = o.putArray("device_evidence_list");
        devices.forEach(d -> list.add(d.toJson()));
        return o;
    }

    /**
     * Parses {@code {"device_evidence_list":[…]}} strictly: a non-empty list of at most {@link #MAX_DEVICES} entries,
     * each with a known {@code arch}, a non-empty {@code uuid} and standard-base64 {@code evidence} and
     * {@code certificate}.
     *
     * @param json the {@code nvidia} device evidence JSON; null is refused as malformed
     * @return an unmodifiable list of the entries, in order
     * @throws AttestationException with {@link Reason#MALFORMED_EVIDENCE} otherwise
     */
    public static List<NvidiaGpuEvidence> parseList(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw malformed("nvidia evidence is not a JSON object");
        }
        JsonNode list = json.get("device_evidence_list");
        if (list == null || !list.isArray() || list.isEmpty() || list.size() > MAX_DEVICES) {
            throw malformed("nvidia evidence needs a device_evidence_list of 1.." + MAX_DEVICES + " entries");
        }
        List<NvidiaGpuEvidence> out = new ArrayList<>(list.size());
        for (JsonNode e : list) {
            if (!e.isObject()) {
                throw malformed("nvidia device evidence entry is not an object");
            }
            String arch = text(e, "arch");
            if (!ARCHITECTURES.contains(arch)) {
                throw malformed("nvidia device evidence has an unknown arch");
            }
            String uuid = text(e, "uuid");
            if (uuid.isEmpty()) {
                throw malformed("nvidia device evidence has an empty uuid");
            }
            out.add(new NvidiaGpuEvidence(arch, uuid, b64(text(e, "evidence"), "evidence"),
                    b64(text(e, "certificate"), "certificate")));
        }
        return List.copyOf(out);
    }

    private static String text(JsonNode e, String name) {
        JsonNode v = e.get(name);
        if (v == null || !v.isTextual()) {
            throw malformed("nvidia device evidence has no " + name + " string");
        }
        return v.textValue();
    }

    private static byte[] b64(String s, String what) {
        try {
            byte[] b = Base64.getDecoder().decode(s);
            if (b.length == 0) {
                throw malformed("nvidia device evidence " + what + " is empty");
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw malformed("nvidia device evidence " + what + " is not standard base64");
        }
    }

    private static AttestationException malformed(String detail) {
        return new AttestationException(Reason.MALFORMED_EVIDENCE, detail);
    }

    @Override
    public String toString() {
        return "NvidiaGpuEvidence[" + arch + ", " + uuid + ", report " + report.length + " bytes]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NvidiaGpuEvidence n && arch.equals(n.arch) && uuid.equals(n.uuid)
                && java.util.Arrays.equals(report, n.report) && java.util.Arrays.equals(certChainPem, n.certChainPem);
    }

    @Override
    public int hashCode() {
        return Objects.hash(arch, uuid, java.util.Arrays.hashCode(report), java.util.Arrays.hashCode(certChainPem));
    }
}
