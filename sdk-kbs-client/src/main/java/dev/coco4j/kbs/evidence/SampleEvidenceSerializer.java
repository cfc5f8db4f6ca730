package dev.coco4j.kbs.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import java.util.Arrays;
import java.util.Base64;

/**
 * Trustee's non-secure {@code sample} evidence: {@code {"svn":"1","report_data":"<std base64 of the digest>"}}, where
 * the digest has the binding hash's own length (48 bytes for SHA-384), not the padded 64. The evidence bytes are the
 * 64-byte report data an {@link InsecureSampleAttester} returned. Test use only: nothing about it is secure.
 */
public final class SampleEvidenceSerializer implements EvidenceSerializer {

    /** Creates the serialiser. */
    public SampleEvidenceSerializer() {
    }

    @Override
    public TeeType tee() {
        return TeeType.SAMPLE;
    }

    @Override
    public JsonNode primaryEvidence(Evidence evidence, RuntimeDataBinding binding) {
        byte[] data = evidence.data();
        if (evidence.tee() != TeeType.SAMPLE || data.length != ReportData.LENGTH) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "not sample evidence (64 report-data bytes)");
        }
        int len = binding.hash().digest(new byte[0]).length;
        ObjectNode o = Json.object();
        o.put("svn", "1");
        o.put("report_data", Base64.getEncoder().encodeToString(Arrays.copyOf(data, len)));
        return o;
    }
}
