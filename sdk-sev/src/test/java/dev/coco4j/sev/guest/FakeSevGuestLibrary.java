package dev.coco4j.sev.guest;

import static java.lang.foreign.ValueLayout.ADDRESS;
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
 * The C stand-in for the sev-guest driver ({@code src/test/c/fake_sev_guest.c}), built by gcc into
 * {@code target/libfake_sev_guest.so} in the process-test-classes phase (maven-antrun-plugin, only when gcc is on
 * PATH). {@link #lookup()} maps {@code open}, {@code ioctl} and {@code close} to
 * {@code fake_open}, {@code fake_ioctl} and {@code fake_close}. The library has global state, so tests using it run
 * one at a time (JUnit's default).
 */
final class FakeSevGuestLibrary {
    static final int MODE_OK = 0;
    static final int MODE_STATUS_ERROR = 1;
    static final int MODE_IOCTL_EIO = 2;
    static final int MODE_OPEN_ENOENT = 3;
    static final int MODE_OPEN_EACCES = 4;
    static final int MODE_BAD_REPORT_SIZE = 5;
    static final int MODE_BUSY = 6;
    static final int MODE_ALWAYS_INVALID_LEN = 7;

    static final int STAT_OPENS = 0;
    static final int STAT_CLOSES = 1;
    static final int STAT_IOCTLS = 2;
    static final int STAT_INVALID_LEN = 3;
    static final int STAT_LAST_VMPL = 4;
    static final int STAT_LAST_MSG_VERSION = 5;
    static final int STAT_OPEN_FDS = 6;
    static final int STAT_LAST_CERTS_LEN = 7;
    static final int STAT_LAST_OPEN_FLAGS = 8;

    static final Path PATH = Path.of(System.getProperty("basedir", "."), "target", "libfake_sev_guest.so");

    private static FakeSevGuestLibrary instance;

    private final SymbolLookup library;
    private final MethodHandle configure;
    private final MethodHandle stat;

    @SuppressWarnings("restricted")
    private FakeSevGuestLibrary() {
        library = SymbolLookup.libraryLookup(PATH, Arena.global());
        Linker linker = Linker.nativeLinker();
        configure = linker.downcallHandle(library.findOrThrow("fake_sev_configure"),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT));
        stat = linker.downcallHandle(library.findOrThrow("fake_sev_stat"), FunctionDescriptor.of(JAVA_LONG, JAVA_INT));
    }

    /** The loaded library; skips the calling test (with the reason) when it was not built. */
    static synchronized FakeSevGuestLibrary load() {
        Assumptions.assumeTrue(Files.isRegularFile(PATH), "skipped: " + PATH + " was not built (gcc was not on "
                + "PATH during the build); the /dev/sev-guest FFM tests need this C stand-in");
        if (instance == null) {
            instance = new FakeSevGuestLibrary();
        }
        return instance;
    }

    /** Maps the libc names SevGuestDevice looks up to the fake's functions. */
    SymbolLookup lookup() {
        return name -> library.find("fake_" + name);
    }

    /** Sets the canned report, the certificate table to hand out and the error mode; clears the counters. */
    void configure(byte[] report, byte[] certTable, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment r = arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, report);
            MemorySegment c = certTable.length == 0 ? MemorySegment.NULL
                    : arena.allocateFrom(java.lang.foreign.ValueLayout.JAVA_BYTE, certTable);
            int rc = (int) configure.invokeExact(r, (long) report.length, c, (long) certTable.length, mode);
            if (rc != 0) {
                throw new IllegalStateException("fake_sev_configure failed");
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** One of the fake's counters (STAT_*). */
    long stat(int key) {
        try {
            return (long) stat.invokeExact(key);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
