package dev.coco4j.testkit;

import dev.coco4j.core.Evidence;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import java.util.Objects;

/**
 * An {@link Attester} backed by a {@link SimulatedSnpPlatform}: {@link #attest(ReportData)} returns
 * {@code platform.evidence(reportData)} — a report signed by the simulator's VCEK, with its certificate table — so
 * code written against the attester SPI runs the whole attest → release → decrypt flow without SEV-SNP hardware.
 *
 * <p>Its evidence verifies only against the simulator's own roots ({@code platform.trustRoots()}), never against AMD's.
 * It is deliberately <em>not</em> registered as a {@link java.util.ServiceLoader} provider, so it can never be picked
 * up in place of a real attester. Thread-safe. For development and tests, not production.
 */
public final class SimulatedSnpAttester implements Attester {
    private final SimulatedSnpPlatform platform;

    /**
     * An attester for this simulated platform.
     *
     * @param platform the simulated platform that signs the reports, not null
     */
    public SimulatedSnpAttester(SimulatedSnpPlatform platform) {
        this.platform = Objects.requireNonNull(platform, "platform");
    }

    /**
     * The simulated platform behind this attester.
     *
     * @return the platform given at construction (the same instance, not a copy)
     */
    public SimulatedSnpPlatform platform() {
        return platform;
    }

    @Override
    public TeeType teeType() {
        return TeeType.SNP;
    }

    /** Always true: the simulator needs no device. */
    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String describeAvailability() {
        return "simulated SEV-SNP platform (coco4j testkit; never trusted by default)";
    }

    @Override
    public Evidence attest(ReportData reportData) {
        return platform.evidence(Objects.requireNonNull(reportData, "reportData"));
    }

    @Override
    public String toString() {
        return "SimulatedSnpAttester[" + platform + "]";
    }
}
