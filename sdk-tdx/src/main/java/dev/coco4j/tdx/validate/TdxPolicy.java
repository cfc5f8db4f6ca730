package dev.coco4j.tdx.validate;

import dev.coco4j.tdx.verify.TdxTcbStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What a relying party requires of a verified TDX quote. Immutable; build with {@link #builder()}.
 *
 * <p>Secure defaults: a TD with the DEBUG attribute is refused unless {@link Builder#allowDebug(boolean)}; the accepted
 * TCB statuses are UpToDate and SWHardeningNeeded (the latter reported as a warning with its advisory IDs); Revoked is
 * never accepted, whatever is configured. Every other requirement applies only when set. Each byte requirement may
 * list several acceptable values (any one matches).
 */
public final class TdxPolicy {
    /** The default accepted statuses. */
    public static final Set<TdxTcbStatus> DEFAULT_ACCEPTED =
            Set.copyOf(EnumSet.of(TdxTcbStatus.UP_TO_DATE, TdxTcbStatus.SW_HARDENING_NEEDED));

    final List<byte[]> mrTd;
    final List<List<byte[]>> rtmr;
    final List<byte[]> mrConfigId;
    final List<byte[]> mrOwner;
    final List<byte[]> mrOwnerConfig;
    final List<byte[]> mrSeam;
    final List<byte[]> mrSignerSeam;
    final byte[] reportData;
    final Long tdAttributes;
    final Long tdAttributesMask;
    final Long xfam;
    final Long xfamMask;
    final boolean allowDebug;
    final byte[] minimumTeeTcbSvn;
    final Instant minimumTcbDate;
    final Set<TdxTcbStatus> acceptedStatuses;

    private TdxPolicy(Builder b) {
        mrTd = List.copyOf(b.mrTd);
        rtmr = b.rtmr.stream().map(List::copyOf).toList();
        mrConfigId = List.copyOf(b.mrConfigId);
        mrOwner = List.copyOf(b.mrOwner);
        mrOwnerConfig = List.copyOf(b.mrOwnerConfig);
        mrSeam = List.copyOf(b.mrSeam);
        mrSignerSeam = List.copyOf(b.mrSignerSeam);
        reportData = b.reportData;
        tdAttributes = b.tdAttributes;
        tdAttributesMask = b.tdAttributesMask;
        xfam = b.xfam;
        xfamMask = b.xfamMask;
        allowDebug = b.allowDebug;
        minimumTeeTcbSvn = b.minimumTeeTcbSvn;
        minimumTcbDate = b.minimumTcbDate;
        EnumSet<TdxTcbStatus> s = EnumSet.noneOf(TdxTcbStatus.class);
        s.addAll(b.accepted);
        s.remove(TdxTcbStatus.REVOKED);
        acceptedStatuses = Set.copyOf(s);
    }

    /**
     * A builder with the secure defaults.
     *
     * @return a new builder with the secure defaults: debug refused, {@link #DEFAULT_ACCEPTED} statuses, nothing pinned
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The default policy: no debug, UpToDate or SWHardeningNeeded.
     *
     * @return a new policy with only the secure defaults; it pins no measurement and no REPORTDATA
     */
    public static TdxPolicy defaults() {
        return builder().build();
    }

    /**
     * The accepted TCB statuses (never Revoked).
     *
     * @return the accepted statuses, an unmodifiable set without {@link TdxTcbStatus#REVOKED}; it may be empty, which
     *     rejects every quote
     */
    public Set<TdxTcbStatus> acceptedStatuses() {
        return acceptedStatuses;
    }

    /** Builder for {@link TdxPolicy}. Byte arguments are copied; lengths are checked. */
    public static final class Builder {
        private final java.util.ArrayList<byte[]> mrTd = new java.util.ArrayList<>();
        private final List<java.util.ArrayList<byte[]>> rtmr = List.of(new java.util.ArrayList<>(),
                new java.util.ArrayList<>(), new java.util.ArrayList<>(), new java.util.ArrayList<>());
        private final java.util.ArrayList<byte[]> mrConfigId = new java.util.ArrayList<>();
        private final java.util.ArrayList<byte[]> mrOwner = new java.util.ArrayList<>();
        private final java.util.ArrayList<byte[]> mrOwnerConfig = new java.util.ArrayList<>();
        private final java.util.ArrayList<byte[]> mrSeam = new java.util.ArrayList<>();
        private final java.util.ArrayList<byte[]> mrSignerSeam = new java.util.ArrayList<>();
        private byte[] reportData;
        private Long tdAttributes;
        private Long tdAttributesMask;
        private Long xfam;
        private Long xfamMask;
        private boolean allowDebug;
        private byte[] minimumTeeTcbSvn;
        private Instant minimumTcbDate;
        private Set<TdxTcbStatus> accepted = DEFAULT_ACCEPTED;

        private Builder() {
        }

        private static byte[] len(byte[] v, int n, String what) {
            if (Objects.requireNonNull(v, what).length != n) {
                throw new IllegalArgumentException(what + " must be " + n + " bytes, got " + v.length);
            }
            return v.clone();
        }

        /**
         * Requires the workload's TDX reference values: MRTD, every pinned RTMR, and MRCONFIGID when the workload pins
         * it or binds an init-data digest there (the digest fitted to 48 bytes).
         *
         * @param workload the workload's reference values, not null; its MRTD and RTMR values are added to those
         *     already set
         * @return this builder
         * @throws dev.coco4j.core.ConfigurationException if the workload has no TDX values
         */
        public Builder referenceValues(dev.coco4j.core.reference.WorkloadReference workload) {
            var tdx = Objects.requireNonNull(workload, "workload").requireTdx();
            java.util.HexFormat hex = java.util.HexFormat.of();
            mrTd(hex.parseHex(tdx.mrTd()));
            tdx.rtmrs().forEach((i, h) -> rtmr(i, hex.parseHex(h)));
            workload.tdxMrConfigId().ifPresent(h -> mrConfigId(hex.parseHex(h)));
            return this;
        }

        /**
         * Adds an acceptable MRTD (48 bytes).
         *
         * @param v an acceptable MRTD, exactly 48 bytes, not null; copied
         * @return this builder
         * @throws IllegalArgumentException if {@code v} is not 48 bytes
         */
        public Builder mrTd(byte[] v) {
            mrTd.add(len(v, 48, "MRTD"));
            return this;
        }

        /**
         * Adds an acceptable RTMR{@code index} (48 bytes).
         *
         * @param index the register, 0 to 3
         * @param v an acceptable value of RTMR{@code index}, exactly 48 bytes, not null; copied
         * @return this builder
         * @throws IllegalArgumentException if {@code index} is not 0 to 3 or {@code v} is not 48 bytes
         */
        public Builder rtmr(int index, byte[] v) {
            if (index < 0 || index > 3) {
                throw new IllegalArgumentException("RTMR index " + index);
            }
            rtmr.get(index).add(len(v, 48, "RTMR" + index));
            return this;
        }

        /**
         * Adds an acceptable MRCONFIGID (48 bytes).
         *
         * @param v an acceptable MRCONFIGID, exactly 48 bytes, not null; copied
         * @return this builder
         * @throws IllegalArgumentException if {@code v} is not 48 bytes
         */
        public Builder mrConfigId(byte[] v) {
            mrConfigId.add(len(v, 48, "MRCONFIGID"));
            return this;
        }

        /**
         * Adds an acceptable MROWNER (48 bytes).
         *
         * @param v an acceptable MROWNER, exactly 48 bytes, not null; copied
         * @return this builder
         * @throws IllegalArgumentException if {@code v} is not 48 bytes
         */
        public Builder mrOwner(byte[] v) {
            mrOwner.add(len(v, 48, "MROWNER"));
            return this;
        }

        /**
         * Adds an acceptable MROWNERCONFIG (48 bytes).
         *
         * @param v an acceptable MROWNERCONFIG, exactly 48 bytes, not null; copied
         * @return this builder
         * @throws IllegalArgumentException if {@code v} is not 48 bytes
         */
        public Builder mrOwnerConfig(byte[] v) {
            mrOwnerConfig.add(len(v, 48, "MROWNERCONFIG"));
            return this;
        }

        /**
         * Adds an acceptable MRSEAM (48 bytes).
         *
         * @param v an acceptable MRSEAM (TDX module measurement), exactly 48 bytes, not null; copied
         * @return this builder
         * @throws IllegalArgumentException if {@code v} is not 48 bytes
         */
        public Builder mrSeam(byte[] v) {
            mrSeam.add(len(v, 48, "MRSEAM"));
            return this;
        }

        /**
         * Adds an acceptable MRSIGNERSEAM (48 bytes).
         *
         * @param v an acceptable MRSIGNERSEAM, exactly 48 bytes, not null (all zero for an Intel-signed module); copied
         * @return this builder
         * @throws IllegalArgumentException if {@code v} is not 48 bytes
         */
        public Builder mrSignerSeam(byte[] v) {
            mrSignerSeam.add(len(v, 48, "MRSIGNERSEAM"));
            return this;
        }

        /**
         * Requires this REPORTDATA (64 bytes).
         *
         * @param v the exact REPORTDATA required, 64 bytes, not null; copied; replaces an earlier value
         * @return this builder
         * @throws IllegalArgumentException if {@code v} is not 64 bytes
         */
        public Builder reportData(byte[] v) {
            reportData = len(v, 64, "REPORTDATA");
            return this;
        }

        /**
         * Requires {@code (TDATTRIBUTES & mask) == value} (little-endian integer view).
         *
         * @param value the required value of the masked bits; bits outside {@code mask} must be 0 or nothing matches
         * @param mask the TDATTRIBUTES bits to compare (see the {@code TdReportBody.ATTR_*} constants)
         * @return this builder
         */
        public Builder tdAttributes(long value, long mask) {
            tdAttributes = value;
            tdAttributesMask = mask;
            return this;
        }

        /**
         * Requires {@code (XFAM & mask) == value}.
         *
         * @param value the required value of the masked bits; bits outside {@code mask} must be 0 or nothing matches
         * @param mask the XFAM bits to compare
         * @return this builder
         */
        public Builder xfam(long value, long mask) {
            xfam = value;
            xfamMask = mask;
            return this;
        }

        /**
         * Accepts TDs with the DEBUG attribute (never by default).
         *
         * @param allow {@code true} to accept a debuggable TD, whose memory the host can read; default {@code false}
         * @return this builder
         */
        public Builder allowDebug(boolean allow) {
            allowDebug = allow;
            return this;
        }

        /**
         * Requires TEE_TCB_SVN[i] ≥ min[i] for every byte (16 bytes).
         *
         * @param min the minimum for each of the 16 TEE_TCB_SVN bytes, compared unsigned, not null; copied
         * @return this builder
         * @throws IllegalArgumentException if {@code min} is not 16 bytes
         */
        public Builder minimumTeeTcbSvn(byte[] min) {
            minimumTeeTcbSvn = len(min, 16, "TEE_TCB_SVN");
            return this;
        }

        /**
         * Requires the matched TCB level's tcbDate to be at or after this instant.
         *
         * @param date the earliest acceptable {@code tcbDate} of the matched TCB level, not null
         * @return this builder
         */
        public Builder minimumTcbDate(Instant date) {
            minimumTcbDate = Objects.requireNonNull(date, "date");
            return this;
        }

        /**
         * Replaces the accepted TCB statuses (Revoked is dropped if given).
         *
         * @param statuses the statuses to accept, not null and without null elements; copied; an empty set rejects
         *     every quote
         * @return this builder
         */
        public Builder acceptedStatuses(Set<TdxTcbStatus> statuses) {
            accepted = Set.copyOf(statuses);
            return this;
        }

        /**
         * Builds the policy.
         *
         * @return a new immutable policy; the builder can be reused
         */
        public TdxPolicy build() {
            return new TdxPolicy(this);
        }
    }

    static boolean anyEqual(List<byte[]> options, byte[] v) {
        return options.stream().anyMatch(o -> Arrays.equals(o, v));
    }
}
