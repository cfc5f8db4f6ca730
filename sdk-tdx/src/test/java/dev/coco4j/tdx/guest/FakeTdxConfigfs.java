package dev.coco4j.tdx.guest;

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
import java.util.function.Function;

/**
 * An in-memory configfs-tsm with the {@code tdx_guest} provider: {@code mkdir} creates the attributes, writes bump
 * {@code generation}, and {@code outblob} is whatever {@link #quotes} makes of the written REPORTDATA.
 */
final class FakeTdxConfigfs implements TsmFilesystem {
    private static final Set<String> ATTRIBUTES = Set.of("inblob", "outblob", "provider", "generation");

    final Path root;
    volatile boolean rootPresent = true;
    volatile String provider = "tdx_guest\n";
    volatile boolean failOutblob;
    final Function<ReportData, byte[]> quotes;
    private final Map<Path, long[]> generations = new ConcurrentHashMap<>();
    private final Map<Path, byte[]> inblobs = new ConcurrentHashMap<>();

    FakeTdxConfigfs(Path root, Function<ReportData, byte[]> quotes) {
        this.root = root;
        this.quotes = quotes;
    }

    @Override
    public boolean isDirectory(Path path) {
        return (path.equals(root) && rootPresent) || generations.containsKey(path);
    }

    @Override
    public boolean exists(Path path) {
        return isDirectory(path) || (generations.containsKey(path.getParent())
                && ATTRIBUTES.contains(path.getFileName().toString()));
    }

    @Override
    public void createDirectory(Path path) throws IOException {
        if (!rootPresent || !path.getParent().equals(root)) {
            throw new NoSuchFileException(path.toString());
        }
        generations.put(path, new long[1]);
        inblobs.put(path, new byte[0]);
    }

    @Override
    public void deleteDirectory(Path path) throws IOException {
        if (generations.remove(path) == null) {
            throw new NoSuchFileException(path.toString());
        }
        inblobs.remove(path);
    }

    private Path entry(Path attribute) throws IOException {
        Path dir = attribute.getParent();
        if (!generations.containsKey(dir) || !ATTRIBUTES.contains(attribute.getFileName().toString())) {
            throw new NoSuchFileException(attribute.toString());
        }
        return dir;
    }

    @Override
    public byte[] read(Path path, int maxBytes) throws IOException {
        Path dir = entry(path);
        byte[] v = switch (path.getFileName().toString()) {
            case "provider" -> provider.getBytes(StandardCharsets.US_ASCII);
            case "generation" -> (generations.get(dir)[0] + "\n").getBytes(StandardCharsets.US_ASCII);
            case "outblob" -> {
                if (failOutblob) {
                    throw new IOException("Input/output error");
                }
                yield quotes.apply(ReportData.of(inblobs.get(dir)));
            }
            default -> throw new IOException("Permission denied");
        };
        return Arrays.copyOf(v, Math.min(v.length, maxBytes + 1));
    }

    @Override
    public void write(Path path, byte[] value) throws IOException {
        Path dir = entry(path);
        if (!path.getFileName().toString().equals("inblob")) {
            throw new IOException("Permission denied");
        }
        inblobs.put(dir, value.clone());
        generations.get(dir)[0]++;
    }
}
