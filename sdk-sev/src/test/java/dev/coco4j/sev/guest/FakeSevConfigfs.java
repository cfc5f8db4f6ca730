package dev.coco4j.sev.guest;

import dev.coco4j.core.ReportData;
import dev.coco4j.core.tsm.TsmFilesystem;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An in-memory configfs-tsm with the {@code sev_guest} provider: {@code mkdir} creates the attributes, writes bump
 * {@code generation}, and {@code outblob} is the canned report with REPORT_DATA and VMPL taken from the inputs.
 */
final class FakeSevConfigfs implements TsmFilesystem {
    private static final Set<String> ATTRIBUTES = Set.of("inblob", "outblob", "auxblob", "provider", "generation",
            "privlevel", "privlevel_floor");

    /** One entry's inputs. */
    static final class Entry {
        long generation;
        byte[] inblob = new byte[0];
        int privlevel;
    }

    final Path root;
    volatile boolean rootPresent = true;
    volatile String provider = "sev_guest\n";
    volatile byte[] auxblob = new byte[0];
    volatile boolean ignoreInblob;
    volatile boolean failOutblob;
    final Map<Path, Entry> entries = new ConcurrentHashMap<>();
    volatile int created;
    volatile int lastPrivlevelWritten = -1;

    FakeSevConfigfs(Path root) {
        this.root = root;
    }

    @Override
    public boolean isDirectory(Path path) {
        return (path.equals(root) && rootPresent) || entries.containsKey(path);
    }

    @Override
    public boolean exists(Path path) {
        return isDirectory(path) || (entries.containsKey(path.getParent())
                && ATTRIBUTES.contains(path.getFileName().toString()));
    }

    @Override
    public synchronized void createDirectory(Path path) throws IOException {
        if (!rootPresent || !path.getParent().equals(root)) {
            throw new NoSuchFileException(path.toString());
        }
        entries.put(path, new Entry());
        created++;
    }

    @Override
    public void deleteDirectory(Path path) throws IOException {
        if (entries.remove(path) == null) {
            throw new NoSuchFileException(path.toString());
        }
    }

    private Entry entry(Path attribute) throws IOException {
        Entry e = entries.get(attribute.getParent());
        if (e == null || !ATTRIBUTES.contains(attribute.getFileName().toString())) {
            throw new NoSuchFileException(attribute.toString());
        }
        return e;
    }

    @Override
    public byte[] read(Path path, int maxBytes) throws IOException {
        Entry e = entry(path);
        byte[] v = switch (path.getFileName().toString()) {
            case "provider" -> provider.getBytes(StandardCharsets.US_ASCII);
            case "generation" -> (e.generation + "\n").getBytes(StandardCharsets.US_ASCII);
            case "privlevel_floor" -> "0\n".getBytes(StandardCharsets.US_ASCII);
            case "auxblob" -> auxblob;
            case "outblob" -> {
                if (failOutblob) {
                    throw new IOException("Input/output error");
                }
                yield GuestFixtures.reportFor(ignoreInblob ? ReportData.zero()
                        : ReportData.of(e.inblob), e.privlevel);
            }
            default -> throw new IOException("Permission denied");
        };
        return Arrays.copyOf(v, Math.min(v.length, maxBytes + 1));
    }

    @Override
    public void write(Path path, byte[] value) throws IOException {
        Entry e = entry(path);
        switch (path.getFileName().toString()) {
            case "inblob" -> e.inblob = value.clone();
            case "privlevel" -> {
                e.privlevel = Integer.parseInt(new String(value, StandardCharsets.US_ASCII).strip());
                lastPrivlevelWritten = e.privlevel;
            }
            default -> throw new IOException("Permission denied");
        }
        e.generation++;
    }
}
