package dev.coco4j.gpu.validate;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.internal.Hex;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.gpu.abi.GpuAttestationReport;
import dev.coco4j.gpu.abi.GpuMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies the evidence of several GPUs of one machine, all collected for one nonce. Each GPU goes through the
 * {@link GpuEvidenceVerifier} (every check it makes); then the GPUs' assignment modes (FEATURE_FLAG opaque field,
 * {@link GpuMode}) must agree. The set is accepted only if every GPU passes: one failing GPU fails all, and the
 * exception lists every failing GPU by index with its own reason (the exception's {@link CocoException#reason()} is
 * the first one's).
 *
 * <p><b>PPCIe.</b> In Protected PCIe mode the GPUs talk through NVSwitches whose own evidence must be attested for the
 * topology to be trusted; this SDK does not collect or verify NVSwitch evidence. A set in {@link GpuMode#PPCIE} mode
 * is therefore refused with {@link Reason#POLICY_VIOLATION} saying so, unless
 * {@link Builder#allowPpcieWithoutSwitchEvidence} accepts it (then with a warning). Thread-safe.
 */
public final class MultiGpuVerifier {
    private final GpuEvidenceVerifier verifier;
    private final boolean allowPpcie;

    private MultiGpuVerifier(Builder b) {
        this.verifier = b.verifier;
        this.allowPpcie = b.allowPpcie;
    }

    /**
     * A builder; {@link Builder#verifier} is required.
     *
     * @return a new builder with PPCIe refused and no GPU verifier yet
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The result for a set of GPUs.
     *
     * @param mode the GPUs' common mode, or empty when their reports carry no FEATURE_FLAG
     * @param gpus one result per GPU, in the order given
     * @param warnings warnings about the set as a whole (each GPU's own are in its result)
     */
    public record Result(Optional<GpuMode> mode, List<AttestationResult> gpus, List<String> warnings) {
        /** Copies the lists. */
        public Result {
            Objects.requireNonNull(mode, "mode");
            gpus = List.copyOf(gpus);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Verifies every GPU's evidence for the same 32-byte nonce.
     *
     * @param evidence one {@link dev.coco4j.core.TeeType#NVIDIA_GPU} evidence per GPU, at least one; must not be
     *     {@code null}; the results keep its order
     * @param nonce the 32-byte nonce every GPU report must carry; not modified
     * @param options the verification options applied to every GPU; must not be {@code null}
     * @return the common mode, one result per GPU in the given order, and the set's own warnings
     * @throws CocoException the first failing GPU's reason, every failing GPU listed in
     *     {@link CocoException#failures()}; {@link Reason#POLICY_VIOLATION} for mixed modes or PPCIe without switch
     *     evidence; {@link Reason#CONFIGURATION} for an empty list
     */
    public Result verify(List<Evidence> evidence, byte[] nonce, VerificationOptions options) {
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(options, "options");
        if (evidence.isEmpty()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "no GPU evidence given");
        }
        List<CocoException.Failure> failures = new ArrayList<>();
        List<AttestationResult> results = new ArrayList<>();
        List<Optional<GpuMode>> modes = new ArrayList<>();
        for (int i = 0; i < evidence.size(); i++) {
            Evidence e = evidence.get(i);
            try {
                AttestationResult r = verifier.verify(e, nonce, options);
                modes.add(GpuAttestationReport.parse(Hex.rawOrHex(e.data())).opaqueData().mode());
                results.add(r);
            } catch (CocoException ex) {
                for (CocoException.Failure f : ex.failures()) {
                    failures.add(new CocoException.Failure(f.reason(), "GPU " + i + ": " + f.detail()));
                }
            }
        }
        if (!failures.isEmpty()) {
            throw new AttestationException(failures);
        }
        Optional<GpuMode> mode = commonMode(modes);
        List<String> warnings = new ArrayList<>();
        if (mode.filter(m -> m == GpuMode.PPCIE).isPresent()) {
            if (!allowPpcie) {
                throw new AttestationException(Reason.POLICY_VIOLATION, "the GPUs are in PPCIe (protected PCIe) mode: "
                        + "the NVSwitches' evidence must be attested too, and this verifier has none; allow PPCIe "
                        + "without switch evidence explicitly to accept GPU evidence alone");
            }
            warnings.add("PPCIe mode: the NVSwitches were not attested (allowed by policy)");
        }
        return new Result(mode, results, warnings);
    }

    /**
     * The one mode all GPUs report (empty if none carries a FEATURE_FLAG).
     *
     * @throws AttestationException {@link Reason#POLICY_VIOLATION} if they differ, or only some carry one
     */
    static Optional<GpuMode> commonMode(List<Optional<GpuMode>> modes) {
        Set<GpuMode> seen = EnumSet.noneOf(GpuMode.class);
        long without = modes.stream().filter(Optional::isEmpty).count();
        modes.forEach(m -> m.ifPresent(seen::add));
        if (seen.size() > 1 || (!seen.isEmpty() && without > 0)) {
            throw new AttestationException(Reason.POLICY_VIOLATION, "the GPUs report different modes " + seen
                    + (without > 0 ? " (" + without + " without FEATURE_FLAG)" : ""));
        }
        return seen.stream().findFirst();
    }

    @Override
    public String toString() {
        return "MultiGpuVerifier[" + verifier + (allowPpcie ? ", PPCIe without switch evidence allowed" : "") + "]";
    }

    /** Builds a {@link MultiGpuVerifier}. Not thread-safe. */
    public static final class Builder {
        private GpuEvidenceVerifier verifier;
        private boolean allowPpcie;

        private Builder() {
        }

        /**
         * The verifier each GPU's evidence goes through (required).
         *
         * @param value the single-GPU verifier, with its policy and trust roots; must not be {@code null}
         * @return this builder
         */
        public Builder verifier(GpuEvidenceVerifier value) {
            this.verifier = Objects.requireNonNull(value, "verifier");
            return this;
        }

        /**
         * Accept PPCIe mode without NVSwitch evidence, with a warning (default false: refused).
         *
         * @param value {@code true} to accept a PPCIe set with a warning, {@code false} to refuse it with
         *     {@link Reason#POLICY_VIOLATION}
         * @return this builder
         */
        public Builder allowPpcieWithoutSwitchEvidence(boolean value) {
            this.allowPpcie = value;
            return this;
        }

        /**
         * The verifier.
         *
         * @return a new, thread-safe verifier; the builder can be reused
         * @throws ConfigurationException {@link Reason#CONFIGURATION} without a GPU verifier
         */
        public MultiGpuVerifier build() {
            if (verifier == null) {
                throw new ConfigurationException(Reason.CONFIGURATION, "a multi-GPU verifier needs a GPU verifier");
            }
            return new MultiGpuVerifier(this);
        }
    }
}
