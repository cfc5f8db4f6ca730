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

    /** The TEE whose evidence this verifier accepts. */
    TeeType teeType();

    /**
     * Verifies the evidence under the given options.
     *
     * @throws dev.coco4j.core.CocoException on any refusal
     */
    AttestationResult verify(Evidence evidence, VerificationOptions options);
}
