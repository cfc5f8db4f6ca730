package dev.coco4j.gpu.guest;

import static dev.coco4j.gpu.GpuTests.thrown;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.core.spi.Attesters;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.gpu.sim.SimulatedGpu;
import dev.coco4j.gpu.validate.GpuEvidenceVerifier;
import dev.coco4j.gpu.validate.GpuPolicy;
import dev.coco4j.gpu.verify.GpuReportVerifier;
import dev.coco4j.gpu.verify.GpuTrustRoots;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Several GPUs through the C stand-in NVML (target/libfake_nvml.so): one nonce for all, GpuAttester over the SPI. */
class MultiGpuNvmlTest {
    static final Path LIB = NvmlDeviceTest.LIB;
    static final SimulatedGpu GPU = SimulatedGpu.create();
    static SymbolLookup lookup;
    static MethodHandle setDevice;
    static MethodHandle devices;
    static MethodHandle nonceOf;
    static MethodHandle mode;

    @BeforeAll
    @SuppressWarnings("restricted")
    static void load() {
        assumeTrue(Files.isRegularFile(LIB), "no " + LIB + " (gcc missing?)");
        lookup = SymbolLookup.libraryLookup(LIB, Arena.global());
        Linker k = Linker.nativeLinker();
        setDevice = k.downcallHandle(lookup.find("fake_nvml_set_device").orElseThrow(),
                FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        devices = k.downcallHandle(lookup.find("fake_nvml_devices").orElseThrow(), FunctionDescriptor.ofVoid(JAVA_INT));
        nonceOf = k.downcallHandle(lookup.find("fake_nvml_nonce_of").orElseThrow(),
                FunctionDescriptor.ofVoid(JAVA_INT, ADDRESS));
        mode = k.downcallHandle(lookup.find("fake_nvml_mode").orElseThrow(),
                FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    }

    @AfterEach
    void oneGpuAgain() throws Throwable {
        devices.invokeExact(1);
        mode.invokeExact(1, 0, 0, 0);
    }

    /** n GPUs, each reporting for {@code nonce} (device i's report differs: ECDSA signatures are randomized). */
    static void gpus(int n, byte[] nonce) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            for (int i = 0; i < n; i++) {
                byte[] report = GPU.report(nonce);
                byte[] chain = GPU.certChainPem();
                setDevice.invokeExact(i, a.allocateFrom(JAVA_BYTE, report), report.length,
                        a.allocateFrom(JAVA_BYTE, chain), chain.length);
            }
        }
        devices.invokeExact(n);
        mode.invokeExact(1, 0, 0, 0);
    }

