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

    /** A builder with the secure defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** The default policy: no debug, UpToDate or SWHardeningNeeded. */
    public static TdxPolicy defaults() {
        return builder().build();
    }

    /** The accepted TCB statuses (never Revoked). */
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

        /** Adds an acceptable MRTD (48 bytes). */
        public Builder mrTd(byte[] v) {
            mrTd.add(len(v, 48, "MRTD"));
            return this;
        }

        /** Adds an acceptable RTMR{@code index} (48 bytes). */
        public Builder rtmr(int index, byte[] v) {
            if (index < 0 || index > 3) {
                throw new IllegalArgumentException("RTMR index " + index);
            }
            rtmr.get(index).add(len(v, 48, "RTMR" + index));
            return this;
        }

        /** Adds an acceptable MRCONFIGID (48 bytes). */
        public Builder mrConfigId(byte[] v) {
            mrConfigId.add(len(v, 48, "MRCONFIGID"));
            return this;
        }

        /** Adds an acceptable MROWNER (48 bytes). */
        public Builder mrOwner(byte[] v) {
            mrOwner.add(len(v, 48, "MROWNER"));
            return this;
        }

        /** Adds an acceptable MROWNERCONFIG (48 bytes). */
        public Builder mrOwnerConfig(byte[] v) {
            mrOwnerConfig.add(len(v, 48, "MROWNERCONFIG"));
            return this;
        }

        /** Adds an acceptable MRSEAM (48 bytes). */
        public Builder mrSeam(byte[] v) {
            mrSeam.add(len(v, 48, "MRSEAM"));
            return this;
        }

        /** Adds an acceptable MRSIGNERSEAM (48 bytes). */
        public Builder mrSignerSeam(byte[] v) {
            mrSignerSeam.add(len(v, 48, "MRSIGNERSEAM"));
            return this;
        }

        /** Requires this REPORTDATA (64 bytes). */
        public Builder reportData(byte[] v) {
            reportData = len(v, 64, "REPORTDATA");
            return this;
        }

        /** Requires {@code (TDATTRIBUTES & mask) == value} (little-endian integer view). */
        public Builder tdAttributes(long value, long mask) {
            tdAttributes = value;
            tdAttributesMask = mask;
            return this;
        }

        /** Requires {@code (XFAM & mask) == value}. */
        public Builder xfam(long value, long mask) {
            xfam = value;
            xfamMask = mask;
            return this;
        }

        /** Accepts TDs with the DEBUG attribute (never by default). */
        public Builder allowDebug(boolean allow) {
            allowDebug = allow;
            return this;
        }

        /** Requires TEE_TCB_SVN[i] ≥ min[i] for every byte (16 bytes). */
        public Builder minimumTeeTcbSvn(byte[] min) {
            minimumTeeTcbSvn = len(min, 16, "TEE_TCB_SVN");
            return this;
        }

        /** Requires the matched TCB level's tcbDate to be at or after this instant. */
        public Builder minimumTcbDate(Instant date) {
            minimumTcbDate = Objects.requireNonNull(date, "date");
            return this;
        }

        /** Replaces the accepted TCB statuses (Revoked is dropped if given). */
        public Builder acceptedStatuses(Set<TdxTcbStatus> statuses) {
            accepted = Set.copyOf(statuses);
            return this;
        }

        /** Builds the policy. */
        public TdxPolicy build() {
            return new TdxPolicy(this);
        }
    }

    static boolean anyEqual(List<byte[]> options, byte[] v) {
        return options.stream().anyMatch(o -> Arrays.equals(o, v));
    }
}
