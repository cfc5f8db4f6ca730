package dev.coco4j.azure.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.hcl.Jwks;
import dev.coco4j.azure.hcl.RuntimeClaims;
import dev.coco4j.azure.internal.StrictJson;
import dev.coco4j.azure.tpm.TpmAlg;
import dev.coco4j.azure.tpm.TpmQuote;
import dev.coco4j.azure.tpm.TpmSignature;
import dev.coco4j.azure.tpm.TpmsAttest;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.tdx.sim.SimulatedTdxPlatform;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A simulated Azure confidential VM's vTPM on a {@link SimulatedSnpPlatform} (or, for {@code az-tdx-vtpm}, on a
 * {@link SimulatedTdxPlatform}): {@link #evidence(ReportData)} returns {@code az-snp-vtpm} evidence exactly as
 * {@link dev.coco4j.azure.guest.AzVtpmAttester} collects it on Azure:
 * <ul>
 *   <li>an HCL report (SHA-256 binding, padded to {@value #HCL_REPORT_SIZE} bytes like Azure's NV index) whose
 *       runtime claims carry the attestation key as {@code HCLAkPub} and {@code user-data} = the 64-byte report data
 *       (upper-case hex, as the paravisor writes it);</li>
 *   <li>inside it, an SNP report signed by the platform's endorsement key with REPORT_DATA = SHA-256(runtime claims)
 *       followed by 32 zero bytes;</li>
 *   <li>a TPM quote ({@code TPMS_ATTEST}) over SHA-256 PCRs 0..23 with the nonce = the first 48 bytes of the report
 *       data (the SHA-384 runtime-data digest of the KBS protocol), signed by the attestation key: RSASSA-PKCS1-v1_5
 *       SHA-256 stored bare (Trustee's form), ECDSA P-256 as a marshalled {@code TPMT_SIGNATURE};</li>
 *   <li>the platform's VCEK (DER) as the hardware proof.</li>
 * </ul>
 * On a TDX platform ({@link Builder#tdxPlatform(SimulatedTdxPlatform)}) the evidence is {@code az-tdx-vtpm}: the HCL
 * report's hardware area is a TDREPORT whose REPORTDATA (the only field filled in) is SHA-256(runtime claims) followed
 * by 32 zero bytes, and the hardware proof is the platform's DCAP quote over the same REPORTDATA; the runtime claims
 * and the TPM quote are as above.
 *
 * <p>As an {@link Attester} its {@link #teeType()} is {@code az-snp-vtpm} (or {@code az-tdx-vtpm}) and it is always
 * available. It is deliberately <em>not</em> registered as a {@link java.util.ServiceLoader} provider, and its evidence
 * verifies only against the simulated platform's roots ({@code SimulatedSnpPlatform.trustRoots()}, or
 * {@code SimulatedTdxPlatform.root()} with its collateral), which nothing trusts unless they are passed explicitly. The
 * static builders ({@link #runtimeClaims}, {@link #hclReport}, {@link #quoteMessage}, {@link #signQuote}) produce the
 * same layouts for tests that assemble unusual evidence by hand. Thread-safe. For development and tests, not
 * production.
 */
public final class SimulatedAzVtpm implements Attester {
    /** The size of Azure's HCL report NV index: simulated reports are zero-padded to it. */
    public static final int HCL_REPORT_SIZE = 2600;
    /** The number of SHA-256 PCRs quoted (0..23, as the guest attester does by default). */
    public static final int PCR_COUNT = 24;
    /** The quote nonce length: the first bytes of the report data (the SHA-384 runtime-data digest). */
    public static final int NONCE_LENGTH = 48;
    private static final int PCR_SIZE = 32;
    private static final int TDREPORT_REPORTDATA_OFFSET = 128;

    /** The attestation key types an Azure vTPM uses. */
    public enum AkType {
        /** RSA 2048, quotes signed RSASSA-PKCS1-v1_5 with SHA-256 (Azure's AK). */
        RSA_2048,
        /** ECC NIST P-256, quotes signed ECDSA with SHA-256. */
        ECC_P256
    }

    private final SimulatedSnpPlatform snp;
    private final SimulatedTdxPlatform tdx;
    private final AkType akType;
    private final KeyPair ak;
    private final List<byte[]> pcrs;
    private final byte[] vcekDer;

    private SimulatedAzVtpm(Builder b) {
        this.snp = b.snp;
        this.tdx = b.tdx;
        try {
            this.vcekDer = snp == null ? null : snp.endorsementKeyCertificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException("the simulated VCEK does not encode", e);
        }
        this.akType = b.akType;
        this.ak = generate(b.akType, b.random);
        List<byte[]> values = defaultPcrValues(PCR_COUNT);
        b.pcrs.forEach((i, v) -> values.set(i, v.clone()));
        this.pcrs = Collections.unmodifiableList(values);
    }

    /**
     * A builder: no default platform (an SNP or a TDX one must be set), an RSA-2048 attestation key, PCR {@code i} =
     * SHA-256 of the single byte {@code i}.
     *
     * @return a new builder; set {@link Builder#platform} or {@link Builder#tdxPlatform} before {@link Builder#build()}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * An {@code az-snp-vtpm} vTPM with the defaults on this platform.
     *
     * @param platform the simulated SNP platform that signs the hardware reports, not {@code null}
     * @return a new vTPM with a freshly generated RSA-2048 attestation key and the default PCR values
     */
    public static SimulatedAzVtpm on(SimulatedSnpPlatform platform) {
        return builder().platform(platform).build();
    }

    /**
     * An {@code az-tdx-vtpm} vTPM with the defaults on this platform.
     *
     * @param platform the simulated TDX platform that quotes the TDREPORTs, not {@code null}
     * @return a new vTPM with a freshly generated RSA-2048 attestation key and the default PCR values
     */
    public static SimulatedAzVtpm on(SimulatedTdxPlatform platform) {
        return builder().tdxPlatform(platform).build();
    }

    /**
     * Evidence for this report data: the HCL report refreshed with it as {@code user-data}, the quote with its first
     * {@value #NONCE_LENGTH} bytes as nonce.
     *
     * @param reportData the 64 bytes to bind: all of them as {@code user-data}, the first {@value #NONCE_LENGTH} as
     *                   the quote nonce; not {@code null}
     * @return fresh evidence of this vTPM's TEE type (a new SNP report or TD quote each call)
     */
    public AzVtpmEvidence evidence(ReportData reportData) {
        byte[] rd = Objects.requireNonNull(reportData, "reportData").toByteArray();
        return evidence(Arrays.copyOf(rd, NONCE_LENGTH), rd);
    }

    /**
     * Evidence with an explicit quote nonce (at most 64 bytes) and user data (at most 64 bytes), like
     * {@link dev.coco4j.azure.guest.AzVtpmAttester#collect(byte[], byte[])}.
     *
     * @param nonce    the quote's qualifying data, 0..64 bytes, not {@code null}
     * @param userData the runtime claims' {@code user-data}, 0..64 bytes, not {@code null} (not padded here)
     * @return fresh evidence of this vTPM's TEE type
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if {@code nonce} or {@code userData} is longer than
     *                                64 bytes
     */
    public AzVtpmEvidence evidence(byte[] nonce, byte[] userData) {
        if (nonce.length > 64 || userData.length > 64) {
            throw new ConfigurationException(Reason.CONFIGURATION, "nonce and user data are at most 64 bytes");
        }
        byte[] claims = runtimeClaims(ak.getPublic(), userData);
        byte[] bound = Arrays.copyOf(TpmAlg.digest(TpmAlg.SHA256, claims), 64);
        TpmQuote quote = signQuote(ak.getPrivate(), quoteMessage(nonce, pcrs), pcrs);
        if (tdx != null) {
            byte[] tdReport = new byte[HclReport.HW_REPORT_SIZE];
            System.arraycopy(bound, 0, tdReport, TDREPORT_REPORTDATA_OFFSET, bound.length);
            return new AzVtpmEvidence(TeeType.AZ_TDX_VTPM, quote,
                    hclReport(HclReport.ReportType.TDX, tdReport, claims, HCL_REPORT_SIZE),
                    tdx.quote(ReportData.of(bound)));
        }
        byte[] report = snp.report(ReportData.of(bound)).toBytes();
        byte[] hcl = hclReport(HclReport.ReportType.SNP, report, claims, HCL_REPORT_SIZE);
        return new AzVtpmEvidence(TeeType.AZ_SNP_VTPM, quote, hcl, vcekDer);
    }

    /** {@code az-snp-vtpm} on an SNP platform, {@code az-tdx-vtpm} on a TDX one. */
    @Override
    public TeeType teeType() {
        return tdx != null ? TeeType.AZ_TDX_VTPM : TeeType.AZ_SNP_VTPM;
    }

    /** Always true: the simulator needs no device. */
    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String describeAvailability() {
        return "simulated Azure " + (tdx != null ? "TDX" : "SNP") + " vTPM (coco4j; never trusted by default)";
    }

    /** {@link #evidence(ReportData)} in Trustee's version-1 JSON form ({@link AzVtpmEvidence#toEvidence()}). */
    @Override
    public Evidence attest(ReportData reportData) {
        return evidence(reportData).toEvidence();
    }

    /**
     * The simulated SNP platform signing the HCL report's hardware report (empty for a TDX vTPM).
     *
     * @return the SNP platform, or empty for a TDX vTPM
     */
    public Optional<SimulatedSnpPlatform> snpPlatform() {
        return Optional.ofNullable(snp);
    }

    /**
     * The simulated TDX platform quoting the HCL report's TDREPORT (empty for an SNP vTPM).
     *
     * @return the TDX platform, or empty for an SNP vTPM
     */
    public Optional<SimulatedTdxPlatform> tdxPlatform() {
        return Optional.ofNullable(tdx);
    }

    /**
     * The attestation key type.
     *
     * @return the key type chosen at build time, never {@code null}
     */
    public AkType akType() {
        return akType;
    }

    /**
     * The public attestation key ({@code HCLAkPub}).
     *
     * @return the public key a verifier finds in the runtime claims; the same key for every evidence of this vTPM
     */
    public PublicKey attestationKey() {
        return ak.getPublic();
    }

    /**
     * The SHA-256 PCR values 0..23 this vTPM reports (copies).
     *
     * @return a new mutable list of {@value #PCR_COUNT} new 32-byte arrays, PCR 0 first
     */
    public List<byte[]> pcrValues() {
        List<byte[]> out = new ArrayList<>(pcrs.size());
        pcrs.forEach(p -> out.add(p.clone()));
        return out;
    }

    /**
     * PCR {@code index} (0..23) of the SHA-256 bank (a copy).
     *
     * @param index the PCR index, 0..23
     * @return a copy of the 32-byte value
     * @throws IndexOutOfBoundsException if {@code index} is outside 0..23
     */
    public byte[] pcr(int index) {
        return pcrs.get(index).clone();
    }

    @Override
    public String toString() {
        return "SimulatedAzVtpm[" + akType + ", " + (tdx != null ? tdx : snp) + "]";
    }

    // ------------------------------------------------------------------ layouts

    /**
     * The deterministic default PCR values 0..n-1: PCR {@code i} = SHA-256 of the single byte {@code i}.
     *
     * @param n how many (1..24)
     * @return a new mutable list of {@code n} new 32-byte arrays, PCR 0 first
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if {@code n} is outside 1..24
     */
    public static List<byte[]> defaultPcrValues(int n) {
        if (n < 1 || n > PCR_COUNT) {
            throw new ConfigurationException(Reason.CONFIGURATION, "PCR count must be 1.." + PCR_COUNT);
        }
        List<byte[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(TpmAlg.digest(TpmAlg.SHA256, new byte[] {(byte) i}));
        }
        return out;
    }

    /**
     * HCL runtime claims JSON: {@code keys} with the attestation key as {@code HCLAkPub} (key_ops {@code sign}), a
     * {@code vm-configuration} (secure boot and TPM on, console off, a fixed {@code vmUniqueId}) and {@code user-data}
     * = upper-case hex of {@code userData}.
     *
     * @param attestationKey the RSA or EC (P-256, P-384, P-521) public key to publish as {@code HCLAkPub}, not
     *                       {@code null}
     * @param userData       the bytes to publish as {@code user-data}, any length, not {@code null} (not padded)
     * @return the compact UTF-8 JSON bytes, which {@link RuntimeClaims#parse(byte[])} accepts
     * @throws IllegalArgumentException if the key is neither RSA nor EC on a supported curve
     */
    public static byte[] runtimeClaims(PublicKey attestationKey, byte[] userData) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keys", List.of(Jwks.toJwk(Objects.requireNonNull(attestationKey, "attestationKey"),
                RuntimeClaims.AK_KID, "sign")));
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("console-enabled", false);
        vm.put("secure-boot", true);
        vm.put("tpm-enabled", true);
        vm.put("vmUniqueId", "00000000-0000-0000-0000-000000000001");
        m.put("vm-configuration", vm);
        m.put("user-data", HexFormat.of().withUpperCase().formatHex(userData));
        try {
            return StrictJson.MAPPER.writeValueAsBytes(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("runtime claims do not serialise", e);
        }
    }

    /**
     * An HCL report (version 2, SHA-256 variable-data hash) around a hardware report and variable data, zero-padded
     * to {@code padTo} bytes when shorter.
     *
     * @param type     the hardware report type
     * @param hwReport the {@value HclReport#HW_REPORT_SIZE}-byte hardware report (SNP report or TDREPORT area)
     * @param varData  the variable data (runtime claims JSON)
     * @param padTo    the minimum total size (0 for none)
     * @return a new array: the report, followed by zero bytes up to {@code padTo}
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if {@code hwReport} is longer than
     *                                {@value HclReport#HW_REPORT_SIZE} bytes (a shorter one is zero-filled)
     */
    public static byte[] hclReport(HclReport.ReportType type, byte[] hwReport, byte[] varData, int padTo) {
        if (hwReport.length > HclReport.HW_REPORT_SIZE) {
            throw new ConfigurationException(Reason.CONFIGURATION, "hardware report over "
                    + HclReport.HW_REPORT_SIZE + " bytes");
        }
        int size = HclReport.VARIABLE_DATA_OFFSET + varData.length;
        ByteBuffer b = ByteBuffer.allocate(Math.max(size, padTo)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(HclReport.SIGNATURE).putInt(2).putInt(size).putInt(2).putInt(0).putInt(0).putInt(0).putInt(0);
        b.put(hwReport);
        b.position(HclReport.REQUEST_DATA_OFFSET);
        b.putInt(HclReport.REQUEST_DATA_HEADER_SIZE + varData.length).putInt(1).putInt(type.code())
                .putInt(HclReport.HashType.SHA256.code()).putInt(varData.length);
        b.put(varData);
        return b.array();
    }

    /**
     * A {@code TPMS_ATTEST} quote message (TPM_ST_ATTEST_QUOTE) over the SHA-256 bank PCRs 0..pcrs-1 with this nonce
     * as qualifying data and the PCR digest of the values.
     *
     * @param nonce the qualifying data ({@code extraData}), 0..64 bytes, not {@code null}
     * @param pcrs  the values of PCRs 0..n-1 (1..24 of them), each normally 32 bytes; they are only hashed, not kept
     * @return a new marshalled {@code TPMS_ATTEST} (fixed clock info and firmware version, zero signer name)
     * @throws ConfigurationException {@link Reason#CONFIGURATION} for a nonce over 64 bytes or a PCR count outside
     *                                1..24
     */
    public static byte[] quoteMessage(byte[] nonce, List<byte[]> pcrs) {
        if (nonce.length > 64 || pcrs.isEmpty() || pcrs.size() > PCR_COUNT) {
            throw new ConfigurationException(Reason.CONFIGURATION, "nonce over 64 bytes or PCR count not 1.."
                    + PCR_COUNT);
        }
        ByteBuffer b = ByteBuffer.allocate(256);
        b.putInt(TpmsAttest.MAGIC).putShort((short) TpmsAttest.ST_ATTEST_QUOTE);
        b.putShort((short) (2 + PCR_SIZE)).putShort((short) TpmAlg.SHA256).put(new byte[PCR_SIZE]);
        b.putShort((short) nonce.length).put(nonce);
        b.putLong(123456789L).putInt(1).putInt(0).put((byte) 1).putLong(0x2023_0000_0000L);
        b.putInt(1).putShort((short) TpmAlg.SHA256).put((byte) 3);
        int bits = 0;
        for (int i = 0; i < pcrs.size(); i++) {
            bits |= 1 << i;
        }
        b.put((byte) bits).put((byte) (bits >>> 8)).put((byte) (bits >>> 16));
        byte[] digest = TpmAlg.digest(TpmAlg.SHA256, pcrs.toArray(byte[][]::new));
        b.putShort((short) digest.length).put(digest);
        return Arrays.copyOf(b.array(), b.position());
    }

    /**
     * Signs a quote message with an attestation key: an RSA key signs RSASSA-PKCS1-v1_5 SHA-256 and the signature is
     * stored bare (Trustee's form); an EC key signs ECDSA SHA-256, stored as a marshalled {@code TPMT_SIGNATURE}.
     *
     * @param attestationKey an RSA or EC P-256 private key
     * @param message        the {@code TPMS_ATTEST} bytes
     * @param pcrs           the PCR values the quote reports
     * @return the quote with the message and PCR values copied and the signature in the form described above
     * @throws ConfigurationException {@link Reason#CONFIGURATION} if the key is neither RSA nor EC
     */
    public static TpmQuote signQuote(PrivateKey attestationKey, byte[] message, List<byte[]> pcrs) {
        try {
            if (attestationKey instanceof RSAPrivateKey) {
                Signature s = Signature.getInstance("SHA256withRSA");
                s.initSign(attestationKey);
                s.update(message);
                return new TpmQuote(message, s.sign(), pcrs);
            }
            if (attestationKey instanceof ECPrivateKey) {
                Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
                s.initSign(attestationKey);
                s.update(message);
                byte[] rs = s.sign();
                int half = rs.length / 2;
                byte[] sig = new TpmSignature(TpmAlg.ECDSA, TpmAlg.SHA256, new byte[0], Arrays.copyOf(rs, half),
                        Arrays.copyOfRange(rs, half, rs.length)).marshal();
                return new TpmQuote(message, sig, pcrs);
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the simulated quote", e);
        }
        throw new ConfigurationException(Reason.CONFIGURATION, "attestation key must be RSA or EC: "
                + attestationKey.getAlgorithm());
    }

    private static KeyPair generate(AkType type, SecureRandom random) {
        try {
            if (type == AkType.RSA_2048) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(2048, random);
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate the simulated attestation key", e);
        }
    }

    /** Builder for {@link SimulatedAzVtpm}. Not thread-safe. */
    public static final class Builder {
        private SimulatedSnpPlatform snp;
        private SimulatedTdxPlatform tdx;
        private AkType akType = AkType.RSA_2048;
        private final Map<Integer, byte[]> pcrs = new LinkedHashMap<>();
        private SecureRandom random = new SecureRandom();

        private Builder() {
        }

        /**
         * The simulated SNP platform that signs the hardware report: {@code az-snp-vtpm} evidence.
         *
         * @param platform the SNP platform, not {@code null}; do not also set a TDX platform
         * @return this builder
         */
        public Builder platform(SimulatedSnpPlatform platform) {
            this.snp = Objects.requireNonNull(platform, "platform");
            return this;
        }

        /**
         * The simulated TDX platform that quotes the TDREPORT: {@code az-tdx-vtpm} evidence.
         *
         * @param platform the TDX platform, not {@code null}; do not also set an SNP platform
         * @return this builder
         */
        public Builder tdxPlatform(SimulatedTdxPlatform platform) {
            this.tdx = Objects.requireNonNull(platform, "platform");
            return this;
        }

        /**
         * The attestation key type (default {@link AkType#RSA_2048}).
         *
         * @param type the key type, not {@code null}
         * @return this builder
         */
        public Builder akType(AkType type) {
            this.akType = Objects.requireNonNull(type, "type");
            return this;
        }

        /**
         * Sets SHA-256 PCR {@code index} (0..23) to a 32-byte value instead of the default.
         *
         * @param index the PCR index, 0..23
         * @param value the 32-byte value, not {@code null}; copied
         * @return this builder
         * @throws ConfigurationException for an index out of range or a value not 32 bytes
         */
        public Builder pcr(int index, byte[] value) {
            Objects.requireNonNull(value, "value");
            if (index < 0 || index >= PCR_COUNT || value.length != PCR_SIZE) {
                throw new ConfigurationException(Reason.CONFIGURATION, "PCR index must be 0.." + (PCR_COUNT - 1)
                        + " and its value " + PCR_SIZE + " bytes");
            }
            pcrs.put(index, value.clone());
            return this;
        }

        /**
         * The randomness for the attestation key (default a new {@link SecureRandom}).
         *
         * @param random the source of randomness for key generation, not {@code null}; a seeded one gives a
         *               reproducible key only if the provider uses it deterministically
         * @return this builder
         */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Generates the attestation key and builds the vTPM.
         *
         * @return a new vTPM with a fresh attestation key
         * @throws ConfigurationException unless exactly one platform (SNP or TDX) was set
         */
        public SimulatedAzVtpm build() {
            if ((snp == null) == (tdx == null)) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "exactly one of a SimulatedSnpPlatform and a SimulatedTdxPlatform is required");
            }
            return new SimulatedAzVtpm(this);
        }
    }
}
