package dev.coco4j.testkit;

import dev.coco4j.azure.sim.SimulatedAzVtpm;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import java.util.Objects;

/**
 * An {@link Attester} for {@code az-snp-vtpm} backed by a {@link SimulatedAzVtpm}: {@link #attest(ReportData)} returns
 * the evidence an Azure SEV-SNP confidential VM's vTPM would give (Trustee's version-1 JSON: HCL report around an SNP
 * report signed by the simulated platform, TPM quote over PCRs 0..23 with the first 48 bytes of the report data as
 * nonce, the VCEK), so code written against the attester SPI — e.g. {@code KbsClient} — runs attest → release →
 * decrypt against {@link EmbeddedKbs} without Azure.
 *
 * <p>Its evidence verifies only against the simulated platform's roots: start the KBS with
 * {@code EmbeddedKbs.builder().trustSnpRoots(platform.trustRoots())} (the same roots serve {@code snp} and
 * {@code az-snp-vtpm}). It is deliberately <em>not</em> registered as a {@link java.util.ServiceLoader} provider.
 * Thread-safe. For development and tests, not production.
 */
public final class SimulatedAzSnpVtpmAttester implements Attester {
    private final SimulatedAzVtpm vtpm;

    /** An attester for this simulated vTPM (choose its AK type and PCR values with {@link SimulatedAzVtpm#builder()}). */
    public SimulatedAzSnpVtpmAttester(SimulatedAzVtpm vtpm) {
        this.vtpm = Objects.requireNonNull(vtpm, "vtpm");
    }

    /** An attester for a default simulated vTPM (RSA-2048 attestation key, default PCRs) on this platform. */
    public SimulatedAzSnpVtpmAttester(SimulatedSnpPlatform platform) {
        this(SimulatedAzVtpm.on(platform));
    }

    /** The simulated vTPM behind this attester. */
    public SimulatedAzVtpm vtpm() {
        return vtpm;
    }

    /** The simulated SNP platform signing the hardware report. */
    public SimulatedSnpPlatform platform() {
        return vtpm.platform();
    }

    @Override
    public TeeType teeType() {
        return TeeType.AZ_SNP_VTPM;
    }

    /** Always true: the simulator needs no device. */
    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String describeAvailability() {
        return "simulated Azure SEV-SNP vTPM (coco4j testkit; never trusted by default)";
    }

    @Override
    public Evidence attest(ReportData reportData) {
        return vtpm.attest(Objects.requireNonNull(reportData, "reportData"));
    }

    @Override
    public String toString() {
        return "SimulatedAzSnpVtpmAttester[" + vtpm + "]";
    }
}
