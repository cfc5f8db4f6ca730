package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.ReportData;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import dev.coco4j.kbs.sealed.SealedSecret;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.testkit.EmbeddedKbs;
import dev.coco4j.testkit.ResourcePolicy;
import dev.coco4j.testkit.SimulatedAzVtpmAttester;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code kbs get}, {@code kbs serve}, {@code seal} and {@code envelope --kbs-url}, in-process. */
@Timeout(120)
class KbsCommandTest {
    @TempDir
    Path dir;

    /** {@code kbs serve} running in a background thread of this JVM. */
    final class Served implements AutoCloseable {
        final Thread thread;
        final AtomicReference<Cli.Result> result = new AtomicReference<>();
        final int port;

        Served(String... extra) throws Exception {
            Path portFile = dir.resolve("port-" + System.nanoTime());
            String[] args = new String[extra.length + 5];
            args[0] = "kbs";
            args[1] = "serve";
            args[2] = "--port";
            args[3] = "0";
            args[4] = "--port-file=" + portFile;
            System.arraycopy(extra, 0, args, 5, extra.length);
            thread = new Thread(() -> result.set(Cli.run(args)), "kbs-serve-test");
            thread.start();
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!Files.exists(portFile)) {
                if (!thread.isAlive()) {
                    throw new AssertionError("kbs serve ended: " + result.get());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("kbs serve did not start");
                }
                Thread.sleep(20);
            }
            port = Integer.parseInt(Files.readString(portFile).strip());
        }

