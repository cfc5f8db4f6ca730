package dev.coco4j.sev.sim;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.sev.abi.FirmwareVersion;
import dev.coco4j.sev.abi.GuestPolicy;
import dev.coco4j.sev.abi.PlatformInfo;
import dev.coco4j.sev.abi.SignerInfo;
import dev.coco4j.sev.abi.SignerInfo.SigningKey;
import dev.coco4j.sev.abi.SnpCertTable;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.abi.SnpReportBuilder;
import dev.coco4j.sev.abi.TcbVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * A simulated AMD SEV-SNP platform: it holds its own AMD-shaped certificate chain (ARK → ASK → VCEK and
 * ARK → ASVK → VLEK) and produces attestation reports signed like real firmware signs them, for development and
 * tests without SEV-SNP hardware.
 *
 * <p><b>Never trusted by default.</b> The simulator's ARK is a fresh key generated for each instance (or shared on
 * request with {@link Builder#sameAuthorityAs(SimulatedSnpPlatform)}), and its names say
 * {@code O=Simulated AMD (coco4j sim)}. It is not one of AMD's roots, so verification against the pinned AMD roots
 * refuses simulated evidence; to accept it, pass {@link #ark()} explicitly as the trusted root, in tests only.
 *
 * <p>What is faithful to hardware:
 * <ul>
 *   <li>the report layout for versions 2 to 5, with CPUID family/model/stepping written for v3+ as the product's
 *       real parts report them (Milan 0x19/0x01/1, Genoa 0x19/0x11/1, Turin 0x1A/0x02/1);</li>
 *   <li>the signature: ECDSA P-384 with SHA-384 over the first 0x2A0 bytes, R and S stored as 72-byte little-endian
 *       zero-padded integers;</li>
 *   <li>REPORTED_TCB, CURRENT_TCB, COMMITTED_TCB and LAUNCH_TCB all equal the configured TCB, and the endorsement
 *       certificate's SPL extensions equal its components (FMC included on Turin);</li>
 *   <li>the chain's shape: RSASSA-PSS SHA-384/MGF1-SHA-384/salt 48 signatures, a self-signed CA ARK, ASK/ASVK with
 *       pathLen 0, a VCEK/VLEK with serial 0, no standard extensions and only AMD's extensions
 *       ({@code 1.3.6.1.4.1.3704.1.*}: structVersion, productName, SPLs, the hwID as raw bytes — 64 bytes, 8 on
 *       Turin — for the VCEK and a cspID for the VLEK).</li>
 * </ul>
 * What differs on purpose: the ARK, ASK and ASVK are RSA-2048 rather than AMD's RSA-4096 (so a platform is created
 * in a fraction of a second), their serial numbers are random, they carry no CRL distribution point, and the VCEK's
 * validity starts one day before the builder's clock and ends seven years after it (the VLEK's after one year).
 *
 * <p>Keys are generated once, when {@link Builder#build()} runs; both the VCEK and the VLEK chain exist whichever
 * {@linkplain Builder#signingKey(SigningKey) signing key} is chosen. A platform built with
 * {@link Builder#sameAuthorityAs(SimulatedSnpPlatform)} reuses another platform's ARK, ASK and ASVK and generates only
 * its own two endorsement keys. Immutable and thread-safe; no private key is ever exposed.
 *
 * <pre>{@code
 * SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().product(SnpProduct.TURIN).build();
 * Evidence evidence = sim.evidence(ReportData.of(nonce));
 * // verify with sim.ark() passed explicitly as the trusted root
 * }</pre>
 */
public final class SimulatedSnpPlatform {
    /** The cspID written into the simulated VLEK unless the builder sets another. */
    public static final String DEFAULT_CSP_ID = "CN=sim.coco4j.invalid";
    /** The default guest policy: SMT allowed and reserved bit 17 set; no debug, no migration agent. */
    public static final long DEFAULT_POLICY = GuestPolicy.SMT | GuestPolicy.RESERVED_ONE;
    /** The default platform info: SMT enabled, ECC memory, alias check complete (as on real Milan and Genoa). */
    public static final long DEFAULT_PLATFORM_INFO =
            PlatformInfo.SMT_EN | PlatformInfo.ECC_EN | PlatformInfo.ALIAS_CHECK_COMPLETE;

    private final SnpProduct product;
    private final SigningKey signingKey;
    private final int reportVersion;
    private final byte[] chipId;
    private final TcbVersion tcb;
    private final long policy;
    private final byte[] measurement;
    private final byte[] hostData;
    private final byte[] familyId;
    private final byte[] imageId;
    private final byte[] reportId;
    private final int vmpl;
    private final int guestSvn;
    private final FirmwareVersion firmware;
    private final long platformInfo;
    private final long mitigationVector;

    private final SecureRandom random;
    private final SimChain.Issued arkIssued;
    private final SimChain.Issued askIssued;
    private final SimChain.Issued asvkIssued;
    private final X509Certificate ark;
    private final X509Certificate ask;
    private final X509Certificate asvk;
    private final X509Certificate vcek;
    private final X509Certificate vlek;
    private final PrivateKey endorsementKey;
    private final SnpCertTable certTable;

    private SimulatedSnpPlatform(Builder b, byte[] chipId, TcbVersion tcb, FirmwareVersion firmware) {
        this.product = b.product;
        this.signingKey = b.signingKey;
        this.reportVersion = b.reportVersion;
        this.chipId = chipId;
        this.tcb = tcb;
        this.policy = b.policy;
        this.measurement = b.measurement.clone();
        this.hostData = b.hostData.clone();
        this.familyId = b.familyId.clone();
        this.imageId = b.imageId.clone();
        this.vmpl = b.vmpl;
        this.guestSvn = b.guestSvn;
        this.firmware = firmware;
        this.platformInfo = b.platformInfo;
        this.mitigationVector = b.mitigationVector;
        this.random = b.random;
        this.reportId = new byte[32];
        random.nextBytes(reportId);

        SimChain chain = new SimChain(random, b.clock.instant());
        if (b.authority != null) {
            this.arkIssued = b.authority.arkIssued;
            this.askIssued = b.authority.askIssued;
            this.asvkIssued = b.authority.asvkIssued;
        } else {
            this.arkIssued = chain.ark(product);
            this.askIssued = chain.intermediate("SEV-" + product.kdsName(), arkIssued);
            this.asvkIssued = chain.intermediate("SEV-VLEK-" + product.kdsName(), arkIssued);
        }
        SimChain.Issued vcekIssued = chain.vcek(product, tcb, chipId, askIssued);
        SimChain.Issued vlekIssued = chain.vlek(product, tcb, b.cspId, asvkIssued);
        this.ark = arkIssued.certificate();
        this.ask = askIssued.certificate();
        this.asvk = asvkIssued.certificate();
        this.vcek = vcekIssued.certificate();
        this.vlek = vlekIssued.certificate();
        boolean useVlek = signingKey == SigningKey.VLEK;
        this.endorsementKey = (useVlek ? vlekIssued : vcekIssued).keys().getPrivate();
        this.certTable = new SnpCertTable(List.of(
                new SnpCertTable.Entry(useVlek ? SnpCertTable.VLEK : SnpCertTable.VCEK, der(useVlek ? vlek : vcek)),
                new SnpCertTable.Entry(SnpCertTable.ASK, der(useVlek ? asvk : ask)),
                new SnpCertTable.Entry(SnpCertTable.ARK, der(ark))));
    }

    /**
     * A builder with the defaults described on each of its methods.
     *
     * @return a new builder; {@link Builder#build()} generates the keys
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A signed report carrying {@code reportData}, with every other field as configured.
     *
     * @param reportData the 64-byte REPORT_DATA
     * @return a new report of the configured version, signed by {@link #endorsementKeyCertificate()}'s key
     */
    public SnpReport report(ReportData reportData) {
        return report(reportData, UnaryOperator.identity());
    }

    /**
     * A signed report carrying {@code reportData}, after {@code tweak} has modified the unsigned report. The tweak
     * runs before signing, so a test can produce a debug-policy, wrong-VMPL or otherwise unusual report that is still
     * validly signed by this platform's endorsement key. Whatever the tweak writes into the signature area is
     * replaced by the real signature. (To get a report whose signature does not verify, modify the result with
     * {@link SnpReport#toBuilder()} instead.)
     *
     * @param reportData the 64-byte REPORT_DATA
     * @param tweak applied to the filled-in builder; returns the builder to sign (usually the same one)
     * @return the tweaked report with a valid signature over its signed part
     */
    public SnpReport report(ReportData reportData, UnaryOperator<SnpReportBuilder> tweak) {
        Objects.requireNonNull(reportData, "reportData");
        Objects.requireNonNull(tweak, "tweak");
        SnpReportBuilder b = SnpReport.builder(reportVersion)
                .guestSvn(guestSvn)
                .policy(policy)
                .familyId(familyId)
                .imageId(imageId)
                .vmpl(vmpl)
                .currentTcb(tcb.raw())
                .platformInfo(platformInfo)
                .signerInfo(SignerInfo.of(signingKey, false, false))
                .reportData(reportData.toByteArray())
                .measurement(measurement)
                .hostData(hostData)
                .reportId(reportId)
                .reportedTcb(tcb.raw())
                .chipId(chipId)
                .committedTcb(tcb.raw())
                .currentFirmware(firmware)
                .committedFirmware(firmware)
                .launchTcb(tcb.raw());
        if (reportVersion >= 3) {
            int[] cpuid = cpuid(product);
            b.cpuid(cpuid[0], cpuid[1], cpuid[2]);
        }
        if (reportVersion >= 5) {
            b.launchMitigationVector(mitigationVector).currentMitigationVector(mitigationVector);
        }
        SnpReportBuilder toSign = Objects.requireNonNull(tweak.apply(b), "tweak returned null");
        byte[] p1363 = sign(toSign.signedBytes());
        int half = p1363.length / 2;
        toSign.signature(littleEndian72(p1363, 0, half), littleEndian72(p1363, half, half));
        return toSign.build();
    }

    /**
     * Evidence as a guest on this platform would collect it through configfs-tsm: the signed report and the GHCB
     * certificate table from {@link #certTable()}.
     *
     * @param reportData the 64-byte REPORT_DATA to bind, not {@code null}
     * @return new {@link TeeType#SNP} evidence: the report bytes, with the serialised certificate table as auxiliary
     *     bytes
     */
    public Evidence evidence(ReportData reportData) {
        return new Evidence(TeeType.SNP, report(reportData).toBytes(), certTable.toBytes());
    }

    /**
     * Writes the files the {@code coco4j sim snp --out DIR} command produces and returns the report written:
     * {@code report.bin} (the raw report), {@code vcek.der} (the endorsement certificate in DER: the VCEK, or the VLEK
     * in VLEK mode), {@code ask.pem} (the ASK, or the ASVK in VLEK mode) and {@code ark.pem}. Creates {@code dir} if
     * needed and replaces existing files of those names.
     *
     * @param dir the output directory, not {@code null}; created if missing
     * @param reportData the 64-byte REPORT_DATA to bind, not {@code null}
     * @return the report that was written to {@code report.bin}
     * @throws IOException if a file cannot be written
     */
    public SnpReport writeTo(Path dir, ReportData reportData) throws IOException {
        SnpReport report = report(reportData);
        Files.createDirectories(dir);
        Files.write(dir.resolve("report.bin"), report.toBytes());
        Files.write(dir.resolve("vcek.der"), der(endorsementKeyCertificate()));
        Files.writeString(dir.resolve("ask.pem"), Certificates.toPem(intermediate()), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("ark.pem"), Certificates.toPem(ark), StandardCharsets.US_ASCII);
        return report;
    }

    /**
     * The GHCB certificate table a host would supply with this platform's reports: the endorsement certificate under
     * the VCEK or VLEK GUID, the ASK (or ASVK) under the ASK GUID, and the ARK under the ARK GUID, all in DER.
     *
     * @return the table (immutable; the same instance for every call)
     */
    public SnpCertTable certTable() {
        return certTable;
    }

    /**
     * The simulated AMD root key certificate (self-signed). Trust it only explicitly, and only in tests.
     *
     * @return the self-signed simulated ARK
     */
    public X509Certificate ark() {
        return ark;
    }

    /**
     * The simulated AMD SEV signing key certificate ({@code CN=SEV-<Product>}), issued by the ARK.
     *
     * @return the simulated ASK
     */
    public X509Certificate ask() {
        return ask;
    }

    /**
     * The simulated AMD SEV VLEK signing key certificate ({@code CN=SEV-VLEK-<Product>}), issued by the ARK.
     *
     * @return the simulated ASVK
     */
    public X509Certificate asvk() {
        return asvk;
    }

    /**
     * The simulated VCEK ({@code CN=SEV-VCEK}), issued by the ASK; it signs reports in VCEK mode.
     *
     * @return the simulated VCEK, issued even in VLEK mode
     */
    public X509Certificate vcek() {
        return vcek;
    }

    /**
     * The simulated VLEK ({@code CN=SEV-VLEK}), issued by the ASVK; it signs reports in VLEK mode.
     *
     * @return the simulated VLEK, issued even in VCEK mode
     */
    public X509Certificate vlek() {
        return vlek;
    }

    /**
     * The certificate of the key that signs this platform's reports: {@link #vcek()} or {@link #vlek()}.
     *
     * @return the VLEK in VLEK mode, otherwise the VCEK
     */
    public X509Certificate endorsementKeyCertificate() {
        return signingKey == SigningKey.VLEK ? vlek : vcek;
    }

    /**
     * The intermediate that issued {@link #endorsementKeyCertificate()}: {@link #ask()} or {@link #asvk()}.
     *
     * @return the ASVK in VLEK mode, otherwise the ASK
     */
    public X509Certificate intermediate() {
        return signingKey == SigningKey.VLEK ? asvk : ask;
    }

    /**
     * A CRL signed by this platform's ARK (AMD's PSS parameters), valid from {@code thisUpdate} to
     * {@code nextUpdate}, revoking the given certificates (typically {@link #ask()} or {@link #asvk()}) — the shape of
     * AMD's {@code /vcek/v1/{product}/crl}, for testing revocation.
     *
     * @param thisUpdate the CRL's thisUpdate, not {@code null}
     * @param nextUpdate the CRL's nextUpdate, not {@code null}; not checked against {@code thisUpdate}, so a test can
     *     build an inconsistent CRL
     * @param revoked the certificates whose serial numbers to list; may be empty for a CRL that revokes nothing
     * @return a new CRL signed by the simulated ARK
     */
    public java.security.cert.X509CRL crl(java.time.Instant thisUpdate, java.time.Instant nextUpdate,
                                          X509Certificate... revoked) {
        java.math.BigInteger[] serials = new java.math.BigInteger[revoked.length];
        for (int i = 0; i < revoked.length; i++) {
            serials[i] = revoked[i].getSerialNumber();
        }
        return SimChain.crl(arkIssued, thisUpdate, nextUpdate, serials);
    }

    /**
     * This platform's ARK, ASK and ASVK as verifier trust roots — to be passed explicitly, e.g.
     * {@code SnpReportVerifier.builder().trustRoots(platform.trustRoots())}. Nothing trusts them by default.
     *
     * @return new trust roots holding only this platform's product with its simulated ARK, ASK and ASVK
     */
    public dev.coco4j.sev.verify.SnpTrustRoots trustRoots() {
        return dev.coco4j.sev.verify.SnpTrustRoots.builder().product(product(), ark(), ask(), asvk()).build();
    }

    /**
     * The simulated product.
     *
     * @return the product configured at build time
     */
    public SnpProduct product() {
        return product;
    }

    /**
     * The kind of key that signs reports ({@link SigningKey#VCEK} or {@link SigningKey#VLEK}).
     *
     * @return {@link SigningKey#VCEK} or {@link SigningKey#VLEK}
     */
    public SigningKey signingKey() {
        return signingKey;
    }

    /**
     * The report version produced (2 to 5).
     *
     * @return the VERSION of every report this platform makes, 2..5
     */
    public int reportVersion() {
        return reportVersion;
    }

    /**
     * The TCB written into every TCB field of the reports and into the endorsement certificate's extensions.
     *
     * @return the TCB, encoded for {@link #product()}
     */
    public TcbVersion tcb() {
        return tcb;
    }

    /**
     * CHIP_ID as written into reports: 64 bytes (on Turin, 8 meaningful bytes followed by 56 zeros). A copy.
     *
     * @return a fresh 64-byte copy of the chip id
     */
    public byte[] chipId() {
        return chipId.clone();
    }

    @Override
    public String toString() {
        return "SimulatedSnpPlatform[product=" + product + ", signingKey=" + signingKey + ", reportVersion="
                + reportVersion + ", tcb=" + tcb + ", chipId=" + HexFormat.of().formatHex(chipId, 0, 8) + "...]";
    }

    private byte[] sign(byte[] message) {
        try {
            Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
            s.initSign(endorsementKey, random);
            s.update(message);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a simulated report", e);
        }
    }

    /** Reverses {@code len} big-endian bytes into a 72-byte little-endian, zero-padded field. */
    private static byte[] littleEndian72(byte[] src, int off, int len) {
        byte[] out = new byte[SnpReport.SIGNATURE_COMPONENT_LENGTH];
        for (int i = 0; i < len; i++) {
            out[i] = src[off + len - 1 - i];
        }
        return out;
    }

    /** CPUID family, model and stepping of the product's parts as reports v3+ carry them. */
    static int[] cpuid(SnpProduct product) {
        return switch (product) {
            case MILAN -> new int[] {0x19, 0x01, 1};
            case GENOA -> new int[] {0x19, 0x11, 1};
            case TURIN -> new int[] {0x1A, 0x02, 1};
        };
    }

    private static byte[] der(X509Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Configures a {@link SimulatedSnpPlatform}. Not thread-safe. Setters check what they can alone; {@link #build()}
     * checks the combination (TCB layout and chip id against the product) before generating any key.
     */
    public static final class Builder {
        private SnpProduct product = SnpProduct.GENOA;
        private SigningKey signingKey = SigningKey.VCEK;
        private byte[] chipId;
        private TcbVersion tcb;
        private long policy = DEFAULT_POLICY;
        private byte[] measurement = sha384("coco4j simulated SEV-SNP launch measurement");
        private byte[] hostData = new byte[32];
        private byte[] familyId = new byte[16];
        private byte[] imageId = new byte[16];
        private int vmpl;
        private int guestSvn;
        private FirmwareVersion firmware;
        private long platformInfo = DEFAULT_PLATFORM_INFO;
        private int reportVersion = 5;
        private long mitigationVector;
        private String cspId = DEFAULT_CSP_ID;
        private Clock clock = Clock.systemUTC();
        private SecureRandom random;
        private SimulatedSnpPlatform authority;

        private Builder() {
        }

        /**
         * The product (default {@link SnpProduct#GENOA}); decides the TCB layout, CPUID, hwID length and names.
         *
         * @param product the product to simulate, not {@code null}
         * @return this builder
         */
        public Builder product(SnpProduct product) {
            this.product = Objects.requireNonNull(product, "product");
            return this;
        }

        /**
         * Which key signs reports: {@link SigningKey#VCEK} (default) or {@link SigningKey#VLEK}.
         *
         * @param signingKey {@link SigningKey#VCEK} or {@link SigningKey#VLEK}, not {@code null}
         * @return this builder
         * @throws ConfigurationException for {@code NONE} or {@code RESERVED}
         */
        public Builder signingKey(SigningKey signingKey) {
            Objects.requireNonNull(signingKey, "signingKey");
            if (signingKey != SigningKey.VCEK && signingKey != SigningKey.VLEK) {
                throw invalid("the simulator signs with a VCEK or a VLEK, not " + signingKey);
            }
            this.signingKey = signingKey;
            return this;
        }

        /**
         * CHIP_ID: 64 bytes, or on Turin 8 bytes (padded with 56 zeros) or 64 bytes whose last 56 are zero. Default:
         * random (8 random bytes and 56 zeros on Turin). An all-zero id simulates MASK_CHIP_ID.
         *
         * @param chipId the chip id, 8 or 64 bytes, not {@code null}; copied
         * @return this builder
         * @throws ConfigurationException if not 8 or 64 bytes long ({@link #build()} checks it against the product)
         */
        public Builder chipId(byte[] chipId) {
            if (chipId.length != 64 && chipId.length != 8) {
                throw invalid("CHIP_ID is 64 bytes (or 8 on Turin), got " + chipId.length);
            }
            this.chipId = chipId.clone();
            return this;
        }

        /**
         * The TCB reported in REPORTED/CURRENT/COMMITTED/LAUNCH_TCB and in the endorsement certificate. It must be
         * encoded for the configured product ({@link TcbVersion#of}). Default per product, from real parts: Milan
         * bl=4 tee=0 snp=24 ucode=219; Genoa bl=10 tee=0 snp=25 ucode=84; Turin fmc=1 bl=1 tee=1 snp=4 ucode=81.
         *
         * @param tcb the TCB, not {@code null}; checked against the product by {@link #build()}
         * @return this builder
         */
        public Builder tcb(TcbVersion tcb) {
            this.tcb = Objects.requireNonNull(tcb, "tcb");
            return this;
        }

        /**
         * POLICY (default {@link SimulatedSnpPlatform#DEFAULT_POLICY}, 0x30000). Any value is written as is.
         *
         * @param policy the raw 64-bit guest policy, see {@link GuestPolicy}
         * @return this builder
         */
        public Builder policy(long policy) {
            this.policy = policy;
            return this;
        }

        /**
         * MEASUREMENT, 48 bytes (default: SHA-384 of a fixed text, the same for every instance).
         *
         * @param measurement exactly 48 bytes, not {@code null}; copied
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if not 48 bytes long
         */
        public Builder measurement(byte[] measurement) {
            this.measurement = exactly(measurement, 48, "MEASUREMENT");
            return this;
        }

        /**
         * HOST_DATA, 32 bytes (default zeros).
         *
         * @param hostData exactly 32 bytes, not {@code null}; copied
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if not 32 bytes long
         */
        public Builder hostData(byte[] hostData) {
            this.hostData = exactly(hostData, 32, "HOST_DATA");
            return this;
        }

        /**
         * FAMILY_ID, 16 bytes (default zeros).
         *
         * @param familyId exactly 16 bytes, not {@code null}; copied
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if not 16 bytes long
         */
        public Builder familyId(byte[] familyId) {
            this.familyId = exactly(familyId, 16, "FAMILY_ID");
            return this;
        }

        /**
         * IMAGE_ID, 16 bytes (default zeros).
         *
         * @param imageId exactly 16 bytes, not {@code null}; copied
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if not 16 bytes long
         */
        public Builder imageId(byte[] imageId) {
            this.imageId = exactly(imageId, 16, "IMAGE_ID");
            return this;
        }

        /**
         * VMPL of the requester, 0 to 3 (default 0).
         *
         * @param vmpl the VMPL, 0..3
         * @return this builder
         * @throws ConfigurationException if out of range
         */
        public Builder vmpl(int vmpl) {
            if (vmpl < 0 || vmpl > 3) {
                throw invalid("VMPL is 0..3, got " + vmpl);
            }
            this.vmpl = vmpl;
            return this;
        }

        /**
         * GUEST_SVN (default 0), as an unsigned 32-bit value.
         *
         * @param guestSvn the GUEST_SVN bits; negative values stand for values above {@code Integer.MAX_VALUE}
         * @return this builder
         */
        public Builder guestSvn(int guestSvn) {
            this.guestSvn = guestSvn;
            return this;
        }

        /**
         * The firmware version written as CURRENT and COMMITTED version. Default per product, from real parts: Milan
         * 1.55.29, Genoa 1.55.43, Turin 1.55.65.
         *
         * @param firmware the version, not {@code null}; each part 0..255
         * @return this builder
         * @throws ConfigurationException if a part does not fit in a byte
         */
        public Builder firmwareVersion(FirmwareVersion firmware) {
            if ((firmware.major() | firmware.minor() | firmware.build()) >>> 8 != 0) {
                throw invalid("each firmware version part is 0..255, got " + firmware);
            }
            this.firmware = firmware;
            return this;
        }

        /**
         * PLATFORM_INFO (default {@link SimulatedSnpPlatform#DEFAULT_PLATFORM_INFO}, 0x25).
         *
         * @param platformInfo the raw PLATFORM_INFO bits, see {@link PlatformInfo}; written as is
         * @return this builder
         */
        public Builder platformInfo(long platformInfo) {
            this.platformInfo = platformInfo;
            return this;
        }

        /**
         * The report VERSION, 2 to 5 (default 5). CPUID fields are written from version 3, mitigation vectors from
         * version 5.
         *
         * @param version the report version, 2..5
         * @return this builder
         * @throws ConfigurationException if outside 2..5
         */
        public Builder reportVersion(int version) {
            if (version < SnpReport.MIN_VERSION || version > SnpReport.MAX_VERSION) {
                throw invalid("report version is " + SnpReport.MIN_VERSION + ".." + SnpReport.MAX_VERSION + ", got "
                        + version);
            }
            this.reportVersion = version;
            return this;
        }

        /**
         * LAUNCH_MIT_VECTOR and CURRENT_MIT_VECTOR for report version 5 (default 0).
         *
         * @param mitigationVector the bits written to both vectors; ignored for report versions below 5
         * @return this builder
         */
        public Builder mitigationVector(long mitigationVector) {
            this.mitigationVector = mitigationVector;
            return this;
        }

        /**
         * The cspID IA5String of the VLEK (default {@link SimulatedSnpPlatform#DEFAULT_CSP_ID}).
         *
         * @param cspId the cspID, ASCII only, not {@code null}
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code cspId} is not ASCII
         */
        public Builder cspId(String cspId) {
            Objects.requireNonNull(cspId, "cspId");
            if (!StandardCharsets.US_ASCII.newEncoder().canEncode(cspId)) {
                throw invalid("cspID must be ASCII (an IA5String)");
            }
            this.cspId = cspId;
            return this;
        }

        /**
         * The clock that dates the certificates (default the UTC system clock): every certificate is valid from one
         * day before its instant; the ARK, ASK and ASVK for 25 years after it, the VCEK for 7 and the VLEK for 1.
         *
         * @param clock the clock read once by {@link #build()}, not {@code null}
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * The source of keys, serials, default chip id and REPORT_ID (default a new {@link SecureRandom}).
         *
         * @param random the randomness source, not {@code null}; kept and used for signing as well
         * @return this builder
         */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random, "random");
            return this;
        }

        /**
         * Issues this platform's VCEK and VLEK under the ARK, ASK and ASVK of {@code other}, instead of generating a
         * new root: two simulated chips of one product under one simulated AMD, as AMD issues every chip's VCEK under
         * the same ARK. The platforms then share {@link SimulatedSnpPlatform#ark()}, {@link SimulatedSnpPlatform#ask()}
         * and {@link SimulatedSnpPlatform#asvk()} (and their
         * validity dates) while their chip ids and endorsement keys differ. It also makes {@link #build()} much
         * faster, since only two P-384 keys are generated. {@code other} must simulate the same product.
         *
         * @param other the platform whose ARK, ASK and ASVK (and their private keys) issue this one's certificates, not
         *     {@code null}
         * @return this builder
         */
        public Builder sameAuthorityAs(SimulatedSnpPlatform other) {
            this.authority = Objects.requireNonNull(other, "other");
            return this;
        }

        /**
         * Checks the configuration, generates the platform's keys and issues its certificates.
         *
         * @return a new platform with freshly generated endorsement keys (and a fresh authority unless one was shared)
         * @throws ConfigurationException if the TCB is encoded for another product, the chip id does not fit the
         *     product (8 bytes or a non-zero tail on a product other than Turin's 8-byte id), or the
         *     {@linkplain #sameAuthorityAs authority} simulates another product
         */
        public SimulatedSnpPlatform build() {
            if (authority != null && authority.product != product) {
                throw invalid("cannot issue a " + product + " VCEK under the " + authority.product + " ARK");
            }
            TcbVersion t = tcb != null ? tcb : defaultTcb(product);
            if (t.product() != product) {
                throw invalid("TCB " + t + " is encoded for " + t.product() + ", not " + product);
            }
            if (random == null) {
                random = new SecureRandom();
            }
            byte[] id = chipId != null ? checkedChipId(chipId, product) : randomChipId(product, random);
            FirmwareVersion fw = firmware != null ? firmware : defaultFirmware(product);
            return new SimulatedSnpPlatform(this, id, t, fw);
        }

        private static byte[] checkedChipId(byte[] id, SnpProduct product) {
            int meaningful = product.hwIdLength();
            if (id.length == 8 && meaningful != 8) {
                throw invalid("an 8-byte CHIP_ID is for Turin; " + product + " needs 64 bytes");
            }
            byte[] full = Arrays.copyOf(id, 64);
            for (int i = meaningful; i < 64; i++) {
                if (full[i] != 0) {
                    throw invalid("on " + product + " only the first " + meaningful
                            + " CHIP_ID bytes are meaningful; the rest must be zero");
                }
            }
            return full;
        }

        private static byte[] randomChipId(SnpProduct product, SecureRandom random) {
            byte[] meaningful = new byte[product.hwIdLength()];
            random.nextBytes(meaningful);
            meaningful[0] |= 1; // never all zero, which would read as MASK_CHIP_ID
            return Arrays.copyOf(meaningful, 64);
        }

        private static TcbVersion defaultTcb(SnpProduct product) {
            return switch (product) {
                case MILAN -> TcbVersion.of(product, 4, 0, 24, 219, -1);
                case GENOA -> TcbVersion.of(product, 10, 0, 25, 84, -1);
                case TURIN -> TcbVersion.of(product, 1, 1, 4, 81, 1);
            };
        }

        private static FirmwareVersion defaultFirmware(SnpProduct product) {
            return switch (product) {
                case MILAN -> new FirmwareVersion(1, 55, 29);
                case GENOA -> new FirmwareVersion(1, 55, 43);
                case TURIN -> new FirmwareVersion(1, 55, 65);
            };
        }

        private static byte[] exactly(byte[] value, int length, String field) {
            if (value.length != length) {
                throw invalid(field + " is " + length + " bytes, got " + value.length);
            }
            return value.clone();
        }

        private static byte[] sha384(String text) {
            try {
                return MessageDigest.getInstance("SHA-384").digest(text.getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("JDK lacks SHA-384", e);
            }
        }

        private static ConfigurationException invalid(String detail) {
            return new ConfigurationException(Reason.CONFIGURATION, detail);
        }
    }
}
