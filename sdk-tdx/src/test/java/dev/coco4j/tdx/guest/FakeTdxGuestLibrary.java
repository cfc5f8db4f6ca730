package dev.coco4j.tdx.guest;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The C stand-in for the tdx_guest driver ({@code src/test/c/fake_tdx_guest.c}), built by gcc into
 * {@code target/libfake_tdx_guest.so} in the process-test-classes phase (only when gcc is on PATH). {@link #lookup()}
 * maps {@code open}, {@code ioctl} and {@code close} to the fake's functions. Global state: tests run one at a time.
 */
final class FakeTdxGuestLibrary {
    static final int MODE_OK = 0;
    static final int MODE_IOCTL_EIO = 1;
    static final int MODE_OPEN_ENOENT = 2;
    static final int MODE_OPEN_EACCES = 3;
    static final int MODE_IGNORE_REPORTDATA = 4;
    static final int MODE_IOCTL_ENOTTY = 5;

    static final int STAT_OPENS = 0;
    static final int STAT_CLOSES = 1;
    static final int STAT_IOCTLS = 2;
    static final int STAT_OPEN_FDS = 3;
    static final int STAT_LAST_OPEN_FLAGS = 4;
    static final int STAT_LAST_REQUEST_LOW32 = 5;

    static final Path PATH = Path.of(System.getProperty("basedir", "."), "target", "libfake_tdx_guest.so");

    private static FakeTdxGuestLibrary instance;

    private final SymbolLookup library;
    private final MethodHandle configure;
    private final MethodHandle stat;

    @SuppressWarnings("restricted")
    private FakeTdxGuestLibrary() {
        library = SymbolLookup.libraryLookup(PATH, Arena.global());
        Linker linker = Linker.nativeLinker();
        configure = linker.downcallHandle(library.findOrThrow("fake_tdx_configure"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        stat = linker.downcallHandle(library.findOrThrow("fake_tdx_stat"), FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    }

    /** The loaded library; skips the calling test when it was not built. */
    static synchronized FakeTdxGuestLibrary load() {
        Assumptions.assumeTrue(Files.isRegularFile(PATH), "skipped: " + PATH + " was not built (gcc was not on "
                + "PATH during the build); the /dev/tdx_guest FFM tests need this C stand-in");
        if (instance == null) {
            instance = new FakeTdxGuestLibrary();
        }
        return instance;
    }

    SymbolLookup lookup() {
        return name -> library.find("fake_" + name);
    }

    void configure(byte[] report, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = arena.allocateFrom(JAVA_BYTE, report);
            int rc = (int) configure.invokeExact(r, (long) report.length, mode);
            if (rc != 0) {
                throw new IllegalStateException("fake_tdx_configure failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    long stat(int which) {
        try {
            return (long) stat.invokeExact(which);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
