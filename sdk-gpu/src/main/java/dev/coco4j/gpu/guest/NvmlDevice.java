package dev.coco4j.gpu.guest;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Collects GPU attestation evidence through NVML with the Java FFM API. Call order, as NVIDIA's tools use it:
 * {@code nvmlInit_v2} → {@code nvmlSystemGetConfComputeState} (CC must be on, DevTools mode off) →
 * {@code nvmlDeviceGetCount_v2} → {@code nvmlDeviceGetHandleByIndex_v2} → {@code nvmlSystemGetDriverVersion},
 * {@code nvmlDeviceGetArchitecture} → {@code nvmlDeviceGetConfComputeGpuCertificate} →
 * {@code nvmlDeviceGetConfComputeGpuAttestationReport} (the caller's nonce written into the struct first) →
 * {@code nvmlShutdown}.
 *
 * <p>Struct layouts (u32 = C {@code unsigned int}):
 * <pre>
 * nvmlConfComputeGpuCertificate_t (9224 bytes)
 *   0     u32 certChainSize
 *   4     u32 attestationCertChainSize       bounded by 0x1400
 *   8     u8[0x1000] certChain
 *   4104  u8[0x1400] attestationCertChain    PEM, leaf first
 * nvmlConfComputeGpuAttestationReport_t (12332 bytes)
 *   0     u32 isCecAttestationReportPresent
 *   4     u32 attestationReportSize          bounded by 0x2000
 *   8     u32 cecAttestationReportSize
 *   12    u8[32] nonce                       IN: the caller's nonce
 *   44    u8[0x2000] attestationReport       OUT
 *   8236  u8[0x1000] cecAttestationReport
 * nvmlConfComputeSystemState_t (12 bytes): u32 environment, u32 ccFeature (1 = on), u32 devToolsMode
 * </pre>
 * Sizes returned by the library are checked against the buffers. The symbol lookup is replaceable (tests bind a C
 * stand-in); by default {@code libnvidia-ml.so.1} is loaded on first use. Calls are serialized; thread-safe.
 */
public final class NvmlDevice {
    /** The NVML library NVIDIA ships. */
    public static final String LIBRARY = "libnvidia-ml.so.1";
    static final int CERT_STRUCT = 4 + 4 + 0x1000 + 0x1400;
    static final int REPORT_STRUCT = 12 + 32 + 0x2000 + 0x1000;

    private final Supplier<SymbolLookup> lookup;
    private final ReentrantLock lock = new ReentrantLock();

    /**
     * Evidence from one GPU.
     *
     * @param report the raw attestation report
     * @param certChainPem the attestation certificate chain, PEM
     * @param driverVersion NVML's driver version
     * @param architecture NVML's architecture number (9 Hopper, 10 Blackwell)
     */
    public record GpuEvidence(byte[] report, byte[] certChainPem, String driverVersion, int architecture) {
        /** Copies the arrays. */
        public GpuEvidence {
            report = report.clone();
            certChainPem = certChainPem.clone();
        }

        /** {@return a copy of the raw attestation report} */
        @Override
        public byte[] report() {
            return report.clone();
        }

        /** {@return a copy of the attestation certificate chain, PEM} */
        @Override
        public byte[] certChainPem() {
            return certChainPem.clone();
        }
    }

    private NvmlDevice(Supplier<SymbolLookup> lookup) {
        this.lookup = lookup;
    }

    /** NVML from {@value #LIBRARY}. */
    public static NvmlDevice system() {
        return new NvmlDevice(() -> SymbolLookup.libraryLookup(LIBRARY, Arena.global()));
    }

    /** NVML from an explicit symbol lookup (tests, other library paths). */
    public static NvmlDevice withLookup(SymbolLookup lookup) {
        Objects.requireNonNull(lookup, "lookup");
        return new NvmlDevice(() -> lookup);
    }

    /**
     * Collects evidence from GPU {@code index} for the caller's 32-byte nonce.
     *
     * @throws ConfigurationException CONFIGURATION if NVML is missing, CC is off or DevTools mode is on
     * @throws AttestationException MALFORMED_EVIDENCE if NVML returns out-of-range sizes
     */
    public GpuEvidence collect(int index, byte[] nonce) {
        if (nonce == null || nonce.length != 32) {
            throw new ConfigurationException(Reason.CONFIGURATION, "the GPU nonce must be exactly 32 bytes");
        }
        lock.lock();
        try (Arena arena = Arena.ofConfined()) {
            Calls c = Calls.bind(lookupOrFail());
            check(c, (int) c.init.invokeExact(), "nvmlInit_v2");
            try {
                MemorySegment state = arena.allocate(12);
                check(c, (int) c.ccState.invokeExact(state), "nvmlSystemGetConfComputeState");
                if (state.get(JAVA_INT, 4) != 1) {
                    throw new ConfigurationException(Reason.CONFIGURATION, "GPU confidential computing is not on");
                }
                if (state.get(JAVA_INT, 8) != 0) {
                    throw new ConfigurationException(Reason.CONFIGURATION,
                            "GPU is in CC DevTools mode, which is not a production confidential mode");
                }
                MemorySegment count = arena.allocate(JAVA_INT);
                check(c, (int) c.count.invokeExact(count), "nvmlDeviceGetCount_v2");
                if (index < 0 || index >= count.get(JAVA_INT, 0)) {
                    throw new ConfigurationException(Reason.CONFIGURATION, "no GPU " + index + " (NVML reports "
                            + count.get(JAVA_INT, 0) + ")");
                }
                MemorySegment handle = arena.allocate(ADDRESS);
                check(c, (int) c.handle.invokeExact(index, handle), "nvmlDeviceGetHandleByIndex_v2");
                MemorySegment dev = handle.get(ADDRESS, 0);
                MemorySegment version = arena.allocate(80);
                check(c, (int) c.driverVersion.invokeExact(version, 80), "nvmlSystemGetDriverVersion");
                MemorySegment arch = arena.allocate(JAVA_INT);
                check(c, (int) c.architecture.invokeExact(dev, arch), "nvmlDeviceGetArchitecture");

                MemorySegment cert = arena.allocate(CERT_STRUCT, 4);
                check(c, (int) c.certificate.invokeExact(dev, cert), "nvmlDeviceGetConfComputeGpuCertificate");
                int chainLen = cert.get(JAVA_INT, 4);
                bounded(chainLen, 0x1400, "attestationCertChainSize");
                byte[] chain = cert.asSlice(8 + 0x1000, chainLen).toArray(JAVA_BYTE);

                MemorySegment rep = arena.allocate(REPORT_STRUCT, 4);
                MemorySegment.copy(nonce, 0, rep, JAVA_BYTE, 12, 32);
                check(c, (int) c.report.invokeExact(dev, rep), "nvmlDeviceGetConfComputeGpuAttestationReport");
                int reportLen = rep.get(JAVA_INT, 4);
                bounded(reportLen, 0x2000, "attestationReportSize");
                byte[] report = rep.asSlice(44, reportLen).toArray(JAVA_BYTE);
                return new GpuEvidence(report, trimNul(chain), version.getString(0, StandardCharsets.US_ASCII),
                        arch.get(JAVA_INT, 0));
            } finally {
                int ignored = (int) c.shutdown.invokeExact();
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new ConfigurationException(Reason.CONFIGURATION, "NVML call failed", t);
        } finally {
            lock.unlock();
        }
    }

    private SymbolLookup lookupOrFail() {
        try {
            return lookup.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, LIBRARY + " cannot be loaded: no NVIDIA driver", e);
        }
    }

    private static void bounded(int len, int max, String field) {
        if (len <= 0 || len > max) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "NVML returned " + field + " " + len
                    + ", outside 1.." + max);
        }
    }

    private static byte[] trimNul(byte[] b) {
        int n = b.length;
        while (n > 0 && b[n - 1] == 0) {
            n--;
        }
        return Arrays.copyOf(b, n);
    }

    private static void check(Calls c, int rc, String fn) throws Throwable {
        if (rc != 0) {
            MemorySegment msg = (MemorySegment) c.errorString.invokeExact(rc);
            String text = msg.equals(MemorySegment.NULL) ? "" : msg.reinterpret(256).getString(0);
            throw new ConfigurationException(Reason.CONFIGURATION, fn + " failed: NVML error " + rc + " (" + text
                    + ")");
        }
    }

    /** Downcall handles. */
    private record Calls(MethodHandle init, MethodHandle shutdown, MethodHandle errorString, MethodHandle ccState,
                         MethodHandle count, MethodHandle handle, MethodHandle driverVersion,
                         MethodHandle architecture, MethodHandle certificate, MethodHandle report) {
        @SuppressWarnings("restricted")
        static Calls bind(SymbolLookup l) {
            Linker k = Linker.nativeLinker();
            try {
                return new Calls(
                        k.downcallHandle(find(l, "nvmlInit_v2"), FunctionDescriptor.of(JAVA_INT)),
                        k.downcallHandle(find(l, "nvmlShutdown"), FunctionDescriptor.of(JAVA_INT)),
                        k.downcallHandle(find(l, "nvmlErrorString"), FunctionDescriptor.of(ADDRESS, JAVA_INT)),
                        k.downcallHandle(find(l, "nvmlSystemGetConfComputeState"),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                        k.downcallHandle(find(l, "nvmlDeviceGetCount_v2"), FunctionDescriptor.of(JAVA_INT, ADDRESS)),
                        k.downcallHandle(find(l, "nvmlDeviceGetHandleByIndex_v2"),
                                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS)),
                        k.downcallHandle(find(l, "nvmlSystemGetDriverVersion"),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT)),
                        k.downcallHandle(find(l, "nvmlDeviceGetArchitecture"),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
                        k.downcallHandle(find(l, "nvmlDeviceGetConfComputeGpuCertificate"),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)),
                        k.downcallHandle(find(l, "nvmlDeviceGetConfComputeGpuAttestationReport"),
                                FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS)));
            } catch (IllegalCallerException e) {
                throw new ConfigurationException(Reason.CONFIGURATION,
                        "native access is not enabled for module dev.coco4j.gpu (--enable-native-access)", e);
            }
        }

        private static MemorySegment find(SymbolLookup l, String name) {
            return l.find(name).orElseThrow(() -> new ConfigurationException(Reason.CONFIGURATION,
                    "NVML symbol " + name + " not found"));
        }
    }
}
