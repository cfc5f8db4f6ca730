package dev.coco4j.azure.guest;

import dev.coco4j.azure.tpm.TpmTransport;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.core.spi.DetectionReport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The {@code az-snp-vtpm} {@link Attester} service for Azure confidential VMs on AMD SEV-SNP (OpenHCL paravisor, vTPM),
 * found by {@link java.util.ServiceLoader} (so {@code Attesters.detect()} and {@code KbsClient} pick it on such a
 * VM). Its one {@link DetectionReport.Mechanism#DEVICE_NODE} probe finds the interface only if {@code /dev/tpmrm0}
 * exists and opens and its NV index {@value AzVtpmAttester#HCL_REPORT_INDEX_HEX} holds an HCL report carrying
 * an SNP report; a physical TPM (a laptop) or an Azure VM of the other kind is "not found", with the reason. The
 * probe is cheap (a few TPM commands) and never throws.
 *
 * <p>{@link #attest} delegates to an {@link AzVtpmAttester} built for {@link TeeType#AZ_SNP_VTPM}, with the
 * hardware proof fetched from the VM's Azure IMDS ({@link AzureImds#create()}, built on first use). For other
 * settings (PCRs, nonce length, a cached VCEK) build an {@link AzVtpmAttester} directly. Thread-safe.
 */
public final class AzSnpVtpmAttester extends VtpmServiceAttester {
    /** The attester for this machine: {@code /dev/tpmrm0} and Azure IMDS. */
    public AzSnpVtpmAttester() {
        super(VtpmProbe.system(TeeType.AZ_SNP_VTPM));
    }

    /** Tests: another TPM (swtpm), a device-exists check and a fixed hardware proof (null: Azure IMDS). */
    AzSnpVtpmAttester(Supplier<TpmTransport> transport, BooleanSupplier deviceExists, String device,
            HardwareProof proof) {
        super(new VtpmProbe(TeeType.AZ_SNP_VTPM, transport, deviceExists, device, proof));
    }
}
