package dev.coco4j.benchmarks.report;

import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Which SDK benchmark method is compared with which raw-primitive baseline of the same class, and the target ratio
 * (sdk / baseline throughput) its class documentation states.
 *
 * @param benchmarkClass the simple class name
 * @param sdkMethod the SDK method
 * @param baselineMethod the baseline method measured in the same run
 * @param target the minimum ratio the class documents, or NaN when it documents none
 */
public record Pairing(String benchmarkClass, String sdkMethod, String baselineMethod, double target) {
    /** Checks the names. */
    public Pairing {
        Objects.requireNonNull(benchmarkClass, "benchmarkClass");
        Objects.requireNonNull(sdkMethod, "sdkMethod");
        Objects.requireNonNull(baselineMethod, "baselineMethod");
    }

    /**
     * The target ratio, if the class documents one.
     *
     * @return {@link #target()}, or empty when it is NaN
     */
    public OptionalDouble targetRatio() {
        return Double.isNaN(target) ? OptionalDouble.empty() : OptionalDouble.of(target);
    }

    /**
     * The pairs of every benchmark in this module, with the targets from each class's Javadoc (NaN where the class
     * states none).
     */
    public static final List<Pairing> ALL = List.of(
            new Pairing("SnpVerifyBenchmark", "sdkVerifySnpReport", "baselineBcEcdsaP384", 0.9),
            new Pairing("TdxVerifyBenchmark", "sdkVerifyTdxQuote", "baselineTwoBcEcdsaP256", Double.NaN),
            new Pairing("GpuVerifyBenchmark", "sdkVerify", "baselineBcEcdsa", 0.9),
            new Pairing("GpuVerifyBenchmark", "sdkParse", "baselineBcEcdsa", Double.NaN),
            new Pairing("EnvelopeStreamBenchmark", "sdkEncryptStream", "baselineJdkEncryptSegments", 0.9),
            new Pairing("EnvelopeStreamBenchmark", "sdkDecryptStream", "baselineJdkDecryptSegments", 0.9),
            new Pairing("EnvelopeRecordBenchmark", "sdkEncryptRecord", "baselineJdkEncrypt1KiB", 0.5),
            new Pairing("EnvelopeRecordBenchmark", "sdkDecryptRecord", "baselineJdkDecrypt1KiB", 0.5),
            new Pairing("EnvelopeSizeBenchmark", "sdkEncrypt", "baselineJdkEncrypt", Double.NaN),
            new Pairing("EnvelopeSizeBenchmark", "sdkDecrypt", "baselineJdkDecrypt", Double.NaN),
            new Pairing("PhiFieldBenchmark", "sdkEncryptPatient", "baselineJacksonCopyAndWrite", Double.NaN),
            new Pairing("PhiFieldBenchmark", "sdkDecryptPatient", "baselineJacksonCopyAndWrite", Double.NaN),
            new Pairing("KbsRoundTripBenchmark", "sdkKbsResourceFetch", "baselineOkHttpGet", 0.6),
            new Pairing("KbsRoundTripBenchmark", "sdkKbsResourceFetch", "baselineOkHttpGetAndRawJwe", 0.6));
}
