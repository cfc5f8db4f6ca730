package dev.coco4j.testkit;

import dev.coco4j.core.Evidence;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.tdx.sim.SimulatedTdxPlatform;
import java.util.Objects;

/**
 * An {@link Attester} backed by a {@link SimulatedTdxPlatform}: {@link #attest(ReportData)} returns a DCAP quote
 * binding the report data, signed by the simulated quoting enclave (the same {@link Evidence} form as the guest
 * {@code TdxAttester}: the quote, no auxiliary bytes).
 *
 * <p>Its quotes verify only against the simulator's root and collateral ({@code platform.root()},
 * {@code platform.collateral()}; see {@link EmbeddedKbs.Builder#trustSimulatedTdx(SimulatedTdxPlatform)}), never
 * against Intel's. Not registered as a {@link java.util.ServiceLoader} provider. Thread-safe. For development and
 * tests, not production.
 */
public final class SimulatedTdxAttester implements Attester {
    private final SimulatedTdxPlatform platform;

    /**
     * An attester for this simulated platform.
     *
     * @param platform the simulated platform that quotes the report data, not null
     */
    public SimulatedTdxAttester(SimulatedTdxPlatform platform) {
        this.platform = Objects.requireNonNull(platform, "platform");
    }

    /**
     * The simulated platform behind this attester.
     *
     * @return the platform given at construction (the same instance, not a copy)
     */
    public SimulatedTdxPlatform platform() {
        return platform;
    }

    @Override
    public TeeType teeType() {
        return TeeType.TDX;
    }

    /** Always true: the simulator needs no device. */
    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String describeAvailability() {
        return "simulated TDX platform (coco4j testkit; never trusted by default)";
    }

    @Override
    public Evidence attest(ReportData reportData) {
        return Evidence.of(TeeType.TDX, platform.quote(Objects.requireNonNull(reportData, "reportData")));
    }

    @Override
    public String toString() {
        return "SimulatedTdxAttester[" + platform + "]";
    }
}
