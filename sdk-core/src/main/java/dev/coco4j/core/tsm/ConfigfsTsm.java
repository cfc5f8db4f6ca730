package dev.coco4j.core.tsm;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.DetectionReport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.UUID;

/**
 * Client for the Linux configfs-tsm report interface ({@code /sys/kernel/config/tsm/report}, Linux 6.7 and later),
 * which SEV-SNP ({@code sev_guest}) and TDX ({@code tdx_guest}) guests share.
 *
 * <p>One {@link #generate} call:
 * <ol>
 *   <li>creates a uniquely named entry under the root (the kernel populates its attributes);</li>
 *   <li>reads {@code provider} (trimmed) and checks it against {@link TsmRequest#expectedProvider()};</li>
 *   <li>checks that every optional attribute the request needs exists, and that {@code privlevel} is not below
 *       {@code privlevel_floor};</li>
 *   <li>reads {@code generation}, writes {@code privlevel}, {@code service_provider}, {@code service_guid},
 *       {@code service_manifest_version} (when requested) and {@code inblob};</li>
 *   <li>reads {@code outblob} (at most {@value #MAX_OUTBLOB} bytes), {@code auxblob} (when present, at most
 *       {@value #MAX_AUXBLOB} bytes) and {@code manifestblob} (only for a service request);</li>
 *   <li>reads {@code generation} again: it must equal the first value plus the number of writes made. Anything else
 *       means a concurrent writer changed the inputs, so the attempt is discarded and repeated, up to
 *       {@link Builder#maxAttempts(int)} times;</li>
 *   <li>removes the entry, whatever happened.</li>
 * </ol>
 *
 * <p>Errors (fail closed, never a partial result):
 * <ul>
 *   <li>{@link ConfigurationException} {@link Reason#CONFIGURATION}: the request cannot be served as asked
 *       ({@code privlevel} below the floor, or an attribute the request needs is missing for this provider);</li>
 *   <li>{@link AttestationException} {@link Reason#CONFIGURATION}: configfs-tsm is not present, or the entry reports
 *       a provider other than the expected one (the environment does not fit, a caller may try another path);</li>
 *   <li>{@link AttestationException} {@link Reason#SERVICE_UNAVAILABLE}: an I/O failure, or the generation kept
 *       changing through every attempt;</li>
 *   <li>{@link AttestationException} {@link Reason#MALFORMED_EVIDENCE}: an empty or oversized {@code outblob}, or
 *       an oversized {@code auxblob} or {@code manifestblob}.</li>
 * </ul>
 *
 * <p>Immutable and thread-safe: concurrent calls use different entries.
 */
public final class ConfigfsTsm {
    /** Where the kernel exposes report entries. */
    public static final Path DEFAULT_ROOT = Path.of("/sys/kernel/config/tsm/report");
    /** Largest {@code outblob} accepted (the kernel's TSM_REPORT_OUTBLOB_MAX). */
    public static final int MAX_OUTBLOB = 32 * 1024;
    /** Largest {@code auxblob} accepted. */
    public static final int MAX_AUXBLOB = 1024 * 1024;
    /** Largest {@code manifestblob} accepted. */
    public static final int MAX_MANIFESTBLOB = 1024 * 1024;
    /** Default number of attempts when the generation check detects a concurrent writer. */
    public static final int DEFAULT_MAX_ATTEMPTS = 3;

    private static final int MAX_TEXT = 4096;
    private static final System.Logger LOG = System.getLogger(ConfigfsTsm.class.getName());

    private final Path root;
    private final TsmFilesystem fs;
    private final int maxAttempts;

    private ConfigfsTsm(Builder b) {
        this.root = b.root;
        this.fs = b.fs;
        this.maxAttempts = b.maxAttempts;
    }

    /**
     * The client for {@link #DEFAULT_ROOT} on the real file system.
     *
     * @return a new client with the defaults
     */
    public static ConfigfsTsm system() {
        return builder().build();
    }

    /**
     * A builder starting from {@link #DEFAULT_ROOT}, the real file system and {@link #DEFAULT_MAX_ATTEMPTS}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The directory under which entries are created.
     *
     * @return the report root; never null
     */
    public Path root() {
        return root;
    }

    /**
     * True if the report root exists (configfs mounted, kernel with configfs-tsm). Cheap; never throws.
     *
     * @return true if the root is an existing directory
     */
    public boolean isAvailable() {
        return fs.isDirectory(root);
    }

