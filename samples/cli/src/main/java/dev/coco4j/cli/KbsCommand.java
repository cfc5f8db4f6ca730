package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.verify.EndorsementKeyCertificate;
import dev.coco4j.sev.verify.SnpTrustRoots;
import dev.coco4j.testkit.EmbeddedKbs;
import dev.coco4j.testkit.KbsEvent;
import dev.coco4j.testkit.ResourcePath;
import dev.coco4j.testkit.ResourcePolicy;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code coco4j kbs get|serve}: fetch a resource from a Trustee KBS, or run the embedded (testkit) KBS. */
@Command(name = "kbs", mixinStandardHelpOptions = true,
        description = "Fetch a resource from a Trustee KBS after attestation, or run the embedded KBS.",
        subcommands = {KbsCommand.Get.class, KbsCommand.Serve.class})
final class KbsCommand extends CommandGroup {

    /** {@code kbs get}: RCAR handshake, then the resource is written to --out (nothing written when refused). */
    @Command(name = "get", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Attest to the KBS and write the released resource to --out; nothing is written when it "
                    + "is refused.")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--url", required = true, paramLabel = "URL",
                description = "KBS base, scheme://host:port (without /kbs/v0); http only to loopback.")
        String url;

        @Option(names = "--path", required = true, paramLabel = "REPO/TYPE/TAG", description = "The resource.")
        String path;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where the resource goes.")
        Path out;

        @Option(names = "--tee", paramLabel = "auto|snp|tdx|sample|az-snp-vtpm|az-tdx-vtpm",
                description = "TEE to attest with (default auto, which never picks the test-only sample).")
        String tee;

        @Option(names = "--cacert", paramLabel = "FILE", description = "CA certificate(s) of the KBS (PEM or DER).")
        Path cacert;

        @Option(names = "--protocol", paramLabel = "VERSION", description = "KBS protocol version (default 0.4.0).")
        String protocol;

        @Option(names = "--timeout", paramLabel = "SECONDS", description = "Per HTTP request (default 30).")
        Integer timeout;

        @Option(names = "--init-data", paramLabel = "FILE", description = "Init-data (TOML) sent with the evidence.")
        Path initData;

        @Override
        public Integer call() {
            byte[] bytes;
            try (KbsClient client = KbsConnection.open(new KbsConnection.Settings(url, tee, cacert, protocol, timeout,
                    initData));
                 KbsSecret secret = client.getResource(path)) {
                bytes = secret.bytes();
            }
            try {
                OutputFiles.atomically(out, o -> o.write(bytes));
            } finally {
                Arrays.fill(bytes, (byte) 0);
            }
            spec.commandLine().getOut().println("wrote " + bytes.length + " bytes of " + path + " to " + out);
            return 0;
        }
    }

    /** {@code kbs serve}: the embedded KBS in the foreground until interrupted. */
    @Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Run the embedded (testkit) KBS, Trustee protocol 0.4.0, in the foreground until "
                    + "interrupted. For development and tests, not production.")
    static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--port", required = true, paramLabel = "N", description = "Port; 0 picks a free one.")
        int port;

        @Option(names = "--bind", paramLabel = "ADDRESS", description = "Address to bind (default 127.0.0.1).")
        String bind;

        @Option(names = "--resource", paramLabel = "REPO/TYPE/TAG=FILE",
                description = "A resource and the file holding its bytes (repeatable).")
        List<String> resources = List.of();

        @Option(names = "--allow-sample", description = "Accept Trustee's insecure sample evidence, and release "
                + "resources to it (the Trustee default policy would refuse it).")
        boolean allowSample;

        @Option(names = "--trust-sim-roots", paramLabel = "DIR",
                description = "Trust the simulated SNP roots `coco4j sim snp` wrote in DIR (repeatable).")
        List<Path> simRoots = List.of();

        @Option(names = "--tls-cert", paramLabel = "FILE",
                description = "TLS certificate chain (PEM, leaf first) to present instead of a generated one.")
        Path tlsCert;

        @Option(names = "--tls-key", paramLabel = "FILE", description = "The TLS private key (PKCS#8 PEM or DER).")
        Path tlsKey;

        @Option(names = "--port-file", paramLabel = "FILE", description = "Write the port here once listening.")
        Path portFile;

        @Option(names = "--ca-out", paramLabel = "FILE",
                description = "Write the generated CA certificate (PEM) here, for `kbs get --cacert`.")
        Path caOut;

        @Option(names = "--insecure-http", description = "Speak plain HTTP (loopback addresses only).")
        boolean insecureHttp;

        @Override
        public Integer call() {
            EmbeddedKbs.Builder b = EmbeddedKbs.builder().port(port).insecureHttp(insecureHttp);
            if (bind != null) {
                try {
                    b.bindAddress(InetAddress.getByName(bind));
                } catch (UnknownHostException e) {
                    throw new ConfigurationException(Reason.CONFIGURATION, "--bind: unknown address " + bind);
                }
            }
            Map<ResourcePath, byte[]> loaded = new LinkedHashMap<>();
            for (String r : resources) {
                int eq = r.indexOf('=');
                if (eq <= 0 || eq == r.length() - 1) {
                    throw new ConfigurationException(Reason.CONFIGURATION, "--resource: '" + r
                            + "' is not REPO/TYPE/TAG=FILE");
                }
                ResourcePath p;
                try {
                    p = ResourcePath.parse(r.substring(0, eq));
                } catch (RuntimeException e) {
                    throw new ConfigurationException(Reason.CONFIGURATION, "--resource: invalid path '"
                            + r.substring(0, eq) + "'");
                }
                loaded.put(p, InputFiles.read("--resource", Path.of(r.substring(eq + 1))));
            }
            loaded.forEach(b::resource);
            loaded.values().forEach(v -> Arrays.fill(v, (byte) 0));
            if (!simRoots.isEmpty()) {
                b.trustSnpRoots(simRoots(simRoots));
            }
            if (allowSample) {
                b.allowSample(true).resourcePolicy(ResourcePolicy.allowAll());
            }
            if ((tlsCert == null) != (tlsKey == null)) {
                throw new ConfigurationException(Reason.CONFIGURATION, "--tls-cert and --tls-key go together");
            }
            if (tlsCert != null) {
                if (insecureHttp) {
                    throw new ConfigurationException(Reason.CONFIGURATION,
                            "--tls-cert/--tls-key and --insecure-http exclude each other");
                }
                List<X509Certificate> chain = InputFiles.certificates("--tls-cert", tlsCert);
                PrivateKey key = PrivateKeys.read("--tls-key", tlsKey);
                b.tlsIdentity(key, chain);
            }
            PrintWriter out = spec.commandLine().getOut();
            b.listener(e -> {
                synchronized (out) {
                    out.println("kbs: " + describe(e));
                }
            });
            try (EmbeddedKbs kbs = b.start()) {
                if (caOut != null) {
                    OutputFiles.atomically(caOut, o -> o.write(kbs.caCertificatePem()
                            .getBytes(StandardCharsets.US_ASCII)));
                }
                if (portFile != null) {
                    OutputFiles.atomically(portFile, o -> o.write(Integer.toString(kbs.port())
                            .getBytes(StandardCharsets.US_ASCII)));
                }
                synchronized (out) {
                    out.println("embedded KBS listening on " + kbs.baseUri() + " (" + loaded.size()
                            + " resource(s)" + (allowSample ? ", sample evidence accepted" : "")
                            + "); for development and tests, not production. Interrupt to stop.");
                    out.flush();
                }
                CountDownLatch stop = new CountDownLatch(1);
                Thread hook = new Thread(() -> {
                    kbs.close();
                    stop.countDown();
                }, "coco4j-kbs-serve-stop");
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    stop.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook is running or has run
                    }
                }
            }
            out.println("embedded KBS stopped");
            return 0;
        }

        private static String describe(KbsEvent e) {
            return switch (e) {
                case KbsEvent.AuthIssued a -> "auth session " + a.session() + " tee " + a.tee();
                case KbsEvent.AuthRefused a -> "auth refused " + a.reason();
                case KbsEvent.AttestationAccepted a -> "attestation accepted session " + a.session() + " tee "
                        + a.tee();
                case KbsEvent.AttestationRefused a -> "attestation refused session " + a.session() + " tee "
                        + a.tee() + " " + a.reason();
                case KbsEvent.ResourceReleased r -> "released " + r.path() + " session " + r.session();
                case KbsEvent.ResourceDenied r -> "denied " + (r.path() == null ? "(invalid path)" : r.path())
                        + " session " + r.session() + " " + r.reason();
            };
        }

        /** The roots in each DIR {@code sim snp} wrote: ark.pem, ask.pem, and vcek.der for the product. */
        static SnpTrustRoots simRoots(List<Path> dirs) {
            SnpTrustRoots.Builder rb = SnpTrustRoots.builder();
            List<SnpProduct> seen = new ArrayList<>();
            for (Path dir : dirs) {
                X509Certificate ark = InputFiles.certificate("--trust-sim-roots", dir.resolve("ark.pem"));
                X509Certificate ask = InputFiles.certificate("--trust-sim-roots", dir.resolve("ask.pem"));
                X509Certificate vcek = InputFiles.certificate("--trust-sim-roots", dir.resolve("vcek.der"));
                SnpProduct product = EndorsementKeyCertificate.parse(vcek).product().orElseThrow(
                        () -> new ConfigurationException(Reason.CONFIGURATION, "--trust-sim-roots: "
                                + dir.resolve("vcek.der") + " names no product"));
                if (seen.contains(product)) {
                    throw new ConfigurationException(Reason.CONFIGURATION, "--trust-sim-roots: two directories for "
                            + product.kdsName());
                }
                seen.add(product);
                rb.product(product, ark, ask, ask);
            }
            return rb.build();
        }
    }
}
