package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.sealed.SealedSecret;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j seal}: a signed vault sealed secret naming a KBS resource, on stdout (optionally as a Kubernetes
 * Secret manifest). The sealed secret holds only the resource name, so whoever deploys it cannot read the secret.
 */
@Command(name = "seal", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Write a signed sealed secret (vault type) naming a KBS resource to stdout, optionally as a "
                + "Kubernetes Secret manifest.")
final class SealCommand implements Callable<Integer> {
    private static final Pattern DNS1123 = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
            + "[a-z0-9])?)*$");

    @Spec
    CommandSpec spec;

    @Option(names = "--kbs-resource", required = true, paramLabel = "kbs:///REPO/TYPE/TAG",
            description = "The KBS resource the secret lives at.")
    String resource;

    @Option(names = "--signing-key", required = true, paramLabel = "FILE",
            description = "EC P-256 private key (PKCS#8 PEM or DER) that signs the sealed secret.")
    Path signingKey;

    @Option(names = "--kid", required = true, paramLabel = "KID",
            description = "Key id verifiers resolve (a kbs:/// URI or a file name).")
    String kid;

    @Option(names = "--k8s-secret", paramLabel = "NAME",
            description = "Wrap it in a Kubernetes Secret manifest (YAML) with this name.")
    String k8sSecret;

    @Override
    public Integer call() {
        if (kid.isBlank() || kid.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--kid must be non-blank printable text");
        }
        if (k8sSecret != null && (k8sSecret.length() > 253 || !DNS1123.matcher(k8sSecret).matches())) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--k8s-secret: '" + k8sSecret
                    + "' is not a valid Kubernetes object name");
        }
        PrivateKey key = PrivateKeys.read("--signing-key", signingKey);
        if (!(key instanceof ECPrivateKey ec)) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--signing-key: an EC P-256 key is required");
        }
        String sealed = SealedSecret.sealVault(resource, ec, kid);
        var out = spec.commandLine().getOut();
        if (k8sSecret == null) {
            out.println(sealed);
        } else {
            out.println("apiVersion: v1");
            out.println("kind: Secret");
            out.println("metadata:");
            out.println("  name: " + k8sSecret);
            out.println("type: Opaque");
            out.println("stringData:");
            out.println("  secret: " + sealed);
        }
        out.flush();
        return 0;
    }
}
