package dev.coco4j.core.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Downcall handles for {@code open(2)}, {@code ioctl(2)} and {@code close(2)}, found through a replaceable
 * {@link SymbolLookup}, each capturing {@code errno} right after the call. {@code open} and {@code ioctl} are
 * variadic in C and are bound as such. Shared by the SEV-SNP and TDX guest device bindings; the restricted FFM calls
 * happen in this module, so native access must be enabled for {@code dev.coco4j.core}.
 */
public final class NativeCalls {
    /** {@code O_RDWR | O_CLOEXEC} on Linux. */
    public static final int O_RDWR_CLOEXEC = 0x2 | 0x80000;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(PathElement.groupElement("errno"));

    private final MethodHandle open;
    private final MethodHandle ioctl;
    private final MethodHandle close;

    /**
     * A call's return value and the errno captured after it (meaningful only when the value is -1).
     *
     * @param value the function's return value; -1 means failure
     * @param errno the {@code errno} captured right after the call
     */
    public record Result(int value, int errno) {
        /**
         * True if the call returned -1.
         *
         * @return true if {@link #value()} is -1, so {@link #errno()} explains the failure
         */
        public boolean failed() {
            return value == -1;
        }
    }

    private NativeCalls(MethodHandle open, MethodHandle ioctl, MethodHandle close) {
        this.open = open;
        this.ioctl = ioctl;
        this.close = close;
    }

    /**
     * Binds the three functions.
     *
     * @param lookup where to find {@code open}, {@code ioctl} and {@code close} (normally the C library)
     * @return the bound calls; thread-safe
     * @throws AttestationException {@link Reason#CONFIGURATION} if a symbol is missing or native access is not
     *     enabled for this module
     */
    @SuppressWarnings("restricted")
    public static NativeCalls bind(SymbolLookup lookup) {
        Linker linker = Linker.nativeLinker();
        Linker.Option errno = Linker.Option.captureCallState("errno");
        try {
            MethodHandle open = linker.downcallHandle(find(lookup, "open"),
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
                    Linker.Option.firstVariadicArg(2), errno);
            MethodHandle ioctl = linker.downcallHandle(find(lookup, "ioctl"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
                    Linker.Option.firstVariadicArg(2), errno);
            MethodHandle close = linker.downcallHandle(find(lookup, "close"),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT), errno);
            return new NativeCalls(open, ioctl, close);
        } catch (IllegalCallerException e) {
            throw new AttestationException(Reason.CONFIGURATION, "native access is not enabled for module "
                    + moduleName() + "; start the JVM with --enable-native-access=" + moduleName(), e);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw new AttestationException(Reason.CONFIGURATION, "cannot bind open/ioctl/close on this platform: "
                    + e.getMessage(), e);
        }
    }

    private static String moduleName() {
        Module m = NativeCalls.class.getModule();
        return m.isNamed() ? m.getName() : "ALL-UNNAMED";
    }

    private static MemorySegment find(SymbolLookup lookup, String name) {
        return lookup.find(name).orElseThrow(() -> new AttestationException(Reason.CONFIGURATION,
                "symbol '" + name + "' not found by the configured SymbolLookup"));
    }

    /**
     * {@return the result and errno of {@code open(path, flags)}}, using scratch memory from {@code arena}
     *
     * @param arena the arena for the C string and captured state; must stay open during the call
     * @param path the file path, encoded as UTF-8
     * @param flags the {@code open(2)} flags
     */
    public Result open(Arena arena, String path, int flags) {
        MemorySegment state = arena.allocate(CAPTURE);
        MemorySegment cPath = arena.allocateFrom(path);
        try {
            int rc = (int) open.invokeExact(state, cPath, flags, 0);
            return new Result(rc, errno(state));
        } catch (Throwable t) {
            throw unexpected("open", t);
        }
    }

    /**
     * {@return the result and errno of {@code ioctl(fd, request, arg)}}, using scratch memory from {@code arena}
     *
     * @param arena the arena for the captured state; must stay open during the call
     * @param fd an open file descriptor
     * @param request the ioctl request number
     * @param arg the argument structure, native memory the driver reads and writes
     */
    public Result ioctl(Arena arena, int fd, long request, MemorySegment arg) {
        MemorySegment state = arena.allocate(CAPTURE);
        try {
            int rc = (int) ioctl.invokeExact(state, fd, request, arg);
            return new Result(rc, errno(state));
        } catch (Throwable t) {
            throw unexpected("ioctl", t);
        }
    }

