package dev.coco4j.core.tsm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An in-memory stand-in for configfs-tsm: {@code mkdir} under the root creates an entry with attribute files, every
 * write to an input attribute bumps {@code generation}, and {@code outblob} is computed from the inputs.
 */
final class FakeConfigfs implements TsmFilesystem {
    /** One report entry's state. */
    static final class Entry {
        long generation;
        byte[] inblob = new byte[0];
        int privlevel;
        String serviceProvider = "";
        final List<String> writes = new ArrayList<>();
    }

    final Path root;
    volatile boolean rootPresent = true;
    volatile String provider = "sev_guest\n";
    volatile boolean hasPrivlevel = true;
    volatile Integer privlevelFloor = 0;
    volatile boolean hasAuxblob = true;
    volatile boolean hasService = false;
    volatile long initialGeneration = 0;
    volatile Function<Entry, byte[]> outblob = e -> concat("report:".getBytes(StandardCharsets.US_ASCII),
            Arrays.copyOf(e.inblob, 64), new byte[] {(byte) e.privlevel});
    volatile byte[] auxblob = "certs".getBytes(StandardCharsets.US_ASCII);
    volatile byte[] manifestblob = "manifest".getBytes(StandardCharsets.US_ASCII);
    /** Called before each outblob read; a test can simulate a concurrent writer here. */
    volatile Consumer<Entry> beforeOutblobRead = e -> { };
    /** Name of an attribute whose writes fail with an I/O error, or null. */
    volatile String failingWrite;

    final Map<Path, Entry> entries = new ConcurrentHashMap<>();
    final List<Path> created = new ArrayList<>();
    final List<Path> removed = new ArrayList<>();

    FakeConfigfs(Path root) {
        this.root = root;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    private Set<String> attributes() {
        Set<String> s = new HashSet<>(List.of("inblob", "outblob", "provider", "generation"));
        if (hasPrivlevel) {
            s.add("privlevel");
            if (privlevelFloor != null) {
                s.add("privlevel_floor");
            }
        }
        if (hasAuxblob) {
            s.add("auxblob");
        }
        if (hasService) {
            s.addAll(List.of("service_provider", "service_guid", "service_manifest_version", "manifestblob"));
        }
        return s;
    }

    @Override
    public boolean isDirectory(Path path) {
        return (path.equals(root) && rootPresent) || entries.containsKey(path);
    }

    @Override
    public boolean exists(Path path) {
        return isDirectory(path) || (entries.containsKey(path.getParent())
                && attributes().contains(path.getFileName().toString()));
    }

    @Override
    public synchronized void createDirectory(Path path) throws IOException {
        if (!path.getParent().equals(root) || !rootPresent) {
            throw new NoSuchFileException(path.toString());
        }
        if (entries.containsKey(path)) {
            throw new FileAlreadyExistsException(path.toString());
        }
        Entry e = new Entry();
        e.generation = initialGeneration;
        entries.put(path, e);
        created.add(path);
    }

    @Override
    public synchronized void deleteDirectory(Path path) throws IOException {
        if (entries.remove(path) == null) {
            throw new NoSuchFileException(path.toString());
        }
        removed.add(path);
    }

    private Entry entryOf(Path attribute) throws IOException {
        Entry e = entries.get(attribute.getParent());
        if (e == null || !attributes().contains(attribute.getFileName().toString())) {
            throw new NoSuchFileException(attribute.toString());
        }
        return e;
    }

    @Override
    public byte[] read(Path path, int maxBytes) throws IOException {
        Entry e = entryOf(path);
        byte[] v = switch (path.getFileName().toString()) {
            case "provider" -> provider.getBytes(StandardCharsets.US_ASCII);
            case "generation" -> (e.generation + "\n").getBytes(StandardCharsets.US_ASCII);
            case "privlevel_floor" -> (privlevelFloor + "\n").getBytes(StandardCharsets.US_ASCII);
            case "outblob" -> {
                beforeOutblobRead.accept(e);
                yield outblob.apply(e);
            }
            case "auxblob" -> auxblob;
            case "manifestblob" -> manifestblob;
            default -> throw new IOException("Permission denied: " + path + " is write-only");
        };
        return Arrays.copyOf(v, Math.min(v.length, maxBytes + 1));
    }

    @Override
    public void write(Path path, byte[] value) throws IOException {
        Entry e = entryOf(path);
        String name = path.getFileName().toString();
        if (name.equals(failingWrite)) {
            throw new IOException("Input/output error");
        }
        String text = new String(value, StandardCharsets.US_ASCII).strip();
        switch (name) {
            case "inblob" -> {
                if (value.length > 64) {
                    throw new IOException("Invalid argument");
                }
                e.inblob = value.clone();
            }
            case "privlevel" -> {
                int p = Integer.parseInt(text);
                if (p > 3 || (privlevelFloor != null && p < privlevelFloor)) {
                    throw new IOException("Invalid argument");
                }
                e.privlevel = p;
            }
            case "service_provider" -> e.serviceProvider = text;
            case "service_guid", "service_manifest_version" -> { }
            default -> throw new IOException("Permission denied: " + path + " is read-only");
        }
        e.writes.add(name + "=" + text);
        e.generation++;
    }
}
