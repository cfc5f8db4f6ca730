package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.envelope.KeyEncryptionKey;
import dev.coco4j.core.envelope.LocalKeyEncryptionKey;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where the key-encryption key comes from: {@code --key-file FILE} (32 raw bytes or 64 hex characters) or a KBS
 * ({@code --kbs-url URL --kbs-key REPO/TYPE/TAG [--tee ...] [--cacert FILE]}): a 256-bit key the KBS releases after
 * attestation, through sdk-kbs-client's {@code KbsKeyEncryptionKey} ({@link KbsKek}).
 */
final class KeyOptions {
    @Option(names = "--key-file", paramLabel = "FILE", description = "A 256-bit key: 32 raw bytes or 64 hex characters.")
    Path keyFile;

    @Option(names = "--kbs-url", paramLabel = "URL", description = "Release the key from this KBS after attestation.")
    String kbsUrl;

    @Option(names = "--kbs-key", paramLabel = "REPO/TYPE/TAG", description = "The KBS resource holding the key.")
    String kbsKey;

    @Option(names = "--tee", paramLabel = "auto|snp|tdx|sample|az-snp-vtpm|az-tdx-vtpm",
            description = "TEE to attest with (KBS only).")
    String tee;

    @Option(names = "--cacert", paramLabel = "FILE", description = "CA certificate of the KBS (KBS only).")
    Path cacert;

    /** Exactly one key source must be given. */
    private void check() {
        if ((keyFile == null) == (kbsUrl == null)) {
            throw new ConfigurationException(Reason.CONFIGURATION, "give exactly one of --key-file or --kbs-url");
        }
        if (kbsUrl != null && kbsKey == null) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--kbs-url needs --kbs-key REPO/TYPE/TAG");
        }
        if (kbsUrl == null && (kbsKey != null || tee != null || cacert != null)) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--kbs-key, --tee and --cacert need --kbs-url");
        }
        if (keyFile != null && !Files.isRegularFile(keyFile)) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--key-file: no such file " + keyFile);
        }
    }

    /** The KEK; the caller destroys it when done (for a KBS key that also closes the client). */
    KeyEncryptionKey kek() {
        check();
        if (kbsUrl != null) {
            return KbsKek.open(new KbsConnection.Settings(kbsUrl, tee, cacert, null, null, null), kbsKey);
        }
        return LocalKeyEncryptionKey.fromFile(keyFile);
    }

    /** The raw bytes of the key file (callers zero them); only for --key-file. */
    byte[] keyFileBytes() {
        check();
        if (kbsUrl != null) {
            throw new ConfigurationException(Reason.CONFIGURATION, "this command needs --key-file (no KBS key)");
        }
        return LocalKeyEncryptionKey.readKeyFile(keyFile);
    }
}
