package dev.coco4j.azure.guest;

import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.PcrSelection;
import dev.coco4j.azure.tpm.Tpm2;
import dev.coco4j.azure.tpm.TpmAlg;
import dev.coco4j.azure.tpm.TpmDeviceTransport;
import dev.coco4j.azure.tpm.TpmQuote;
import dev.coco4j.azure.tpm.TpmSignature;
import dev.coco4j.azure.tpm.TpmTransport;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Collects Azure vTPM evidence inside a confidential VM, in Trustee's version-1 JSON form
 * ({@link AzVtpmEvidence#toEvidence()}), with our own TPM 2.0 encoder ({@link Tpm2}):
 * <ol>
 *   <li>write the 64-byte report data to the user-data NV index {@value #USER_DATA_INDEX_HEX} (defining it, owner
 *       authorized, if absent) — on Azure this makes the paravisor regenerate the HCL report with that
 *       {@code user-data};</li>
 *   <li>read the HCL report from NV index {@value #HCL_REPORT_INDEX_HEX};</li>
 *   <li>TPM2_Quote with the attestation key at {@value #AK_HANDLE_HEX} over the chosen SHA-256 PCRs, the nonce as
 *       qualifying data, then TPM2_PCR_Read of the same PCRs; if a PCR changed in between (the PCR digest no longer
 *       matches) the quote is taken again, at most three times;</li>
 *   <li>add the hardware proof (VCEK or TD quote, {@link HardwareProof}; by default fetched from the VM's Azure
 *       IMDS, {@link AzureImds}).</li>
 * </ol>
 * The nonce is the first {@code nonceLength} bytes of the report data (default 48: the SHA-384 runtime-data digest
 * the KBS protocol prescribes; Trustee compares the quote's nonce over the digest length). An RSASSA signature is
 * stored bare (Trustee's form), any other as a marshalled {@code TPMT_SIGNATURE}.
 *
 * <p>As an {@link Attester} (e.g. for {@code KbsClient}) it produces the TEE type it was built for and refuses an HCL
 * report of the other kind.
 */
public final class AzVtpmAttester implements Attester {
    /** The HCL report NV index. */
    public static final int HCL_REPORT_INDEX = 0x01400001;
    /** The user-data (report data) NV index. */
    public static final int USER_DATA_INDEX = 0x01400002;
    /** The persistent handle of the Azure vTPM attestation key. */
    public static final int AK_HANDLE = 0x81000003;
    static final String HCL_REPORT_INDEX_HEX = "0x01400001";
    static final String USER_DATA_INDEX_HEX = "0x01400002";
    static final String AK_HANDLE_HEX = "0x81000003";
    private static final int ATTEMPTS = 3;

    private final Supplier<TpmTransport> transport;
    private final HardwareProof proof;
    private final PcrSelection pcrs;
    private final int nonceLength;
    private final int akHandle;
    private final TeeType tee;

    private AzVtpmAttester(Builder b) {
        this.tee = b.tee;
        this.transport = b.transport;
        this.proof = b.proof != null ? b.proof : AzureImds.create();
        this.pcrs = b.pcrs;
        this.nonceLength = b.nonceLength;
        this.akHandle = b.akHandle;
    }

    /**
     * A builder: {@code /dev/tpmrm0}, PCRs 0..23 (SHA-256), 48-byte nonce, AK at {@value #AK_HANDLE_HEX}.
     *
     * @return a new builder for {@code az-snp-vtpm} evidence with the hardware proof from Azure IMDS
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether the default TPM device exists on this machine.
     *
     * @return {@code true} if {@link TpmDeviceTransport#DEFAULT_DEVICE} exists (it may still be unreadable for this
     *         user)
     */
    public static boolean deviceAvailable() {
        return Files.exists(TpmDeviceTransport.DEFAULT_DEVICE);
    }

    @Override
    public TeeType teeType() {
        return tee;
    }

    @Override
    public boolean isAvailable() {
        return deviceAvailable();
    }

    @Override
    public String describeAvailability() {
        return deviceAvailable() ? TpmDeviceTransport.DEFAULT_DEVICE + " present (Azure vTPM evidence)"
                : TpmDeviceTransport.DEFAULT_DEVICE + " absent: no TPM resource manager device";
    }

    /**
     * Collects evidence for the report data (nonce: its first {@code nonceLength} bytes).
     *
     * @param reportData the 64 bytes written to the user-data index; its first {@code nonceLength} bytes are the
     *                   quote nonce
     * @return evidence of this attester's TEE type whose data is the version-1 JSON document
     * @throws AttestationException {@code SERVICE_UNAVAILABLE} for TPM failures, {@code MALFORMED_EVIDENCE} if the
     *                              HCL report or the TPM's answers do not parse or the HCL report is of the other
     *                              TEE type than this attester's
     */
    @Override
    public Evidence attest(ReportData reportData) {
        byte[] rd = reportData.toByteArray();
        AzVtpmEvidence ev = collect(Arrays.copyOf(rd, nonceLength), rd);
        if (ev.tee() != tee) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "the vTPM holds " + ev.tee().id()
                    + " evidence, this attester was built for " + tee.id());
        }
        return ev.toEvidence();
    }

    /**
     * Collects evidence with an explicit quote nonce (at most 64 bytes) and user data (written to the user-data
     * index, zero-padded to 64 bytes); the TEE type follows the HCL report's.
     *
     * @param nonce    the quote's qualifying data, 0..64 bytes, not {@code null}
     * @param userData the user data, 0..64 bytes, not {@code null}; zero-padded to the user-data index's size
     * @return the evidence; its TEE is {@code az-snp-vtpm} or {@code az-tdx-vtpm} as the HCL report says
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if {@code nonce} or {@code userData} is longer
     *                                than 64 bytes
     * @throws AttestationException   {@link Reason#SERVICE_UNAVAILABLE} for TPM failures or PCRs that keep changing;
     *                                {@link Reason#MALFORMED_EVIDENCE} if the HCL report or a TPM answer does not
     *                                parse; {@link Reason#UNSUPPORTED_VERSION} for an HCL report of neither SNP nor
     *                                TDX type
     * @throws dev.coco4j.core.CocoException whatever the {@link HardwareProof} raises (by default a
     *                                {@code CollateralException} from Azure IMDS)
     */
    public AzVtpmEvidence collect(byte[] nonce, byte[] userData) {
        if (nonce.length > 64 || userData.length > 64) {
            throw new ConfigurationException(Reason.CONFIGURATION, "nonce and user data are at most 64 bytes");
        }
        try (Tpm2 tpm = new Tpm2(transport.get())) {
            int size = tpm.nvSize(USER_DATA_INDEX);
            if (size < 0) {
                tpm.nvDefine(USER_DATA_INDEX, 64, Tpm2.NV_OWNER_AUTH_RW);
                size = 64;
            }
            tpm.nvWrite(USER_DATA_INDEX, Arrays.copyOf(userData, size));
            byte[] hclBytes = tpm.nvRead(HCL_REPORT_INDEX);
            HclReport hcl = HclReport.parse(hclBytes);
            TeeType tee = switch (hcl.reportType()) {
                case SNP -> TeeType.AZ_SNP_VTPM;
                case TDX -> TeeType.AZ_TDX_VTPM;
                default -> throw new AttestationException(Reason.UNSUPPORTED_VERSION,
                        "the HCL report carries a " + hcl.reportType() + " report");
            };
            TpmQuote quote = quote(tpm, nonce);
            return new AzVtpmEvidence(tee, quote, hclBytes, proof.forReport(hcl));
        }
    }

    private TpmQuote quote(Tpm2 tpm, byte[] nonce) {
        for (int attempt = 1; ; attempt++) {
            Tpm2.Quote q = tpm.quote(akHandle, nonce, pcrs);
            List<byte[]> values = tpm.pcrRead(pcrs);
            TpmSignature sig = q.signature();
            byte[] digest = TpmAlg.digest(sig.hashAlg(), values.toArray(byte[][]::new));
            byte[] quoted = dev.coco4j.azure.tpm.TpmsAttest.parse(q.attest()).pcrDigest();
            if (Arrays.equals(digest, quoted)) {
                byte[] s = sig.sigAlg() == TpmAlg.RSASSA && sig.hashAlg() == TpmAlg.SHA256 ? sig.rsa() : sig.marshal();
                return new TpmQuote(q.attest(), s, values);
            }
            if (attempt == ATTEMPTS) {
                throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "PCRs kept changing between TPM2_Quote and"
                        + " TPM2_PCR_Read (" + ATTEMPTS + " attempts)");
            }
        }
    }

    /** Builder for {@link AzVtpmAttester}. */
    public static final class Builder {
        private Supplier<TpmTransport> transport = () -> TpmDeviceTransport.open(TpmDeviceTransport.DEFAULT_DEVICE);
        private HardwareProof proof;
        private PcrSelection pcrs = PcrSelection.of(TpmAlg.SHA256, java.util.stream.IntStream.range(0, 24).toArray());
        private int nonceLength = 48;
        private int akHandle = AK_HANDLE;
        private TeeType tee = TeeType.AZ_SNP_VTPM;

        private Builder() {
        }

        /**
         * The TEE type produced by {@link AzVtpmAttester#attest} (default {@code az-snp-vtpm}).
         *
         * @param tee {@link TeeType#AZ_SNP_VTPM} or {@link TeeType#AZ_TDX_VTPM}; it must match the VM's HCL report
         * @return this builder
         * @throws ConfigurationException {@link Reason#CONFIGURATION} for any other TEE type
         */
        public Builder tee(TeeType tee) {
            if (tee != TeeType.AZ_SNP_VTPM && tee != TeeType.AZ_TDX_VTPM) {
                throw new ConfigurationException(Reason.CONFIGURATION, "not an Azure vTPM TEE: " + tee.id());
            }
            this.tee = tee;
            return this;
        }

        /**
         * Where the TPM is: opened once per collection and closed after it (default {@code /dev/tpmrm0}).
         *
         * @param transport called once per collection for a fresh transport, which is closed afterwards; not
         *                  {@code null}
         * @return this builder
         */
        public Builder transport(Supplier<TpmTransport> transport) {
            this.transport = Objects.requireNonNull(transport, "transport");
            return this;
        }

        /**
         * The TPM device path (a kernel resource manager device).
         *
         * @param device the device to open on each collection, e.g. {@code /dev/tpmrm0}; not {@code null}, not opened
         *               here
         * @return this builder
         */
        public Builder device(Path device) {
            Objects.requireNonNull(device, "device");
            this.transport = () -> TpmDeviceTransport.open(device);
            return this;
        }

        /**
         * The source of the VCEK or TD quote (default: the VM's Azure IMDS, {@link AzureImds#create()}; a fixed VCEK
         * or test data through {@link HardwareProof#of(byte[])}).
         *
         * @param proof the hardware-proof source, not {@code null}
         * @return this builder
         */
        public Builder hardwareProof(HardwareProof proof) {
            this.proof = Objects.requireNonNull(proof, "proof");
            return this;
        }

        /**
         * The SHA-256 PCRs to quote (default 0..23).
         *
         * @param indices the PCR indices, each 0..23; none quotes an empty selection
         * @return this builder
         * @throws IllegalArgumentException if an index is outside 0..23
         */
        public Builder pcrs(int... indices) {
            this.pcrs = PcrSelection.of(TpmAlg.SHA256, indices);
            return this;
        }

        /**
         * How many leading report-data bytes form the quote nonce (1..64, default 48).
         *
         * @param length the nonce length in bytes, 1..64
         * @return this builder
         * @throws ConfigurationException {@link Reason#CONFIGURATION} if {@code length} is outside 1..64
         */
        public Builder nonceLength(int length) {
            if (length < 1 || length > 64) {
                throw new ConfigurationException(Reason.CONFIGURATION, "nonce length must be 1..64");
            }
            this.nonceLength = length;
            return this;
        }

        /**
         * The attestation key's persistent handle (default {@value AzVtpmAttester#AK_HANDLE_HEX}).
         *
         * @param handle the persistent handle ({@code 0x81xxxxxx}) of a restricted signing key with an empty password;
         *               not checked until a collection uses it
         * @return this builder
         */
        public Builder attestationKeyHandle(int handle) {
            this.akHandle = handle;
            return this;
        }

        /**
         * Builds the attester.
         *
         * @return a new attester; without a hardware proof set it uses {@link AzureImds#create()}
         */
        public AzVtpmAttester build() {
            return new AzVtpmAttester(this);
        }
    }
}
