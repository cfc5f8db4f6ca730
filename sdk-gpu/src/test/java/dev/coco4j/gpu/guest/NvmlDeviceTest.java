package dev.coco4j.gpu.guest;

import static dev.coco4j.gpu.GpuTests.thrown;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import dev.coco4j.gpu.sim.SimulatedGpu;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** NvmlDevice against the C stand-in target/libfake_nvml.so (built in process-test-classes when gcc exists). */
class NvmlDeviceTest {
    static final Path LIB = Path.of(System.getProperty("basedir", "."), "target", "libfake_nvml.so");
    static final SimulatedGpu GPU = SimulatedGpu.create();
    static SymbolLookup lookup;
    static MethodHandle set;
    static MethodHandle mode;
    static MethodHandle lastNonce;
    static MethodHandle stat;

    @BeforeAll
    @SuppressWarnings("restricted")
    static void load() {
        assumeTrue(Files.isRegularFile(LIB), "no " + LIB + " (gcc missing?)");
        lookup = SymbolLookup.libraryLookup(LIB, Arena.global());
        Linker k = Linker.nativeLinker();
        set = k.downcallHandle(lookup.find("fake_nvml_set").orElseThrow(),
                FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
        mode = k.downcallHandle(lookup.find("fake_nvml_mode").orElseThrow(),
                FunctionDescriptor.ofVoid(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
        lastNonce = k.downcallHandle(lookup.find("fake_nvml_last_nonce").orElseThrow(),
                FunctionDescriptor.ofVoid(ADDRESS));
        stat = k.downcallHandle(lookup.find("fake_nvml_stat").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    static void configure(byte[] report, byte[] chain, int cc, int devTools, int fail, int badLen) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment r = a.allocateFrom(JAVA_BYTE, report);
            MemorySegment c = a.allocateFrom(JAVA_BYTE, chain);
            set.invokeExact(r, report.length, c, chain.length);
        }
        mode.invokeExact(cc, devTools, fail, badLen);
    }

    @Test
    void collectsEvidenceThatCarriesTheCallersNonceAndVerifies() throws Throwable {
        byte[] nonce = new byte[32];
        new SecureRandom().nextBytes(nonce);
        configure(GPU.report(nonce), GPU.certChainPem(), 1, 0, 0, 0);
        int initsBefore = (int) stat.invokeExact(0);
        NvmlDevice.GpuEvidence e = NvmlDevice.withLookup(lookup).collect(0, nonce);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment got = a.allocate(32);
            lastNonce.invokeExact(got);
            assertThat(got.toArray(JAVA_BYTE)).isEqualTo(nonce);
        }
        assertThat(e.driverVersion()).isEqualTo("999.01.01");
        assertThat(e.architecture()).isEqualTo(9);
        assertThat((int) stat.invokeExact(0)).isEqualTo(initsBefore + 1);
        assertThat((int) stat.invokeExact(2)).as("shut down").isZero();
        GpuReportVerifier v = GpuReportVerifier.builder().offline(true).trustRoots(GpuTrustRoots.of(GPU.deviceRoot()))
                .build();
        assertThat(v.verify(e.report(), e.certChainPem(), nonce, Instant.now()).fwidChecked()).isTrue();
    }

    @Test
    void refusesWhenCcIsOffOrDevTools() throws Throwable {
        byte[] nonce = new byte[32];
        configure(GPU.report(nonce), GPU.certChainPem(), 0, 0, 0, 0);
        assertThat(thrown(() -> NvmlDevice.withLookup(lookup).collect(0, nonce)).getMessage()).contains("not on");
        configure(GPU.report(nonce), GPU.certChainPem(), 1, 1, 0, 0);
        assertThat(thrown(() -> NvmlDevice.withLookup(lookup).collect(0, nonce)).getMessage()).contains("DevTools");
        assertThat((int) stat.invokeExact(2)).as("shut down after a refusal").isZero();
    }

    @Test
    void nvmlErrorsAndBadSizesAreTyped() throws Throwable {
        byte[] nonce = new byte[32];
        configure(GPU.report(nonce), GPU.certChainPem(), 1, 0, 1, 0);
        CocoException e = thrown(() -> NvmlDevice.withLookup(lookup).collect(0, nonce));
        assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(e.getMessage()).contains("nvmlDeviceGetConfComputeGpuAttestationReport").contains("Not Supported");
        configure(GPU.report(nonce), GPU.certChainPem(), 1, 0, 0, 0x3000);
        assertThat(thrown(() -> NvmlDevice.withLookup(lookup).collect(0, nonce)).reason())
                .isEqualTo(Reason.MALFORMED_EVIDENCE);
        mode.invokeExact(1, 0, 0, 0);
        assertThat(thrown(() -> NvmlDevice.withLookup(lookup).collect(3, nonce)).reason())
                .isEqualTo(Reason.CONFIGURATION);
        assertThat(thrown(() -> NvmlDevice.withLookup(lookup).collect(0, new byte[31])).reason())
                .isEqualTo(Reason.CONFIGURATION);
    }

    @Test
    void aMissingLibraryIsAConfigurationError() {
        assertThat(thrown(() -> NvmlDevice.withLookup(name -> java.util.Optional.empty()).collect(0, new byte[32]))
                .reason()).isEqualTo(Reason.CONFIGURATION);
    }
}
