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

    /**
     * NVML from {@value #LIBRARY}.
     *
     * @return a binding that loads {@value #LIBRARY} from the system library path at first use (not now)
     */
    public static NvmlDevice system() {
        return new NvmlDevice(() -> SymbolLookup.libraryLookup(LIBRARY, Arena.global()));
    }

    /**
     * NVML from an explicit symbol lookup (tests, other library paths).
     *
     * @param lookup the lookup that finds the NVML symbols; must not be {@code null}; kept and used for every call
     * @return a binding over that lookup
     */
    public static NvmlDevice withLookup(SymbolLookup lookup) {
        Objects.requireNonNull(lookup, "lookup");
        return new NvmlDevice(() -> lookup);
    }

    /**
     * NVML from the library file at {@code path} (another install location; a missing file is a CONFIGURATION error
     * at first use, and {@link #probe()} reports it).
     *
     * @param path the path of the NVML shared library; must not be {@code null}; loaded at first use, not now
     * @return a binding over that library file
     */
    public static NvmlDevice fromLibrary(java.nio.file.Path path) {
        Objects.requireNonNull(path, "path");
        return new NvmlDevice(() -> SymbolLookup.libraryLookup(path, Arena.global()));
    }

    /**
     * What NVML says about this machine, for diagnostics and auto-detection.
     *
     * @param usable true if NVML loaded, CC is on, DevTools mode is off and at least one GPU is present
     * @param deviceCount the GPUs NVML reports (0 when it could not be asked)
     * @param description one line saying what was probed and found
     */
    public record Probe(boolean usable, int deviceCount, String description) {
        /** Checks non-null. */
        public Probe {
            Objects.requireNonNull(description, "description");
        }
    }

    /**
     * Probes NVML without collecting evidence: library present, initialisable, CC on, DevTools off, GPUs present.
     * Never throws; a failure is described in the result.
     *
     * @return the probe result; {@code usable} is {@code true} only if evidence can be collected now
     */
    public Probe probe() {
        lock.lock();
        try (Arena arena = Arena.ofConfined()) {
            SymbolLookup l;
            try {
                l = lookup.get();
            } catch (RuntimeException e) {
                return new Probe(false, 0, LIBRARY + " cannot be loaded (no NVIDIA driver installed)");
            }
            Calls c;
            try {
                c = Calls.bind(l);
            } catch (RuntimeException e) {
                return new Probe(false, 0, "NVML is not usable: " + e.getMessage());
            }
            try {
                check(c, (int) c.init.invokeExact(), "nvmlInit_v2");
            } catch (Throwable t) {
                return new Probe(false, 0, "NVML does not initialise: " + t.getMessage());
            }
            try {
                int n = checkState(c, arena);
                if (n == 0) {
                    return new Probe(false, 0, "NVML reports no GPU");
                }
                return new Probe(true, n, "NVML reports " + n + " GPU(s) with confidential computing on");
            } finally {
                int ignored = (int) c.shutdown.invokeExact();
            }
        } catch (Throwable t) {
            return new Probe(false, 0, t instanceof dev.coco4j.core.CocoException ce ? ce.detail()
                    : "NVML probe failed: " + t.getClass().getSimpleName());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Collects evidence from GPU {@code index} for the caller's 32-byte nonce.
     *
     * @param index the NVML device index, 0 to the device count minus one
     * @param nonce the 32-byte nonce written into the GET_MEASUREMENTS request; not modified
     * @return that GPU's report, PEM chain (trailing NUL bytes removed), driver version and architecture number
     * @throws ConfigurationException CONFIGURATION if NVML is missing, CC is off or DevTools mode is on
     * @throws AttestationException MALFORMED_EVIDENCE if NVML returns out-of-range sizes
     * @throws ConfigurationException {@link Reason#CONFIGURATION} also if {@code nonce} is not 32 bytes or there is no
     *     GPU {@code index}
     */
    public GpuEvidence collect(int index, byte[] nonce) {
        return run(nonce, index);
    }

    /**
     * Collects evidence from every GPU NVML reports, in index order, all for the same 32-byte nonce, within one NVML
     * session (one {@code nvmlInit_v2} ... {@code nvmlShutdown}).
     *
     * @param nonce the 32-byte nonce written into every GPU's GET_MEASUREMENTS request; not modified
     * @return an unmodifiable list with one entry per GPU, in NVML index order; never empty
     * @throws ConfigurationException CONFIGURATION if NVML is missing, CC is off, DevTools mode is on or there is no
     *     GPU
     * @throws AttestationException MALFORMED_EVIDENCE if NVML returns out-of-range sizes for any GPU
     * @throws ConfigurationException {@link Reason#CONFIGURATION} also if {@code nonce} is not 32 bytes
     */
    public java.util.List<GpuEvidence> collectAll(byte[] nonce) {
        return java.util.List.copyOf(runAll(nonce));
    }

    private GpuEvidence run(byte[] nonce, int index) {
        return inSession(nonce, (c, arena, count) -> {
            if (index < 0 || index >= count) {
                throw new ConfigurationException(Reason.CONFIGURATION, "no GPU " + index + " (NVML reports " + count
                        + ")");
            }
            return collectOne(c, arena, index, nonce);
        });
    }

    private java.util.List<GpuEvidence> runAll(byte[] nonce) {
        return inSession(nonce, (c, arena, count) -> {
            if (count <= 0) {
                throw new ConfigurationException(Reason.CONFIGURATION, "NVML reports no GPU");
            }
            java.util.List<GpuEvidence> out = new java.util.ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(collectOne(c, arena, i, nonce));
            }
            return out;
        });
    }

    /** What runs inside one NVML session, after the CC state was checked. */
    @FunctionalInterface
    private interface Session<T> {
        T run(Calls c, Arena arena, int count) throws Throwable;
    }

    /**
     * One NVML session under the lock: checks the nonce, {@code nvmlInit_v2}, the CC state, {@code body}, then
     * {@code nvmlShutdown} whatever happened; a failed native call becomes {@link Reason#CONFIGURATION}.
     */
    private <T> T inSession(byte[] nonce, Session<T> body) {
        requireNonce(nonce);
        lock.lock();
        try (Arena arena = Arena.ofConfined()) {
            Calls c = Calls.bind(lookupOrFail());
            check(c, (int) c.init.invokeExact(), "nvmlInit_v2");
            try {
                return body.run(c, arena, checkState(c, arena));
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

    private static void requireNonce(byte[] nonce) {
        if (nonce == null || nonce.length != 32) {
            throw new ConfigurationException(Reason.CONFIGURATION, "the GPU nonce must be exactly 32 bytes");
        }
    }

    /** CC on, DevTools off; returns the device count. */
    private static int checkState(Calls c, Arena arena) throws Throwable {
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
        return count.get(JAVA_INT, 0);
    }

    private static GpuEvidence collectOne(Calls c, Arena arena, int index, byte[] nonce) throws Throwable {
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