    /**
     * The provider serving reports here ({@code sev_guest}, {@code tdx_guest}, ...), read from a short-lived entry
     * that is removed again; empty if configfs-tsm is absent or the entry cannot be created or read. For detection
     * and diagnostics; never throws.
     *
     * @return the trimmed provider name, or empty when it cannot be determined
     */
    public java.util.Optional<String> provider() {
        if (!isAvailable()) {
            return java.util.Optional.empty();
        }
        Path entry = root.resolve("coco4j-probe-" + UUID.randomUUID());
        try {
            fs.createDirectory(entry);
        } catch (IOException | RuntimeException e) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(readText(entry, "provider"));
        } catch (RuntimeException e) {
            return java.util.Optional.empty();
        } finally {
            remove(entry);
        }
    }

    /**
     * The detection probe of this configfs-tsm root for one TEE: found when the provider read by {@link #provider()}
     * is {@code expectedProvider}; the detail says what was seen (absent, another provider, or no readable entry).
     * Never throws.
     *
     * @param tee the TEE the probe is reported for
     * @param expectedProvider the provider name of that TEE's guest driver ({@code sev_guest}, {@code tdx_guest})
     * @return the probe, never null
     */
    public DetectionReport.Probe probe(TeeType tee, String expectedProvider) {
        Objects.requireNonNull(tee, "tee");
        Objects.requireNonNull(expectedProvider, "expectedProvider");
        java.util.Optional<String> provider = provider();
        String detail = !isAvailable() ? "configfs-tsm not mounted or kernel without it"
                : provider.map(p -> p.equals(expectedProvider) ? "provider " + p
                        : "provider is " + p + ", not " + expectedProvider)
                        .orElse("present, but no entry could be created to read the provider");
        return new DetectionReport.Probe(tee, DetectionReport.Mechanism.CONFIGFS_TSM, root.toString(),
                provider.filter(expectedProvider::equals).isPresent(), detail);
    }

    /**
     * Obtains one report.
     *
     * @param request the report data and optional attributes to write; not null
     * @return the outputs of one clean run (no concurrent writer seen); arrays are copies
     * @throws ConfigurationException or {@link AttestationException} with a {@link Reason}, as the class comment
     *     lists
     */
    public TsmReport generate(TsmRequest request) {
        Objects.requireNonNull(request, "request");
        if (!isAvailable()) {
            throw new AttestationException(Reason.CONFIGURATION, "configfs-tsm is not present at " + root
                    + " (needs Linux 6.7+ with configfs mounted)");
        }
        String lastRace = "";
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Path entry = root.resolve("coco4j-" + UUID.randomUUID());
            try {
                fs.createDirectory(entry);
            } catch (IOException | RuntimeException e) {
                throw ioFailure("cannot create configfs-tsm entry " + entry, e);
            }
            try {
                Outcome o = attemptOnce(entry, request);
                if (o.report != null) {
                    return o.report;
                }
                lastRace = o.race;
                LOG.log(System.Logger.Level.DEBUG, "configfs-tsm attempt {0}/{1}: {2}", attempt, maxAttempts,
                        o.race);
            } finally {
                remove(entry);
            }
        }
        throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "configfs-tsm inputs were changed by a concurrent"
                + " writer in all " + maxAttempts + " attempts (last: " + lastRace + ")");
    }

    /** Either a report or the description of a detected race. */
    private record Outcome(TsmReport report, String race) {
    }

    private Outcome attemptOnce(Path entry, TsmRequest request) {
        String provider = readText(entry, "provider");
        if (request.expectedProvider().isPresent() && !request.expectedProvider().get().equals(provider)) {
            throw new AttestationException(Reason.CONFIGURATION, "configfs-tsm provider is '" + provider
                    + "', expected '" + request.expectedProvider().get() + "'");
        }
        if (request.privlevel().isPresent()) {
            requireAttribute(entry, "privlevel", provider);
            if (fs.exists(entry.resolve("privlevel_floor"))) {
                long floor = readNumber(entry, "privlevel_floor");
                if (request.privlevel().getAsInt() < floor) {
                    throw new ConfigurationException(Reason.CONFIGURATION, "privlevel " + request.privlevel().getAsInt()
                            + " is below this guest's privlevel_floor " + floor);
                }
            }
        }
        if (request.serviceProvider().isPresent()) {
            requireAttribute(entry, "service_provider", provider);
        }
        if (request.serviceGuid().isPresent()) {
            requireAttribute(entry, "service_guid", provider);
        }
        if (request.serviceManifestVersion().isPresent()) {
            requireAttribute(entry, "service_manifest_version", provider);
        }

        long before = readNumber(entry, "generation");
        int writes = 0;
        if (request.privlevel().isPresent()) {
            write(entry, "privlevel", text(Integer.toString(request.privlevel().getAsInt())));
            writes++;
        }
        if (request.serviceProvider().isPresent()) {
            write(entry, "service_provider", text(request.serviceProvider().get()));
            writes++;
        }
        if (request.serviceGuid().isPresent()) {
            write(entry, "service_guid", text(request.serviceGuid().get().toString()));
            writes++;
        }
        if (request.serviceManifestVersion().isPresent()) {
            write(entry, "service_manifest_version", text(Integer.toString(
                    request.serviceManifestVersion().getAsInt())));
            writes++;
        }
        write(entry, "inblob", request.inblob());
        writes++;

        byte[] out = readBlob(entry, "outblob", MAX_OUTBLOB);
        if (out.length == 0) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "configfs-tsm outblob is empty");
        }
        byte[] aux = fs.exists(entry.resolve("auxblob")) ? readBlob(entry, "auxblob", MAX_AUXBLOB) : new byte[0];
        byte[] manifest = request.serviceProvider().isPresent() && fs.exists(entry.resolve("manifestblob"))
                ? readBlob(entry, "manifestblob", MAX_MANIFESTBLOB) : new byte[0];
        long after = readNumber(entry, "generation");
        if (after != before + writes) {
            return new Outcome(null, "generation went from " + before + " to " + after + " across " + writes
                    + " write(s)");
        }
        return new Outcome(new TsmReport(out, aux, manifest, provider, after), null);
    }

    private void requireAttribute(Path entry, String name, String provider) {
        if (!fs.exists(entry.resolve(name))) {
            throw new ConfigurationException(Reason.CONFIGURATION, "configfs-tsm provider '" + provider
                    + "' has no " + name + " attribute (kernel or provider does not support it)");
        }
    }

    private void remove(Path entry) {
        try {
            fs.deleteDirectory(entry);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not remove configfs-tsm entry " + entry, e);
        }
    }

    private void write(Path entry, String name, byte[] value) {
        try {
            fs.write(entry.resolve(name), value);
        } catch (IOException | RuntimeException e) {
            throw ioFailure("cannot write configfs-tsm " + name, e);
        }
    }

    private byte[] read(Path entry, String name, int max) {
        try {
            return fs.read(entry.resolve(name), max);
        } catch (IOException | RuntimeException e) {
            throw ioFailure("cannot read configfs-tsm " + name, e);
        }
    }

    private byte[] readBlob(Path entry, String name, int max) {
        byte[] b = read(entry, name, max);
        if (b.length > max) {
            throw new AttestationException(Reason.MALFORMED_EVIDENCE, "configfs-tsm " + name + " exceeds "
                    + max + " bytes");
        }
        return b;
    }

    private String readText(Path entry, String name) {
        byte[] b = read(entry, name, MAX_TEXT);
        if (b.length > MAX_TEXT) {
            throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "configfs-tsm " + name + " exceeds "
                    + MAX_TEXT + " bytes");
        }
        return new String(b, StandardCharsets.US_ASCII).strip();
    }

    private long readNumber(Path entry, String name) {
        String s = readText(entry, name);
        try {
            long v = Long.parseUnsignedLong(s);
            if (v < 0) {
                throw new NumberFormatException("too large");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "configfs-tsm " + name
                    + " is not a number: '" + abbreviate(s) + "'", e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 32 ? s : s.substring(0, 32) + "...";
    }

    private static byte[] text(String s) {
        return (s + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static AttestationException ioFailure(String what, Exception e) {
        return new AttestationException(Reason.SERVICE_UNAVAILABLE, what + ": " + e, e);
    }

    /** Builds a {@link ConfigfsTsm}. Not thread-safe. */
    public static final class Builder {
        private Path root = DEFAULT_ROOT;
        private TsmFilesystem fs = TsmFilesystem.system();
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

        private Builder() {
        }

        /**
         * The report root (default {@link #DEFAULT_ROOT}).
         *
         * @param value the report root directory; not null
         * @return this builder
         */
        public Builder root(Path value) {
            this.root = Objects.requireNonNull(value, "root");
            return this;
        }

        /**
         * The file operations (default {@link TsmFilesystem#system()}).
         *
         * @param value the file operations; not null (tests inject a fake)
         * @return this builder
         */
        public Builder filesystem(TsmFilesystem value) {
            this.fs = Objects.requireNonNull(value, "filesystem");
            return this;
        }

        /**
         * How many times to try when a concurrent writer is detected (1..100, default {@link #DEFAULT_MAX_ATTEMPTS}).
         *
         * @param value the number of attempts, 1 to 100
         * @return this builder
         * @throws ConfigurationException if out of range
         */
        public Builder maxAttempts(int value) {
            if (value < 1 || value > 100) {
                throw new ConfigurationException(Reason.CONFIGURATION, "maxAttempts must be 1..100, got " + value);
            }
            this.maxAttempts = value;
            return this;
        }

        /**
         * The client.
         *
         * @return a new immutable, thread-safe client
         */
        public ConfigfsTsm build() {
            return new ConfigfsTsm(this);
        }
    }
}