    /**
     * {@return the result and errno of {@code close(fd)}}, using scratch memory from {@code arena}
     *
     * @param arena the arena for the captured state; must stay open during the call
     * @param fd the file descriptor to close
     */
    public Result close(Arena arena, int fd) {
        MemorySegment state = arena.allocate(CAPTURE);
        try {
            int rc = (int) close.invokeExact(state, fd);
            return new Result(rc, errno(state));
        } catch (Throwable t) {
            throw unexpected("close", t);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    private static RuntimeException unexpected(String call, Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        return new AttestationException(Reason.SERVICE_UNAVAILABLE, "native " + call + " failed: " + t, t);
    }

    /**
     * The symbolic name of common errno values, for messages.
     *
     * @param errno an errno value
     * @return the symbolic name such as {@code ENOENT}, or {@code errno N} for values not in the table
     */
    public static String errnoName(int errno) {
        return switch (errno) {
            case 1 -> "EPERM";
            case 2 -> "ENOENT";
            case 5 -> "EIO";
            case 6 -> "ENXIO";
            case 9 -> "EBADF";
            case 11 -> "EAGAIN";
            case 12 -> "ENOMEM";
            case 13 -> "EACCES";
            case 14 -> "EFAULT";
            case 16 -> "EBUSY";
            case 19 -> "ENODEV";
            case 22 -> "EINVAL";
            case 25 -> "ENOTTY";
            case 28 -> "ENOSPC";
            case 95 -> "EOPNOTSUPP";
            default -> "errno " + errno;
        };
    }

    /** Binds on first use, once, thread-safely: device classes construct cheaply and fail only when used. */
    public static final class LazyBinding {
        private final SymbolLookup lookup;
        private volatile NativeCalls calls;

        /**
         * A binding that will use {@code lookup}.
         *
         * @param lookup where to find the C functions when first needed; not bound until {@link #get()}
         */
        public LazyBinding(SymbolLookup lookup) {
            this.lookup = lookup;
        }

        /**
         * The bound calls.
         *
         * @return the calls, bound on the first call and cached afterwards
         * @throws AttestationException with {@link Reason#CONFIGURATION} if binding fails (as for {@link #bind})
         */
        public NativeCalls get() {
            NativeCalls c = calls;
            if (c == null) {
                synchronized (this) {
                    c = calls;
                    if (c == null) {
                        c = bind(lookup);
                        calls = c;
                    }
                }
            }
            return c;
        }
    }

    /**
     * Opens a guest device read-write, mapping failures to typed errors: absent (ENOENT, ENXIO, ENODEV) is
     * {@link Reason#CONFIGURATION} with {@code absentHint} appended, no permission (EPERM, EACCES) is
     * {@link Reason#CONFIGURATION}, anything else {@link Reason#SERVICE_UNAVAILABLE}.
     *
     * @param arena the arena for the call's scratch memory; must stay open during the call
     * @param path the device node, e.g. {@code /dev/sev-guest}
     * @param absentHint what to tell the user when the device is absent
     * @return the open file descriptor; the caller closes it with {@link #closeDevice}
     * @throws AttestationException with {@link Reason#CONFIGURATION} if the device is absent or not permitted, or
     *     {@link Reason#SERVICE_UNAVAILABLE} for any other errno
     */
    public int openDevice(Arena arena, java.nio.file.Path path, String absentHint) {
        Result r = open(arena, path.toString(), O_RDWR_CLOEXEC);
        if (!r.failed()) {
            return r.value();
        }
        String name = errnoName(r.errno());
        throw switch (r.errno()) {
            case 2, 6, 19 -> new AttestationException(Reason.CONFIGURATION, path + " is not present (" + name
                    + "); " + absentHint);
            case 1, 13 -> new AttestationException(Reason.CONFIGURATION, "no permission to open " + path + " ("
                    + name + "); it needs root or access to the device node");
            default -> new AttestationException(Reason.SERVICE_UNAVAILABLE, "cannot open " + path + ": " + name);
        };
    }

    /**
     * Closes a device descriptor; a failure is logged as a warning, since the work is already done.
     *
     * @param arena the arena for the call's scratch memory; must stay open during the call
     * @param fd the descriptor returned by {@link #openDevice}
     * @param path the device path, for the warning only
     */
    public void closeDevice(Arena arena, int fd, java.nio.file.Path path) {
        Result r = close(arena, fd);
        if (r.failed()) {
            System.getLogger(NativeCalls.class.getName()).log(System.Logger.Level.WARNING,
                    "close({0}) of {1} failed: {2}", fd, path, errnoName(r.errno()));
        }
    }
}
