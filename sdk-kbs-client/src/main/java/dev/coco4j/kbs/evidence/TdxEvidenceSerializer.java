package dev.coco4j.kbs.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Intel TDX evidence as Trustee's {@code tdx} verifier parses it:
 * <pre>{"cc_eventlog":"&lt;std base64 CCEL&gt;"|null,"quote":"&lt;std base64 DCAP quote&gt;"}</pre>
 * Both members are always present, in this order; base64 is standard with padding. The quote is
 * {@link Evidence#data()} (what {@code TdxAttester} returns); the event log, when wanted, comes from the supplier given
 * to {@link #withEventLog(Supplier)} (for example the CCEL ACPI table), since TDX evidence carries none itself. Without
 * one {@code cc_eventlog} is {@code null} and the verifier checks no event log. Stateless and thread-safe.
 */
public final class TdxEvidenceSerializer implements EvidenceSerializer {
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private final Supplier<Optional<byte[]>> eventLog;

    /** A serialiser that sends no event log ({@code "cc_eventlog":null}). */
    public TdxEvidenceSerializer() {
        this(Optional::empty);
    }

    private TdxEvidenceSerializer(Supplier<Optional<byte[]>> eventLog) {
        this.eventLog = eventLog;
    }

    /**
     * A serialiser that sends the event log {@code eventLog} supplies at each attestation (empty for none).
     *
     * @param eventLog called once per attestation; not null; may return empty (or null) for no event log, in which case
     *     {@code cc_eventlog} is {@code null}
     * @return a new serialiser
     */
    public static TdxEvidenceSerializer withEventLog(Supplier<Optional<byte[]>> eventLog) {
        return new TdxEvidenceSerializer(Objects.requireNonNull(eventLog, "eventLog"));
    }

    @Override
    public TeeType tee() {
        return TeeType.TDX;
    }

    @Override
    public JsonNode primaryEvidence(Evidence evidence, RuntimeDataBinding binding) {
        if (evidence.tee() != TeeType.TDX || evidence.data().length == 0) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "not TDX evidence (a DCAP quote)");
        }
        ObjectNode o = Json.object();
        Optional<byte[]> log = eventLog.get();
        if (log != null && log.isPresent()) {
            o.put("cc_eventlog", B64.encodeToString(log.get()));
        } else {
            o.putNull("cc_eventlog");
        }
        o.put("quote", B64.encodeToString(evidence.data()));
        return o;
    }

    /**
     * The quote in a {@code tdx} {@code primary_evidence} JSON, as {@link Evidence} of {@link TeeType#TDX} (not yet
     * verified).
     *
     * @param json the {@code primary_evidence} JSON object; null is refused as malformed
     * @return evidence holding the decoded quote bytes, without auxiliary data (the event log is only checked to be
     *     base64; read it with {@link #eventLog(JsonNode)})
     * @throws AttestationException with {@link Reason#MALFORMED_EVIDENCE} if the JSON is not of this form
     */
    public static Evidence parse(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw malformed("tdx evidence is not a JSON object");
        }
        JsonNode quote = json.get("quote");
        JsonNode log = json.get("cc_eventlog");
        if (quote == null || !quote.isTextual()) {
            throw malformed("tdx evidence has no quote string");
        }
        if (log != null && !log.isNull() && !log.isTextual()) {
            throw malformed("tdx evidence cc_eventlog is neither a string nor null");
        }
        byte[] q = decode(quote.textValue(), "quote");
        if (log != null && log.isTextual()) {
            decode(log.textValue(), "cc_eventlog");
        }
        if (q.length == 0) {
            throw malformed("tdx evidence quote is empty");
        }
        return Evidence.of(TeeType.TDX, q);
    }

    /**
     * The event log bytes in a {@code tdx} {@code primary_evidence} JSON, if it has one.
     *
     * @param json the {@code primary_evidence} JSON object; null allowed (gives empty)
     * @return the decoded event log (a new array), or empty if {@code cc_eventlog} is missing, null or not a string
     * @throws AttestationException with {@link Reason#MALFORMED_EVIDENCE} if {@code cc_eventlog} is a string but not
     *     standard base64
     */
    public static Optional<byte[]> eventLog(JsonNode json) {
        JsonNode log = json == null ? null : json.get("cc_eventlog");
        return log != null && log.isTextual() ? Optional.of(decode(log.textValue(), "cc_eventlog"))
                : Optional.empty();
    }

    private static byte[] decode(String text, String what) {
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw malformed("tdx evidence " + what + " is not standard base64");
        }
    }

    private static AttestationException malformed(String detail) {
        return new AttestationException(Reason.MALFORMED_EVIDENCE, detail);
    }

    @Override
    public String toString() {
        return "TdxEvidenceSerializer";
    }
}
