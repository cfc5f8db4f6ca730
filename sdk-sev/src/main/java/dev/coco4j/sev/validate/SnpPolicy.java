package dev.coco4j.sev.validate;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.sev.abi.TcbVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a relying party requires of a verified SEV-SNP report, at parity with go-sev-guest's validation options.
 * Immutable; build with {@link #builder()}.
 *
 * <p>Secure default: a guest whose policy allows debugging is refused unless {@link Builder#allowDebug(boolean)}.
 * Every other requirement applies only when the caller sets it. Guest-policy permissions ({@code allowSmt},
 * {@code allowMigrationAgent}, {@code allowCxl}) default to allowed, as the guest owner chose them; set them to false
 * to require the bit be clear. {@code require*} options require a bit to be set.
 */
public final class SnpPolicy {
    final byte[] reportData;
    final byte[] measurement;
    final byte[] hostData;
    final byte[] familyId;
    final byte[] imageId;
    final byte[] reportId;
    final byte[] reportIdMa;
    final byte[] chipId;
    final Long minimumGuestSvn;
    final Integer minimumBuild;
    final Integer minimumVersion;
    final TcbVersion minimumTcb;
    final TcbVersion minimumLaunchTcb;
    final boolean permitProvisionalFirmware;
    final Integer vmpl;
    final boolean allowDebug;
    final boolean allowSmt;
    final boolean allowMigrationAgent;
    final boolean allowCxl;
    final boolean requireSingleSocket;
    final boolean requireMemAes256Xts;
    final boolean requireRaplDisabled;
    final boolean requireCiphertextHiding;
    final boolean requirePageSwapDisabled;
    final Integer minimumAbiMajor;
    final Integer minimumAbiMinor;
    final boolean platformAllowSmt;
    final boolean platformAllowTsme;
    final boolean platformRequireEcc;
    final boolean platformRequireRaplDisabled;
    final boolean platformRequireCiphertextHiding;
    final boolean platformRequireAliasCheckComplete;
    final boolean platformAllowTio;
    final boolean requireIdBlock;
    final boolean requireAuthorKey;
    final List<byte[]> trustedIdKeyDigests;
    final List<byte[]> trustedAuthorKeyDigests;
    final Long minimumLaunchMitigationVector;
    final Long minimumCurrentMitigationVector;

    private SnpPolicy(Builder b) {
        reportData = b.reportData;
        measurement = b.measurement;
        hostData = b.hostData;
        familyId = b.familyId;
        imageId = b.imageId;
        reportId = b.reportId;
        reportIdMa = b.reportIdMa;
        chipId = b.chipId;
        minimumGuestSvn = b.minimumGuestSvn;
        minimumBuild = b.minimumBuild;
        minimumVersion = b.minimumVersion;
        minimumTcb = b.minimumTcb;
        minimumLaunchTcb = b.minimumLaunchTcb;
        permitProvisionalFirmware = b.permitProvisionalFirmware;
        vmpl = b.vmpl;
        allowDebug = b.allowDebug;
        allowSmt = b.allowSmt;
        allowMigrationAgent = b.allowMigrationAgent;
        allowCxl = b.allowCxl;
        requireSingleSocket = b.requireSingleSocket;
        requireMemAes256Xts = b.requireMemAes256Xts;
        requireRaplDisabled = b.requireRaplDisabled;
        requireCiphertextHiding = b.requireCiphertextHiding;
        requirePageSwapDisabled = b.requirePageSwapDisabled;
        minimumAbiMajor = b.minimumAbiMajor;
        minimumAbiMinor = b.minimumAbiMinor;
        platformAllowSmt = b.platformAllowSmt;
        platformAllowTsme = b.platformAllowTsme;
        platformRequireEcc = b.platformRequireEcc;
        platformRequireRaplDisabled = b.platformRequireRaplDisabled;
        platformRequireCiphertextHiding = b.platformRequireCiphertextHiding;
        platformRequireAliasCheckComplete = b.platformRequireAliasCheckComplete;
        platformAllowTio = b.platformAllowTio;
        requireIdBlock = b.requireIdBlock || b.requireAuthorKey;
        requireAuthorKey = b.requireAuthorKey;
        trustedIdKeyDigests = List.copyOf(b.trustedIdKeyDigests);
        trustedAuthorKeyDigests = List.copyOf(b.trustedAuthorKeyDigests);
        minimumLaunchMitigationVector = b.minimumLaunchMitigationVector;
        minimumCurrentMitigationVector = b.minimumCurrentMitigationVector;
    }

    /**
     * The default policy: debug refused, nothing else required.
     *
     * @return a new policy that refuses debug guests and requires nothing else
     */
    public static SnpPolicy defaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a fresh builder with the defaults described on {@link SnpPolicy}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * True if debug guests are accepted.
     *
     * @return {@code true} if guests whose policy allows debugging are accepted, {@code false} (the default) if refused
     */
    public boolean allowsDebug() {
        return allowDebug;
    }

    /**
     * The required VMPL, if any.
     *
     * @return the required VMPL (0..3), or empty if any VMPL is accepted
     */
    public Optional<Integer> vmpl() {
        return Optional.ofNullable(vmpl);
    }

    /** Builder for {@link SnpPolicy}. Byte-array arguments are copied and length-checked. */
    public static final class Builder {
        private byte[] reportData;
        private byte[] measurement;
        private byte[] hostData;
        private byte[] familyId;
        private byte[] imageId;
        private byte[] reportId;
        private byte[] reportIdMa;
        private byte[] chipId;
        private Long minimumGuestSvn;
        private Integer minimumBuild;
        private Integer minimumVersion;
        private TcbVersion minimumTcb;
        private TcbVersion minimumLaunchTcb;
        private boolean permitProvisionalFirmware = true;
        private Integer vmpl;
        private boolean allowDebug;
        private boolean allowSmt = true;
        private boolean allowMigrationAgent = true;
        private boolean allowCxl = true;
        private boolean requireSingleSocket;
        private boolean requireMemAes256Xts;
        private boolean requireRaplDisabled;
        private boolean requireCiphertextHiding;
        private boolean requirePageSwapDisabled;
        private Integer minimumAbiMajor;
        private Integer minimumAbiMinor;
        private boolean platformAllowSmt = true;
        private boolean platformAllowTsme = true;
        private boolean platformRequireEcc;
        private boolean platformRequireRaplDisabled;
        private boolean platformRequireCiphertextHiding;
        private boolean platformRequireAliasCheckComplete;
        private boolean platformAllowTio = true;
        private boolean requireIdBlock;
        private boolean requireAuthorKey;
        private final List<byte[]> trustedIdKeyDigests = new ArrayList<>();
        private final List<byte[]> trustedAuthorKeyDigests = new ArrayList<>();
        private Long minimumLaunchMitigationVector;
        private Long minimumCurrentMitigationVector;

        private Builder() {
        }

        private static byte[] exact(byte[] v, int len, String name) {
            if (v == null) {
                return null;
            }
            if (v.length != len) {
                throw new ConfigurationException(Reason.CONFIGURATION, name + " must be " + len + " bytes, got "
                        + v.length);
            }
            return v.clone();
        }

        /**
         * Requires the workload's SEV-SNP reference values: MEASUREMENT, and HOST_DATA when the workload pins it or
         * binds an init-data digest there (the digest fitted to 32 bytes).
         *
         * @param workload the workload's reference values, not {@code null}; must carry SEV-SNP values
         * @return this builder
         * @throws ConfigurationException if the workload has no SEV-SNP values (a policy never silently checks
         *     nothing)
         */
        public Builder referenceValues(dev.coco4j.core.reference.WorkloadReference workload) {
            var snp = java.util.Objects.requireNonNull(workload, "workload").requireSnp();
            measurement(java.util.HexFormat.of().parseHex(snp.measurement()));
            workload.snpHostData().ifPresent(h -> hostData(java.util.HexFormat.of().parseHex(h)));
            return this;
        }

        /**
         * REPORT_DATA must equal this (64 bytes; shorter values are zero-padded).
         *
         * @param v the expected REPORT_DATA, at most 64 bytes (zero-padded to 64), or {@code null} to drop the
         *     requirement; copied
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code v} is longer than 64 bytes
         */
        public Builder reportData(byte[] v) {
            if (v != null && v.length < 64) {
                v = java.util.Arrays.copyOf(v, 64);
            }
            reportData = exact(v, 64, "report data");
            return this;
        }

        /**
         * MEASUREMENT must equal this (48 bytes).
         *
         * @param v the expected MEASUREMENT, exactly 48 bytes, or {@code null} to drop the requirement; copied
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code v} is not 48 bytes long
         */
        public Builder measurement(byte[] v) {
            measurement = exact(v, 48, "measurement");
            return this;
        }

        /**
         * HOST_DATA must equal this (32 bytes).
         *
         * @param v the expected HOST_DATA, exactly 32 bytes, or {@code null} to drop the requirement; copied
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code v} is not 32 bytes long
         */
        public Builder hostData(byte[] v) {
            hostData = exact(v, 32, "host data");
            return this;
        }

        /**
         * FAMILY_ID must equal this (16 bytes).
         *
         * @param v the expected FAMILY_ID, exactly 16 bytes, or {@code null} to drop the requirement; copied
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code v} is not 16 bytes long
         */
        public Builder familyId(byte[] v) {
            familyId = exact(v, 16, "family id");
            return this;
        }

        /**
         * IMAGE_ID must equal this (16 bytes).
         *
         * @param v the expected IMAGE_ID, exactly 16 bytes, or {@code null} to drop the requirement; copied
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code v} is not 16 bytes long
         */
        public Builder imageId(byte[] v) {
            imageId = exact(v, 16, "image id");
            return this;
        }

        /**
         * REPORT_ID must equal this (32 bytes).
         *
         * @param v the expected REPORT_ID, exactly 32 bytes, or {@code null} to drop the requirement; copied
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code v} is not 32 bytes long
         */
        public Builder reportId(byte[] v) {
            reportId = exact(v, 32, "report id");
            return this;
        }

        /**
         * REPORT_ID_MA must equal this (32 bytes).
         *
         * @param v the expected REPORT_ID_MA, exactly 32 bytes, or {@code null} to drop the requirement; copied
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code v} is not 32 bytes long
         */
        public Builder reportIdMa(byte[] v) {
            reportIdMa = exact(v, 32, "report id MA");
            return this;
        }

        /**
         * CHIP_ID must equal this (64 bytes).
         *
         * @param v the expected CHIP_ID, exactly 64 bytes, or {@code null} to drop the requirement; copied
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code v} is not 64 bytes long
         */
        public Builder chipId(byte[] v) {
            chipId = exact(v, 64, "chip id");
            return this;
        }

        /**
         * GUEST_SVN must be at least this.
         *
         * @param v the lowest acceptable GUEST_SVN (the report field is a 32-bit unsigned value)
         * @return this builder
         */
        public Builder minimumGuestSvn(long v) {
            minimumGuestSvn = v;
            return this;
        }

        /**
         * CURRENT_BUILD (and COMMITTED_BUILD) must be at least this.
         *
         * @param v the lowest acceptable firmware build number (0..255)
         * @return this builder
         */
        public Builder minimumBuild(int v) {
            minimumBuild = v;
            return this;
        }

        /**
         * Firmware API version (major &lt;&lt; 8 | minor) must be at least this.
         *
         * @param majorMinor the lowest acceptable firmware API version, major in bits 15..8 and minor in bits 7..0
         * @return this builder
         */
        public Builder minimumVersion(int majorMinor) {
            minimumVersion = majorMinor;
            return this;
        }

        /**
         * REPORTED_TCB must be at least this, component by component (same product layout).
         *
         * @param v the lowest acceptable REPORTED_TCB, or {@code null} to drop the requirement
         * @return this builder
         */
        public Builder minimumTcb(TcbVersion v) {
            minimumTcb = v;
            return this;
        }

        /**
         * LAUNCH_TCB must be at least this, component by component.
         *
         * @param v the lowest acceptable LAUNCH_TCB, or {@code null} to drop the requirement
         * @return this builder
         */
        public Builder minimumLaunchTcb(TcbVersion v) {
            minimumLaunchTcb = v;
            return this;
        }

        /**
         * If false, committed TCB, build and version must equal the current ones (no provisional firmware). Default
         * true (committed must not exceed current).
         *
         * @param v {@code true} to accept committed values below the current ones, {@code false} to require them equal
         * @return this builder
         */
        public Builder permitProvisionalFirmware(boolean v) {
            permitProvisionalFirmware = v;
            return this;
        }

        /**
         * The report must come from this VMPL (0..3).
         *
         * @param v the required VMPL, 0..3
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code v} is outside 0..3
         */
        public Builder vmpl(int v) {
            if (v < 0 || v > 3) {
                throw new ConfigurationException(Reason.CONFIGURATION, "VMPL must be 0..3, got " + v);
            }
            vmpl = v;
            return this;
        }

        /**
         * Accepts guests whose policy allows debugging (default false).
         *
         * @param v {@code true} to accept debug-enabled guests
         * @return this builder
         */
        public Builder allowDebug(boolean v) {
            allowDebug = v;
            return this;
        }

        /**
         * If false, the guest policy must not allow SMT.
         *
         * @param v {@code false} to require the guest policy's SMT bit clear; {@code true} (default) accepts either
         * @return this builder
         */
        public Builder allowSmt(boolean v) {
            allowSmt = v;
            return this;
        }

        /**
         * If false, the guest policy must not allow a migration agent.
         *
         * @param v {@code false} to require the guest policy's MIGRATE_MA bit clear; {@code true} (default) accepts
         *     either
         * @return this builder
         */
        public Builder allowMigrationAgent(boolean v) {
            allowMigrationAgent = v;
            return this;
        }

        /**
         * If false, the guest policy must not allow CXL.
         *
         * @param v {@code false} to require the guest policy's CXL_ALLOW bit clear; {@code true} (default) accepts
         *     either
         * @return this builder
         */
        public Builder allowCxl(boolean v) {
            allowCxl = v;
            return this;
        }

        /**
         * The guest policy must require a single socket.
         *
         * @param v {@code true} to require the SINGLE_SOCKET bit set; {@code false} (default) accepts either
         * @return this builder
         */
        public Builder requireSingleSocket(boolean v) {
            requireSingleSocket = v;
            return this;
        }

        /**
         * The guest policy must require AES-256-XTS memory encryption.
         *
         * @param v {@code true} to require the MEM_AES_256_XTS bit set; {@code false} (default) accepts either
         * @return this builder
         */
        public Builder requireMemAes256Xts(boolean v) {
            requireMemAes256Xts = v;
            return this;
        }

        /**
         * The guest policy must require RAPL disabled.
         *
         * @param v {@code true} to require the RAPL_DIS bit set; {@code false} (default) accepts either
         * @return this builder
         */
        public Builder requireRaplDisabled(boolean v) {
            requireRaplDisabled = v;
            return this;
        }

        /**
         * The guest policy must require ciphertext hiding.
         *
         * @param v {@code true} to require the CIPHERTEXT_HIDING bit set; {@code false} (default) accepts either
         * @return this builder
         */
        public Builder requireCiphertextHiding(boolean v) {
            requireCiphertextHiding = v;
            return this;
        }

        /**
         * The guest policy must disable page swap.
         *
         * @param v {@code true} to require the PAGE_SWAP_DISABLE bit set; {@code false} (default) accepts either
         * @return this builder
         */
        public Builder requirePageSwapDisabled(boolean v) {
            requirePageSwapDisabled = v;
            return this;
        }

        /**
         * The guest policy's minimum ABI must be at least major.minor.
         *
         * @param major the lowest acceptable ABI_MAJOR (0..255)
         * @param minor the lowest acceptable ABI_MINOR when ABI_MAJOR equals {@code major} (0..255)
         * @return this builder
         */
        public Builder minimumAbi(int major, int minor) {
            minimumAbiMajor = major;
            minimumAbiMinor = minor;
            return this;
        }

        /**
         * If false, PLATFORM_INFO must show SMT disabled.
         *
         * @param v {@code false} to require SMT disabled on the platform; {@code true} (default) accepts either
         * @return this builder
         */
        public Builder platformAllowSmt(boolean v) {
            platformAllowSmt = v;
            return this;
        }

        /**
         * If false, PLATFORM_INFO must show TSME disabled.
         *
         * @param v {@code false} to require TSME disabled on the platform; {@code true} (default) accepts either
         * @return this builder
         */
        public Builder platformAllowTsme(boolean v) {
            platformAllowTsme = v;
            return this;
        }

        /**
         * PLATFORM_INFO must show ECC memory.
         *
         * @param v {@code true} to require ECC memory; {@code false} (default) accepts either
         * @return this builder
         */
        public Builder platformRequireEcc(boolean v) {
            platformRequireEcc = v;
            return this;
        }

        /**
         * PLATFORM_INFO must show RAPL disabled.
         *
         * @param v {@code true} to require RAPL disabled on the platform; {@code false} (default) accepts either
         * @return this builder
         */
        public Builder platformRequireRaplDisabled(boolean v) {
            platformRequireRaplDisabled = v;
            return this;
        }

        /**
         * PLATFORM_INFO must show DRAM ciphertext hiding enabled.
         *
         * @param v {@code true} to require ciphertext hiding enabled; {@code false} (default) accepts either
         * @return this builder
         */
        public Builder platformRequireCiphertextHiding(boolean v) {
            platformRequireCiphertextHiding = v;
            return this;
        }

        /**
         * PLATFORM_INFO must show the alias check complete (BadRAM mitigation).
         *
         * @param v {@code true} to require the alias check complete; {@code false} (default) accepts either
         * @return this builder
         */
        public Builder platformRequireAliasCheckComplete(boolean v) {
            platformRequireAliasCheckComplete = v;
            return this;
        }

        /**
         * If false, PLATFORM_INFO must show SEV-TIO disabled.
         *
         * @param v {@code false} to require SEV-TIO disabled; {@code true} (default) accepts either
         * @return this builder
         */
        public Builder platformAllowTio(boolean v) {
            platformAllowTio = v;
            return this;
        }

        /**
         * The guest must have been launched with an ID block (non-zero ID_KEY_DIGEST).
         *
         * @param v {@code true} to require an ID block; {@code false} (default) accepts guests without one
         * @return this builder
         */
        public Builder requireIdBlock(boolean v) {
            requireIdBlock = v;
            return this;
        }

        /**
         * The guest must have an author key (AUTHOR_KEY_EN; implies an ID block).
         *
         * @param v {@code true} to require an author key (and with it an ID block); {@code false} (default) accepts
         *     either
         * @return this builder
         */
        public Builder requireAuthorKey(boolean v) {
            requireAuthorKey = v;
            return this;
        }

        /**
         * Adds an accepted ID key digest (SHA-384 of the SNP-ABI public key, 48 bytes).
         *
         * @param v an accepted ID_KEY_DIGEST, exactly 48 bytes, not {@code null}; copied. Call once per accepted key
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code v} is not 48 bytes long
         */
        public Builder trustedIdKeyDigest(byte[] v) {
            trustedIdKeyDigests.add(exact(v, 48, "ID key digest"));
            return this;
        }

        /**
         * Adds an accepted author key digest (48 bytes).
         *
         * @param v an accepted AUTHOR_KEY_DIGEST, exactly 48 bytes, not {@code null}; copied. Call once per accepted
         *     key
         * @return this builder
         * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code v} is not 48 bytes long
         */
        public Builder trustedAuthorKeyDigest(byte[] v) {
            trustedAuthorKeyDigests.add(exact(v, 48, "author key digest"));
            return this;
        }

        /**
         * LAUNCH_MIT_VECTOR must include every bit of this (v5+).
         *
         * @param v the bit mask every one of whose bits LAUNCH_MIT_VECTOR must have set
         * @return this builder
         */
        public Builder minimumLaunchMitigationVector(long v) {
            minimumLaunchMitigationVector = v;
            return this;
        }

        /**
         * CURRENT_MIT_VECTOR must include every bit of this (v5+).
         *
         * @param v the bit mask every one of whose bits CURRENT_MIT_VECTOR must have set
         * @return this builder
         */
        public Builder minimumCurrentMitigationVector(long v) {
            minimumCurrentMitigationVector = v;
            return this;
        }

        /**
         * Builds the immutable policy.
         *
         * @return a new immutable policy holding this builder's settings; later builder calls do not change it
         */
        public SnpPolicy build() {
            return new SnpPolicy(this);
        }
    }
}
