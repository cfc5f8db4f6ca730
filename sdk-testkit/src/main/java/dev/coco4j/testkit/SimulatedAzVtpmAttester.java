package dev.coco4j.testkit;

import dev.coco4j.azure.sim.SimulatedAzVtpm;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.tdx.sim.SimulatedTdxPlatform;
import java.util.Objects;

/**
 * An {@link Attester} for Azure vTPM evidence backed by a {@link SimulatedAzVtpm}: {@link #attest(ReportData)} returns
 * what an Azure confidential VM's vTPM would give (Trustee's version-1 JSON: HCL report around the hardware report,
 * TPM quote over PCRs 0..23 with the first 48 bytes of the report data as nonce, the VCEK or TD quote), so code
 * written against the attester SPI — e.g. {@code KbsClient} — runs attest → release → decrypt against
 * {@link EmbeddedKbs} without Azure. On a {@link SimulatedSnpPlatform} it is {@code az-snp-vtpm}, on a
 * {@link SimulatedTdxPlatform} {@code az-tdx-vtpm}.
 *
 * <p>Its evidence verifies only against the simulated platform's roots: start the KBS with
 * {@link EmbeddedKbs.Builder#trustSnpRoots(dev.coco4j.sev.verify.SnpTrustRoots)
 * trustSnpRoots(platform.trustRoots())} (the same roots serve {@code snp} and {@code az-snp-vtpm}) or
 * {@link EmbeddedKbs.Builder#trustSimulatedTdx(SimulatedTdxPlatform)} (for {@code tdx} and {@code az-tdx-vtpm}). It
 * is deliberately <em>not</em> registered as a {@link java.util.ServiceLoader} provider. Thread-safe. For development
 * and tests, not production.
 */
public final class SimulatedAzVtpmAttester implements Attester {
    private final SimulatedAzVtpm vtpm;

    /**
     * An attester for this simulated vTPM (choose its AK type and PCR values with {@link SimulatedAzVtpm#builder()}).
     *
     * @param vtpm the simulated vTPM, not null; kept, so its platform decides {@link #teeType()}
     */
    public SimulatedAzVtpmAttester(SimulatedAzVtpm vtpm) {
        this.vtpm = Objects.requireNonNull(vtpm, "vtpm");
    }

    /**
     * An {@code az-snp-vtpm} attester: a default simulated vTPM (RSA-2048 AK, default PCRs) on this platform.
     *
     * @param platform the simulated SEV-SNP platform that signs the hardware report, not null
     */
    public SimulatedAzVtpmAttester(SimulatedSnpPlatform platform) {
        this(SimulatedAzVtpm.on(platform));
    }

    /**
     * An {@code az-tdx-vtpm} attester: a default simulated vTPM (RSA-2048 AK, default PCRs) on this platform.
     *
     * @param platform the simulated TDX platform that quotes the TD report, not null
     */
    public SimulatedAzVtpmAttester(SimulatedTdxPlatform platform) {
        this(SimulatedAzVtpm.on(platform));
    }

    /**
     * The simulated vTPM behind this attester.
     *
     * @return the vTPM given or created at construction (the same instance, not a copy)
     */
    public SimulatedAzVtpm vtpm() {
        return vtpm;
    }

    /** {@code az-snp-vtpm} or {@code az-tdx-vtpm}, as the vTPM's platform. */
    @Override
    public TeeType teeType() {
        return vtpm.teeType();
    }

    /** Always true: the simulator needs no device. */
    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String describeAvailability() {
        return "simulated Azure " + vtpm.teeType().id() + " vTPM (coco4j testkit; never trusted by default)";
    }

    @Override
    public Evidence attest(ReportData reportData) {
        return vtpm.attest(Objects.requireNonNull(reportData, "reportData"));
    }

    @Override
    public String toString() {
        return "SimulatedAzVtpmAttester[" + vtpm + "]";
    }
}
