package dev.coco4j.kbs.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.TeeType;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;

/**
 * Turns coco4j {@link Evidence} into the {@code primary_evidence} JSON that Trustee's verifier for that TEE parses.
 * One implementation per {@link TeeType}; built-ins cover {@code snp}, {@code tdx} and {@code sample}, others may be
 * added through {@link java.util.ServiceLoader} ({@code provides dev.coco4j.kbs.evidence.EvidenceSerializer with ...})
 * or given to the client builder. Implementations are stateless and thread-safe.
 */
public interface EvidenceSerializer {

    /**
     * The TEE whose evidence this serialises.
     *
     * @return the TEE type, the same on every call
     */
    TeeType tee();

    /**
     * The {@code primary_evidence} JSON.
     *
     * @param evidence evidence the attester produced for {@code binding.reportData()}
     * @param binding the runtime-data binding the evidence answers (for TEEs whose evidence carries the digest at
     *     its own length, such as {@code sample})
     * @return a new JSON tree for the {@code primary_evidence} member
     * @throws dev.coco4j.core.AttestationException with {@link dev.coco4j.core.Reason#MALFORMED_EVIDENCE} if the
     *     evidence is not of this TEE's form
     */
    JsonNode primaryEvidence(Evidence evidence, RuntimeDataBinding binding);
}
