package dev.coco4j.core.spi;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.TeeType;

/**
 * Verifies one TEE's evidence as a relying party. Found through {@link java.util.ServiceLoader}; see
 * {@link Verifiers}. A verifier returns a result only on a path that checked everything its TEE requires; any
 * failure is an {@link dev.coco4j.core.AttestationException} (or {@link dev.coco4j.core.CollateralException}) with a
 * stable {@link dev.coco4j.core.Reason}.
 */
public interface Verifier {

    /**
     * The TEE whose evidence this verifier accepts.
     *
     * @return the TEE type of the evidence {@link #verify} accepts; never null
     */
    TeeType teeType();

    /**
     * Verifies the evidence under the given options.
     *
     * @param evidence the evidence to verify; not null, not trusted
     * @param options the clock, network mode, expected report data and debug policy; not null
     * @return the verified result; only returned when every check passed
     * @throws dev.coco4j.core.CocoException on any refusal
     */
    AttestationResult verify(Evidence evidence, VerificationOptions options);
}
