package dev.coco4j.core.spi;

import dev.coco4j.core.Evidence;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;

/**
 * Produces attestation evidence inside a TEE. Implementations are found through {@link java.util.ServiceLoader}
 * ({@code provides dev.coco4j.core.spi.Attester with ...} in a module, or {@code META-INF/services} on the class
 * path); {@link Attesters} picks the available one.
 *
 * <p>Implementations are thread-safe and never return evidence for report data other than the one asked for.
 */
public interface Attester {

    /**
     * The TEE this attester produces evidence for.
     *
     * @return the TEE type of the evidence {@link #attest} produces; never null
     */
    TeeType teeType();

    /**
     * True if this machine can produce this TEE's evidence now (the device or configfs provider is present). Cheap;
     * never throws.
     *
     * @return true if {@link #attest} can be expected to work on this machine
     */
    boolean isAvailable();

    /**
     * One line saying what was probed and found, for diagnostics ("configfs-tsm provider sev_guest found", ...).
     *
     * @return a one-line, human-readable probe summary; never null
     */
    String describeAvailability();

    /**
     * The probes behind {@link #isAvailable()}, one per interface this attester can use, so that
     * {@link Attesters#detect()} can try every configfs-tsm provider before any device node and explain what it saw.
     * The default is one {@link DetectionReport.Mechanism#OTHER} probe from {@link #isAvailable()} and
     * {@link #describeAvailability()}. Cheap; never throws.
     *
     * @return the probes, in the order this attester would use the interfaces; never empty
     */
    default java.util.List<DetectionReport.Probe> probes() {
        return java.util.List.of(new DetectionReport.Probe(teeType(), DetectionReport.Mechanism.OTHER,
                getClass().getSimpleName(), isAvailable(), describeAvailability()));
    }

    /**
     * Obtains fresh evidence binding {@code reportData}.
     *
     * @param reportData the 64 bytes to bind into the evidence (a nonce or the digest of a public key); not null
     * @return new evidence of {@link #teeType()} carrying {@code reportData}
     * @throws dev.coco4j.core.AttestationException or {@link dev.coco4j.core.CollateralException} on failure, with a
     *     {@link dev.coco4j.core.Reason}
     */
    Evidence attest(ReportData reportData);
}
