package dev.coco4j.benchmarks.report;

import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.sev.verify.SnpCollateral;
import dev.coco4j.sev.verify.SnpReportVerifier;
import dev.coco4j.testkit.EmbeddedKbs;
import dev.coco4j.testkit.ResourcePolicy;
import dev.coco4j.testkit.SimulatedSnpAttester;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Cold-start figures, each measured in a fresh JVM started with the same {@code java} and class path as this one.
 *
 * <p>{@code snp}: the first SEV-SNP verification of a real report (Genoa v5, Oak) with its VCEK — verifier built,
 * chain checked to the pinned AMD roots, signature verified — timed from JVM start and from {@code main}.
 * {@code kbs}: the first secret released by an embedded Trustee-protocol KBS (HTTPS on loopback, simulated SEV-SNP
 * CPU): from JVM start, and from the moment the KBS is listening to the decrypted secret (RCAR handshake, simulated
 * report, verification by the KBS, JWE). Each child prints {@code name=millis} lines on stdout.
 */
public final class ColdStart {
    private ColdStart() {
    }

    /**
     * Child entry point: {@code snp} or {@code kbs}.
     *
     * @param args exactly one argument, {@code snp} or {@code kbs}; anything else prints a usage line and exits with
     *     status 2
     * @throws Exception if the timed operation fails (the vector does not verify, the KBS refuses); the child then
     *     exits non-zero and the parent reports it
     */
    public static void main(String[] args) throws Exception {
        long mainAt = System.nanoTime();
        long mainWall = System.currentTimeMillis();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        switch (args.length == 1 ? args[0] : "") {
            case "snp" -> {
                byte[] report = resource("/vectors/sev/oak_genoa_v5_report.bin");
                var vcek = Certificates.parse(resource("/vectors/sev/oak_genoa_v5_vcek.der"));
                SnpReportVerifier verifier = SnpReportVerifier.builder()
                        .clock(Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC)).offline(true)
                        .build();
                verifier.verify(report, SnpCollateral.ofEndorsementKey(vcek));
                long done = System.nanoTime();
                System.out.println("snp_from_jvm_start=" + (mainWall - jvmStart + ms(done - mainAt)));
                System.out.println("snp_from_main=" + ms(done - mainAt));
            }
            case "kbs" -> {
                SimulatedSnpPlatform cpu = SimulatedSnpPlatform.builder().build();
                byte[] secret = new byte[32];
                new SecureRandom().nextBytes(secret);
                try (EmbeddedKbs kbs = EmbeddedKbs.builder().trustSnpRoots(cpu.trustRoots())
                        .resourcePolicy(ResourcePolicy.allowAll()).resource("default/key/cold", secret).start()) {
                    long ready = System.nanoTime();
                    KeyStore trust = KeyStore.getInstance("PKCS12");
                    trust.load(null, null);
                    trust.setCertificateEntry("kbs-ca", kbs.caCertificate());
                    String url = kbs.baseUri().toString();
                    try (KbsClient client = KbsClient.builder().baseUrl(url.substring(0, url.length() - 1))
                            .trustStore(trust).attester(new SimulatedSnpAttester(cpu)).build();
                         KbsSecret s = client.getResource("default/key/cold")) {
                        long done = System.nanoTime();
                        if (s.length() != secret.length) {
                            throw new IllegalStateException("the KBS released a secret of the wrong length");
                        }
                        System.out.println("kbs_from_jvm_start=" + (mainWall - jvmStart + ms(done - mainAt)));
                        System.out.println("kbs_from_ready=" + ms(done - ready));
                    }
                }
            }
            default -> {
                System.err.println("usage: ColdStart snp|kbs");
                System.exit(2);
            }
        }
    }

    /**
     * Runs {@code runs} fresh JVMs per figure and collects the values.
     *
     * @param runs fresh JVMs per kind (at least 1)
     * @param log where progress lines go
     * @return the four figures, in a fixed order
     * @throws IOException if a child cannot be started or fails
     */
    public static List<ColdStartResult> measure(int runs, java.io.PrintStream log) throws IOException {
        Map<String, String> names = new java.util.LinkedHashMap<>();
        names.put("snp_from_jvm_start", "first SNP verification, from JVM start");
        names.put("snp_from_main", "first SNP verification, from main()");
        names.put("kbs_from_jvm_start", "first KBS secret (simulated SNP, HTTPS), from JVM start (includes "
                + "generating the simulated CPU's keys and starting the KBS)");
        names.put("kbs_from_ready", "first KBS secret, from KBS listening (client: handshake, attest, JWE)");
        Map<String, List<Double>> values = new java.util.LinkedHashMap<>();
        names.keySet().forEach(k -> values.put(k, new ArrayList<>()));
        for (String kind : List.of("snp", "kbs")) {
            for (int i = 0; i < runs; i++) {
                for (String line : child(kind)) {
                    int eq = line.indexOf('=');
                    if (eq > 0 && values.containsKey(line.substring(0, eq))) {
                        values.get(line.substring(0, eq)).add(Double.parseDouble(line.substring(eq + 1)));
                    }
                }
                log.println("cold start " + kind + " run " + (i + 1) + "/" + runs + " done");
            }
        }
        List<ColdStartResult> out = new ArrayList<>();
        names.forEach((k, label) -> out.add(new ColdStartResult(label, values.get(k))));
        return out;
    }

    private static List<String> child(String kind) throws IOException {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-cp", System.getProperty("java.class.path"),
                ColdStart.class.getName(), kind).redirectError(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("cold-start child '" + kind + "' failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted", e);
        }
        return out.lines().toList();
    }

    private static double ms(long nanos) {
        return nanos / 1_000_000.0;
    }

    private static byte[] resource(String path) {
        try (InputStream in = ColdStart.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