        @Override
        public void close() throws InterruptedException {
            thread.interrupt();
            thread.join(30_000);
            assertThat(result.get().code()).as(result.get().err()).isZero();
        }
    }

    Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    @Test
    void serveThenGetOverLoopbackHttpWithSample() throws Exception {
        Path secret = write("secret.bin", "the-secret".getBytes(StandardCharsets.UTF_8));
        try (Served kbs = new Served("--insecure-http", "--allow-sample",
                "--resource", "default/key/app=" + secret)) {
            String url = "http://127.0.0.1:" + kbs.port;
            Path out = dir.resolve("got.bin");
            Cli.Result ok = Cli.run("kbs", "get", "--url", url, "--path", "default/key/app", "--out", out.toString(),
                    "--tee", "sample", "--timeout", "20");
            assertThat(ok.code()).as(ok.err()).isZero();
            assertThat(Files.readString(out)).isEqualTo("the-secret");
            assertThat(ok.out()).doesNotContain("the-secret");

            Path missing = dir.resolve("missing.bin");
            Cli.Result notFound = Cli.run("kbs", "get", "--url", url, "--path", "default/key/nope", "--out",
                    missing.toString(), "--tee", "sample");
            assertThat(notFound.code()).isEqualTo(1);
            assertThat(notFound.firstErrLine()).startsWith("RESOURCE_NOT_FOUND: ");
            assertThat(missing).doesNotExist();

            Cli.Result version = Cli.run("kbs", "get", "--url", url, "--path", "default/key/app", "--out",
                    missing.toString(), "--tee", "sample", "--protocol", "0.3.0");
            assertThat(version.code()).isEqualTo(1);
            assertThat(version.firstErrLine()).startsWith("PROTOCOL_VERSION_MISMATCH: ");
            assertThat(version.hasStackTrace()).isFalse();
            assertThat(missing).doesNotExist();
        }
    }

    @Test
    void serveHttpsWithGeneratedCa() throws Exception {
        Path secret = write("secret.bin", new byte[] {1, 2, 3});
        Path ca = dir.resolve("ca.pem");
        try (Served kbs = new Served("--allow-sample", "--ca-out", ca.toString(),
                "--resource", "default/key/app=" + secret)) {
            Path out = dir.resolve("got.bin");
            Cli.Result ok = Cli.run("kbs", "get", "--url", "https://127.0.0.1:" + kbs.port, "--path",
                    "default/key/app", "--out", out.toString(), "--tee", "sample", "--cacert", ca.toString());
            assertThat(ok.code()).as(ok.err()).isZero();
            assertThat(Files.readAllBytes(out)).containsExactly(1, 2, 3);
        }
    }

    /** {@code --trust-sim-roots} also covers az-snp-vtpm evidence of a simulated Azure vTPM on that platform. */
    @Test
    void serveWithSimRootsReleasesToTheSimulatedAzureVtpm() throws Exception {
        SimulatedSnpPlatform snp = SimulatedSnpPlatform.builder().build();
        Path roots = dir.resolve("sim-roots");
        snp.writeTo(roots, ReportData.of(new byte[64]));
        Path secret = write("az-secret.bin", "azure-secret".getBytes(StandardCharsets.UTF_8));
        Path ca = dir.resolve("az-ca.pem");
        try (Served kbs = new Served("--trust-sim-roots", roots.toString(), "--ca-out", ca.toString(),
                "--resource", "default/key/app=" + secret);
             KbsClient client = KbsClient.builder().baseUrl("https://127.0.0.1:" + kbs.port).trustCaFile(ca)
                     .attester(new SimulatedAzVtpmAttester(snp)).build();
             KbsSecret got = client.getResource("default/key/app")) {
            assertThat(new String(got.bytes(), StandardCharsets.UTF_8)).isEqualTo("azure-secret");
        }
    }

    @Test
    void policyDenyExitsOneAndWritesNothing() {
        try (EmbeddedKbs kbs = EmbeddedKbs.builder().insecureHttp(true).allowSample(true)
                .resourcePolicy(ResourcePolicy.denyAll()).resource("default/key/app", new byte[] {9}).start()) {
            Path out = dir.resolve("denied.bin");
            Cli.Result r = Cli.run("kbs", "get", "--url", "http://127.0.0.1:" + kbs.port(), "--path",
                    "default/key/app", "--out", out.toString(), "--tee", "sample");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.firstErrLine()).startsWith("KEY_RELEASE_DENIED: ");
            assertThat(out).doesNotExist();
            assertThat(dir.toFile().list()).isEmpty();
        }
    }

    @Test
    void unreachableKbsExitsThreeAndNonLoopbackHttpIsRefused() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path out = dir.resolve("x.bin");
        Cli.Result r = Cli.run("kbs", "get", "--url", "http://127.0.0.1:" + port, "--path", "default/key/app",
                "--out", out.toString(), "--tee", "sample", "--timeout", "2");
        assertThat(r.code()).as(r.err()).isEqualTo(3);
        assertThat(r.firstErrLine()).startsWith("SERVICE_UNAVAILABLE: ");
        Cli.Result plain = Cli.run("kbs", "get", "--url", "http://192.0.2.1:8080", "--path", "default/key/app",
                "--out", out.toString(), "--tee", "sample");
        assertThat(plain.code()).isEqualTo(2);
        assertThat(plain.firstErrLine()).startsWith("CONFIGURATION: ");
        assertThat(out).doesNotExist();
    }

    @Test
    void envelopeWithKbsReleasedKey() throws Exception {
        byte[] k = new byte[32];
        new Random(3).nextBytes(k);
        byte[] data = new byte[100_000];
        new Random(4).nextBytes(data);
        Path plain = write("data.bin", data);
        try (EmbeddedKbs kbs = EmbeddedKbs.builder().insecureHttp(true).allowSample(true)
                .resourcePolicy(ResourcePolicy.allowAll())
                .resource("default/kek/app", HexFormat.of().formatHex(k).getBytes(StandardCharsets.US_ASCII))
                .start()) {
            String url = "http://127.0.0.1:" + kbs.port();
            Path ct = dir.resolve("data.c4je");
            Cli.Result enc = Cli.run("envelope", "encrypt", "--in", plain.toString(), "--out", ct.toString(),
                    "--kbs-url", url, "--kbs-key", "default/kek/app", "--tee", "sample");
            assertThat(enc.code()).as(enc.err()).isZero();
            assertThat(enc.out()).contains("kbs:///default/kek/app");
            Path back = dir.resolve("data.out");
            Cli.Result dec = Cli.run("envelope", "decrypt", "--in", ct.toString(), "--out", back.toString(),
                    "--kbs-url", url, "--kbs-key", "default/kek/app", "--tee", "sample");
            assertThat(dec.code()).as(dec.err()).isZero();
            assertThat(Files.readAllBytes(back)).isEqualTo(data);

            // the same key from a file decrypts too? No: the KEK id differs (kbs:/// vs local:), so it is refused
            Path keyFile = write("kek.bin", k);
            Cli.Result other = Cli.run("envelope", "decrypt", "--in", ct.toString(), "--out",
                    dir.resolve("other.out").toString(), "--key-file", keyFile.toString());
            assertThat(other.code()).isEqualTo(1);

            kbs.resourcePolicy(ResourcePolicy.denyAll());
            Path denied = dir.resolve("denied.out");
            Cli.Result refused = Cli.run("envelope", "decrypt", "--in", ct.toString(), "--out", denied.toString(),
                    "--kbs-url", url, "--kbs-key", "default/kek/app", "--tee", "sample");
            assertThat(refused.code()).isEqualTo(1);
            assertThat(refused.firstErrLine()).startsWith("KEY_RELEASE_DENIED: ");
            assertThat(denied).doesNotExist();
        }
        Cli.Result noKey = Cli.run("envelope", "encrypt", "--in", plain.toString(), "--out",
                dir.resolve("y").toString(), "--kbs-url", "http://127.0.0.1:1");
        assertThat(noKey.code()).isEqualTo(2);
    }

    @Test
    void sealOutputVerifies() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(kp.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        Path key = write("signing.pem", pem.getBytes(StandardCharsets.US_ASCII));
        Cli.Result r = Cli.run("seal", "--kbs-resource", "kbs:///default/secret/db", "--signing-key",
                key.toString(), "--kid", "signer-1");
        assertThat(r.code()).as(r.err()).isZero();
        String sealed = r.out().strip();
        SealedSecret s = SealedSecret.verify(sealed, kid -> {
            assertThat(kid).isEqualTo("signer-1");
            return (ECPublicKey) kp.getPublic();
        });
        assertThat(s.type()).isEqualTo("vault");
        assertThat(s.payload().path("name").asText()).isEqualTo("kbs:///default/secret/db");

        Cli.Result k8s = Cli.run("seal", "--kbs-resource", "kbs:///default/secret/db", "--signing-key",
                key.toString(), "--kid", "signer-1", "--k8s-secret", "db-sealed");
        assertThat(k8s.code()).as(k8s.err()).isZero();
        assertThat(k8s.out()).contains("kind: Secret", "name: db-sealed", "  secret: sealed.");
        String inManifest = k8s.out().lines().filter(l -> l.startsWith("  secret: ")).findFirst().orElseThrow()
                .substring("  secret: ".length());
        assertThat(SealedSecret.verify(inManifest, kid -> (ECPublicKey) kp.getPublic()).verified()).isTrue();

        Cli.Result badName = Cli.run("seal", "--kbs-resource", "kbs:///default/secret/db", "--signing-key",
                key.toString(), "--kid", "signer-1", "--k8s-secret", "Bad_Name");
        assertThat(badName.code()).isEqualTo(2);
        Cli.Result badKey = Cli.run("seal", "--kbs-resource", "kbs:///default/secret/db", "--signing-key",
                write("junk.pem", "junk".getBytes(StandardCharsets.US_ASCII)).toString(), "--kid", "k");
        assertThat(badKey.code()).isEqualTo(2);
        assertThat(badKey.err()).doesNotContain("junk\n");
    }
}