    static byte[] nonceSeenBy(int i) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(32);
            nonceOf.invokeExact(i, out);
            return out.toArray(JAVA_BYTE);
        }
    }

    @Test
    void collectsEveryGpuWithOneNonceInOneSession() throws Throwable {
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        gpus(3, nonce);
        List<NvmlDevice.GpuEvidence> all = NvmlDevice.withLookup(lookup).collectAll(nonce);
        assertThat(all).hasSize(3);
        GpuReportVerifier v = GpuReportVerifier.builder().offline(true).trustRoots(GpuTrustRoots.of(GPU.deviceRoot()))
                .build();
        for (int i = 0; i < 3; i++) {
            assertThat(nonceSeenBy(i)).as("nonce NVML got for GPU %d", i).isEqualTo(nonce);
            assertThat(v.verify(all.get(i).report(), all.get(i).certChainPem(), nonce, Instant.now()).report().nonce())
                    .isEqualTo(nonce);
        }
        assertThat(all.get(0).report()).isNotEqualTo(all.get(1).report());
    }

    @Test
    void attesterUsesTheFirst32BytesOfTheReportDataForEveryGpu() throws Throwable {
        byte[] rd = new byte[64];
        new SecureRandom().nextBytes(rd);
        byte[] nonce = Arrays.copyOf(rd, 32);
        gpus(2, nonce);
        GpuAttester attester = new GpuAttester(NvmlDevice.withLookup(lookup));
        assertThat(attester.isAvailable()).isTrue();
        assertThat(attester.describeAvailability()).contains("2 GPU(s)");
        List<Evidence> all = attester.attestAll(ReportData.of(rd));
        assertThat(all).hasSize(2).allMatch(e -> e.tee() == TeeType.NVIDIA_GPU);
        assertThat(nonceSeenBy(1)).isEqualTo(nonce);
        GpuReportVerifier v = GpuReportVerifier.builder().offline(true).trustRoots(GpuTrustRoots.of(GPU.deviceRoot()))
                .build();
        assertThat(v.verify(all.get(1).data(), all.get(1).auxiliary(), nonce, Instant.now()).report().nonce())
                .isEqualTo(nonce);
        // the SPI verifier binds the same way: expected report data -> its first 32 bytes
        GpuEvidenceVerifier spi = GpuEvidenceVerifier.builder().trustRoots(GpuTrustRoots.of(GPU.deviceRoot()))
                .policy(GpuPolicy.builder().requireRims(false).build()).build();
        VerificationOptions opts = VerificationOptions.builder().offline(true).expectedReportData(ReportData.of(rd))
                .build();
        assertThat(spi.verify(all.get(0), opts).claim("eat_nonce")).isEqualTo(HexFormat.of().formatHex(nonce));
        byte[] otherRd = rd.clone();
        otherRd[5] ^= 1;
        assertThat(thrown(() -> spi.verify(all.get(0), VerificationOptions.builder().offline(true)
                .expectedReportData(ReportData.of(otherRd)).build())).reason()).isEqualTo(Reason.NONCE_MISMATCH);
        // the SPI's single Evidence cannot carry two GPUs: refused, not one picked silently
        CocoException e = thrown(() -> attester.attest(ReportData.of(rd)));
        assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(e.detail()).contains("attestAll");
        gpus(1, nonce);
        assertThat(attester.attest(ReportData.of(rd)).auxiliary()).isEqualTo(GPU.certChainPem());
    }

    @Test
    void detectionExplainsWhyNoGpuIsUsable() throws Throwable {
        byte[] nonce = new byte[32];
        gpus(0, nonce);
        GpuAttester attester = new GpuAttester(NvmlDevice.withLookup(lookup));
        assertThat(attester.isAvailable()).isFalse();
        assertThat(attester.describeAvailability()).contains("no GPU");
        assertThat(thrown(() -> attester.attestAll(ReportData.zero())).reason()).isEqualTo(Reason.CONFIGURATION);
        gpus(1, nonce);
        mode.invokeExact(0, 0, 0, 0);
        assertThat(attester.isAvailable()).isFalse();
        assertThat(attester.describeAvailability()).contains("confidential computing is not on");
        mode.invokeExact(1, 1, 0, 0);
        assertThat(attester.describeAvailability()).contains("DevTools");
        GpuAttester noDriver = new GpuAttester(NvmlDevice.fromLibrary(Path.of("/nonexistent/libnvidia-ml.so.1")));
        assertThat(noDriver.isAvailable()).isFalse();
        assertThat(noDriver.describeAvailability()).contains("cannot be loaded");
        assertThat(thrown(() -> noDriver.attest(ReportData.zero())).reason()).isEqualTo(Reason.CONFIGURATION);
    }

    @Test
    void registeredThroughTheAttesterSpi() {
        Attester a = Attesters.forTee(TeeType.NVIDIA_GPU).orElseThrow();
        assertThat(a).isInstanceOf(GpuAttester.class);
        assertThat(a.describeAvailability()).isNotBlank();
        // listed by detectAll exactly when NVML is usable here; never the primary TEE of detect()
        assertThat(Attesters.detectAll().stream().anyMatch(x -> x instanceof GpuAttester)).isEqualTo(a.isAvailable());
        CocoException e = thrown(Attesters::detect);
        assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
    }
}
