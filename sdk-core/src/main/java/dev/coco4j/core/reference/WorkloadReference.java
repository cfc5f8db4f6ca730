package dev.coco4j.core.reference;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.util.Objects;
import java.util.Optional;

/**
 * The reference values of one workload: what each platform must measure for evidence to be acceptable.
 *
 * <p>When an init-data digest is given, it is bound where the platform measures it: SEV-SNP HOST_DATA (the digest
 * fitted to 32 bytes) and TDX MRCONFIGID (fitted to 48 bytes), truncated or zero-padded on the right, as the CoCo host
 * binds it. An explicitly pinned HOST_DATA or MRCONFIGID that differs from the bound digest is refused when the
 * reference is built, so a document cannot say two things at once.
 *
 * @param name the workload name (the key in the document)
 * @param initDataDigest the digest of the workload's init-data document ({@code algorithm(bytes)}), hex; 32, 48 or
 *     64 bytes (sha256, sha384, sha512)
 * @param snp the SEV-SNP values, if the workload may run on SEV-SNP
 * @param tdx the TDX values, if the workload may run on TDX
 * @param gpu the GPU values, if the workload uses a confidential GPU
 */
public record WorkloadReference(String name, Optional<String> initDataDigest, Optional<SnpReference> snp,
                                Optional<TdxReference> tdx, Optional<GpuReference> gpu) {

    /**
     * Checks the entry.
     *
     * @throws ConfigurationException if the name is blank, the digest is not 32/48/64 bytes of hex, no platform is
     *     given, or a pinned HOST_DATA/MRCONFIGID contradicts the init-data digest
     */
    public WorkloadReference {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "a workload name is empty");
        }
        Objects.requireNonNull(snp, "snp");
        Objects.requireNonNull(tdx, "tdx");
        Objects.requireNonNull(gpu, "gpu");
        initDataDigest = Objects.requireNonNull(initDataDigest, "initDataDigest").map(WorkloadReference::digest);
        if (snp.isEmpty() && tdx.isEmpty() && gpu.isEmpty()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "workload '" + name
                    + "' has no snp, tdx or gpu values");
        }
        if (initDataDigest.isPresent()) {
            String d = initDataDigest.get();
            snp.flatMap(SnpReference::hostData).ifPresent(h -> requireBound(name, "snp.host_data", h,
                    HexField.fitted(d, SnpReference.HOST_DATA_BYTES)));
            tdx.flatMap(TdxReference::mrConfigId).ifPresent(h -> requireBound(name, "tdx.mr_config_id", h,
                    HexField.fitted(d, TdxReference.REGISTER_BYTES)));
        }
    }

    private static String digest(String hex) {
        for (int n : new int[] {32, 48, 64}) {
            if (hex != null && hex.length() == 2 * n) {
                return HexField.of("init_data_digest", hex, n);
            }
        }
        throw new ConfigurationException(Reason.CONFIGURATION, "init_data_digest must be a sha256, sha384 or sha512 "
                + "digest in hex (64, 96 or 128 digits)");
    }

    private static void requireBound(String name, String field, String pinned, String bound) {
        if (!pinned.equals(bound)) {
            throw new ConfigurationException(Reason.CONFIGURATION, "workload '" + name + "': " + field
                    + " differs from the init-data digest the platform binds there");
        }
    }

    /**
     * The HOST_DATA an SEV-SNP launch of this workload must carry: pinned, else bound from init-data, else none.
     *
     * @return lower-case hex of the 32-byte HOST_DATA, or empty if neither pinned nor bound from init-data
     */
    public Optional<String> snpHostData() {
        return snp.flatMap(SnpReference::hostData).or(() -> initDataDigest.map(d ->
                HexField.fitted(d, SnpReference.HOST_DATA_BYTES)));
    }

    /**
     * The MRCONFIGID a TDX launch of this workload must carry: pinned, else bound from init-data, else none.
     *
     * @return lower-case hex of the 48-byte MRCONFIGID, or empty if neither pinned nor bound from init-data
     */
    public Optional<String> tdxMrConfigId() {
        return tdx.flatMap(TdxReference::mrConfigId).or(() -> initDataDigest.map(d ->
                HexField.fitted(d, TdxReference.REGISTER_BYTES)));
    }

    /**
     * The SEV-SNP values, required.
     *
     * @return the workload's SEV-SNP values
     * @throws ConfigurationException if this workload has none (a policy must not silently check nothing)
     */
    public SnpReference requireSnp() {
        return snp.orElseThrow(() -> missing("snp"));
    }

    /**
     * The TDX values, required.
     *
     * @return the workload's TDX values
     * @throws ConfigurationException if this workload has none
     */
    public TdxReference requireTdx() {
        return tdx.orElseThrow(() -> missing("tdx"));
    }

    /**
     * The GPU values, required.
     *
     * @return the workload's GPU values
     * @throws ConfigurationException if this workload has none
     */
    public GpuReference requireGpu() {
        return gpu.orElseThrow(() -> missing("gpu"));
    }

    private ConfigurationException missing(String platform) {
        return new ConfigurationException(Reason.CONFIGURATION, "workload '" + name + "' has no " + platform
                + " reference values");
    }
}
