package dev.coco4j.azure.guest;

import dev.coco4j.azure.tpm.SwtpmSocketTransport;
import dev.coco4j.azure.tpm.TpmTransport;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A software TPM for tests: the one {@code .ci/run} started (port in {@code COCO4J_SWTPM_PORT}), or one this class
 * starts itself on a loopback port when the {@code swtpm} binary is on PATH. Empty when neither is available.
 */
final class Swtpm implements AutoCloseable {
    static final String PORT_ENV = "COCO4J_SWTPM_PORT";
    private final int port;
    private final Process process;
    private final Path state;

    private Swtpm(int port, Process process, Path state) {
        this.port = port;
        this.process = process;
        this.state = state;
    }

    static Optional<Path> binary() {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, "swtpm");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static Optional<Swtpm> start() throws IOException, InterruptedException {
        String env = System.getenv(PORT_ENV);
        if (env != null && !env.isBlank()) {
            return Optional.of(new Swtpm(Integer.parseInt(env.strip()), null, null));
        }
        Optional<Path> bin = binary();
        if (bin.isEmpty()) {
            return Optional.empty();
        }
        int data = freePort();
        int ctrl = freePort();
        Path dir = Files.createTempDirectory("coco4j-swtpm");
        Process p = new ProcessBuilder(bin.get().toString(), "socket", "--tpm2",
                "--server", "type=tcp,port=" + data + ",bindaddr=127.0.0.1",
                "--ctrl", "type=tcp,port=" + ctrl + ",bindaddr=127.0.0.1",
                "--flags", "not-need-init,startup-clear", "--tpmstate", "dir=" + dir)
                .redirectErrorStream(true).redirectOutput(dir.resolve("swtpm.log").toFile()).start();
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket("127.0.0.1", data)) {
                return Optional.of(new Swtpm(data, p, dir));
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IOException("swtpm exited: " + Files.readString(dir.resolve("swtpm.log")));
                }
                Thread.sleep(50);
            }
        }
        p.destroy();
        throw new IOException("swtpm did not open port " + data);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    TpmTransport connect() {
        return SwtpmSocketTransport.connect("127.0.0.1", port);
    }

    @Override
    public void close() throws IOException {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try (Stream<Path> s = Files.walk(state)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
