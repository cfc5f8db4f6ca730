package dev.coco4j.core.reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A store of reference values — expected measurements per workload — read from a JSON document:
 *
 * <pre>{@code
 * {
 *   "version": 1,
 *   "workloads": {
 *     "confidential-inference": {
 *       "init_data_digest": "<hex sha256|sha384|sha512 of the init-data TOML>",
 *       "snp": {"measurement": "<48 bytes hex>", "host_data": "<32 bytes hex>"},
 *       "tdx": {"mr_td": "<48 bytes hex>", "rtmrs": {"0": "<48 bytes hex>"}, "mr_config_id": "<48 bytes hex>"},
 *       "gpu": {"driver_versions": ["535.86.10"], "vbios_versions": ["96.00.5e.00.01"]}
 *     }
 *   }
 * }
 * }</pre>
 *
 * Every field except {@code version}, {@code workloads} and, per platform, {@code measurement} / {@code mr_td} /
 * the two version lists is optional. The reader fails closed: an unknown field, a wrong type, a malformed hex value,
 * an unsupported {@code version} or a HOST_DATA/MRCONFIGID that contradicts {@code init_data_digest} is a
 * {@link ConfigurationException} ({@link Reason#CONFIGURATION}), and so is asking for a workload the document does not
 * name. Immutable and thread-safe.
 */
public final class ReferenceValues {
    /** The document version this reader understands. */
    public static final int VERSION = 1;
    private static final int MAX_BYTES = 1 << 20;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Map<String, WorkloadReference> workloads;

    private ReferenceValues(Map<String, WorkloadReference> workloads) {
        this.workloads = Collections.unmodifiableMap(new LinkedHashMap<>(workloads));
    }

    /**
     * A store holding exactly these workloads (by their names).
     *
     * @param entries the workloads; names must be distinct, none null
     * @return an immutable store holding the entries in the given order
     * @throws ConfigurationException with {@link Reason#CONFIGURATION} if two entries have the same name
     */
    public static ReferenceValues of(WorkloadReference... entries) {
        Map<String, WorkloadReference> m = new LinkedHashMap<>();
        for (WorkloadReference w : entries) {
            if (m.put(w.name(), w) != null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "workload '" + w.name() + "' given twice");
            }
        }
        return new ReferenceValues(m);
    }

    /**
     * Reads a reference-values file.
     *
     * @param file the JSON file; not null
     * @return the parsed, immutable store
     * @throws ConfigurationException if the file cannot be read or is not a valid document
     */
    public static ReferenceValues load(Path file) {
        Objects.requireNonNull(file, "file");
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigurationException(Reason.CONFIGURATION, "reference values file " + file
                        + " is larger than " + MAX_BYTES + " bytes");
            }
            return parse(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot read reference values " + file + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Parses a reference-values document.
     *
     * @param json the document as UTF-8 JSON bytes; not null, not modified
     * @return the parsed, immutable store
     * @throws ConfigurationException if it is not a valid document (see the class comment)
     */
    public static ReferenceValues parse(byte[] json) {
        JsonNode root;
        try {
            root = JSON.readTree(Objects.requireNonNull(json, "json"));
        } catch (JsonProcessingException e) {
            throw bad("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw bad("not JSON");
        }
        if (root == null || !root.isObject()) {
            throw bad("the document must be a JSON object");
        }
        allowOnly(root, "", "version", "workloads");
        JsonNode v = root.get("version");
        if (v == null || !v.isInt() || v.intValue() != VERSION) {
            throw bad("\"version\" must be " + VERSION);
        }
        JsonNode ws = required(root, "", "workloads");
        if (!ws.isObject()) {
            throw bad("\"workloads\" must be an object");
        }
        Map<String, WorkloadReference> m = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ws.fields(); it.hasNext(); ) {
            var e = it.next();
            m.put(e.getKey(), workload(e.getKey(), e.getValue()));
        }
        return new ReferenceValues(m);
    }

    private static WorkloadReference workload(String name, JsonNode n) {
        String at = "workloads." + name;
        object(n, at);
        allowOnly(n, at, "init_data_digest", "snp", "tdx", "gpu");
        Optional<SnpReference> snp = Optional.ofNullable(n.get("snp")).map(s -> {
            object(s, at + ".snp");
            allowOnly(s, at + ".snp", "measurement", "host_data");
            return new SnpReference(text(required(s, at + ".snp", "measurement"), at + ".snp.measurement"),
                    optionalText(s, at + ".snp", "host_data"));
        });
        Optional<TdxReference> tdx = Optional.ofNullable(n.get("tdx")).map(t -> {
            object(t, at + ".tdx");
            allowOnly(t, at + ".tdx", "mr_td", "rtmrs", "mr_config_id");
            Map<Integer, String> rtmrs = new TreeMap<>();
            JsonNode r = t.get("rtmrs");
            if (r != null) {
                object(r, at + ".tdx.rtmrs");
                for (Iterator<Map.Entry<String, JsonNode>> it = r.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (!e.getKey().matches("[0-3]")) {
                        throw bad(at + ".tdx.rtmrs: key \"" + e.getKey() + "\" is not 0..3");
                    }
                    rtmrs.put(Integer.parseInt(e.getKey()), text(e.getValue(), at + ".tdx.rtmrs." + e.getKey()));
                }
            }
            return new TdxReference(text(required(t, at + ".tdx", "mr_td"), at + ".tdx.mr_td"), rtmrs,
                    optionalText(t, at + ".tdx", "mr_config_id"));
        });
        Optional<GpuReference> gpu = Optional.ofNullable(n.get("gpu")).map(g -> {
            object(g, at + ".gpu");
            allowOnly(g, at + ".gpu", "driver_versions", "vbios_versions");
            return new GpuReference(strings(required(g, at + ".gpu", "driver_versions"), at + ".gpu.driver_versions"),
                    strings(required(g, at + ".gpu", "vbios_versions"), at + ".gpu.vbios_versions"));
        });
        try {
            return new WorkloadReference(name, optionalText(n, at, "init_data_digest"), snp, tdx, gpu);
        } catch (ConfigurationException e) {
            throw bad(at + ": " + e.detail());
        }
    }

    /**
     * The workload names, in document order.
     *
     * @return an unmodifiable view of the names
     */
    public Set<String> names() {
        return workloads.keySet();
    }

    /**
     * Every workload, by name, in document order.
     *
     * @return an unmodifiable map from name to workload
     */
    public Map<String, WorkloadReference> workloads() {
        return workloads;
    }

    /**
     * The reference values of one workload.
     *
     * @param name the workload name; not null
     * @return the workload's reference values
     * @throws ConfigurationException if the document does not name it
     */
    public WorkloadReference workload(String name) {
        WorkloadReference w = workloads.get(Objects.requireNonNull(name, "name"));
        if (w == null) {
            throw new ConfigurationException(Reason.CONFIGURATION, "no reference values for workload '" + name
                    + "' (known: " + workloads.keySet() + ")");
        }
        return w;
    }

    /**
     * The document as indented JSON, in the format {@link #parse} reads.
     *
     * @return indented JSON text; {@link #parse} reads it back to the same workloads
     */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        ObjectNode ws = root.putObject("workloads");
        for (WorkloadReference w : workloads.values()) {
            ObjectNode n = ws.putObject(w.name());
            w.initDataDigest().ifPresent(d -> n.put("init_data_digest", d));
            w.snp().ifPresent(s -> {
                ObjectNode o = n.putObject("snp");
                o.put("measurement", s.measurement());
                s.hostData().ifPresent(h -> o.put("host_data", h));
            });
            w.tdx().ifPresent(t -> {
                ObjectNode o = n.putObject("tdx");
                o.put("mr_td", t.mrTd());
                if (!t.rtmrs().isEmpty()) {
                    ObjectNode r = o.putObject("rtmrs");
                    t.rtmrs().forEach((i, h) -> r.put(Integer.toString(i), h));
                }
                t.mrConfigId().ifPresent(h -> o.put("mr_config_id", h));
            });
            w.gpu().ifPresent(g -> {
                ObjectNode o = n.putObject("gpu");
                ArrayNode d = o.putArray("driver_versions");
                g.driverVersions().forEach(d::add);
                ArrayNode b = o.putArray("vbios_versions");
                g.vbiosVersions().forEach(b::add);
            });
        }
        try {
            return JSON.writeValueAsString(root) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot write reference values", e);
        }
    }

    @Override
    public String toString() {
        return "ReferenceValues" + workloads.keySet();
    }

    // ------------------------------------------------------------------ strict reading

    private static ConfigurationException bad(String detail) {
        return new ConfigurationException(Reason.CONFIGURATION, "reference values: " + detail);
    }

    private static void object(JsonNode n, String at) {
        if (!n.isObject()) {
            throw bad(at + " must be an object");
        }
    }

    private static void allowOnly(JsonNode n, String at, String... names) {
        Set<String> allowed = Set.of(names);
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw bad("unknown field \"" + f + "\"" + (at.isEmpty() ? "" : " in " + at));
            }
        }
    }

    private static JsonNode required(JsonNode n, String at, String name) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            throw bad((at.isEmpty() ? "" : at + ".") + name + " is required");
        }
        return v;
    }

    private static String text(JsonNode n, String at) {
        if (!n.isTextual()) {
            throw bad(at + " must be a string");
        }
        return n.textValue();
    }

    private static Optional<String> optionalText(JsonNode n, String at, String name) {
        JsonNode v = n.get(name);
        return v == null ? Optional.empty() : Optional.of(text(v, at + "." + name));
    }

    private static Set<String> strings(JsonNode n, String at) {
        if (!n.isArray()) {
            throw bad(at + " must be an array of strings");
        }
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode e : n) {
            out.add(text(e, at + "[]"));
        }
        return out;
    }
}
