package dev.coco4j.cli;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.core.spi.Attesters;
import dev.coco4j.kbs.InitData;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.evidence.InsecureSampleAttester;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Builds the {@link KbsClient} for {@code kbs get} and {@code envelope --kbs-url}:
 * {@code --tee auto|snp|tdx|sample|az-snp-vtpm|az-tdx-vtpm} (auto never picks sample; the Azure vTPM TEEs are found by
 * auto on an Azure confidential VM, and {@code KbsClient} sends their evidence in Trustee's az-*-vtpm form), {@code --cacert}, {@code --protocol}, {@code --timeout}, {@code --init-data}.
 */
final class KbsConnection {
    private KbsConnection() {
    }

    /** The settings of one connection; null means the default. */
    record Settings(String url, String tee, Path cacert, String protocol, Integer timeoutSeconds, Path initData) {
    }

    static KbsClient open(Settings s) {
        if (s.url() == null || s.url().isBlank()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--url: the KBS base URL is required");
        }
        String url = s.url().endsWith("/") ? s.url().substring(0, s.url().length() - 1) : s.url();
        KbsClient.Builder b = KbsClient.builder().baseUrl(url).attester(attester(s.tee()));
        if (s.cacert() != null) {
            if (!Files.isRegularFile(s.cacert())) {
                throw new ConfigurationException(Reason.CONFIGURATION, "--cacert: no such file " + s.cacert());
            }
            b.trustCaFile(s.cacert());
        } else if (url.regionMatches(true, 0, "https:", 0, 6)) {
            b.systemTrust();
        }
        if (s.protocol() != null) {
            b.protocolVersion(s.protocol());
        }
        if (s.timeoutSeconds() != null) {
            if (s.timeoutSeconds() < 1 || s.timeoutSeconds() > 3600) {
                throw new ConfigurationException(Reason.CONFIGURATION, "--timeout: 1..3600 seconds");
            }
            b.timeout(Duration.ofSeconds(s.timeoutSeconds()));
        }
        if (s.initData() != null) {
            b.initData(InitData.parse(InputFiles.read("--init-data", s.initData())));
        }
        return b.build();
    }

    /** The values {@code --tee} accepts. */
    static final String TEES = "auto, snp, tdx, sample, az-snp-vtpm or az-tdx-vtpm";

    /** The attester {@code --tee} names; {@code auto} (the default) detects a real TEE and never picks sample. */
    static Attester attester(String tee) {
        String t = tee == null ? "auto" : tee.toLowerCase(Locale.ROOT);
        return switch (t) {
            case "auto" -> Attesters.detect();
            case "sample" -> new InsecureSampleAttester();
            case "snp" -> available(TeeType.SNP);
            case "tdx" -> available(TeeType.TDX);
            case "az-snp-vtpm" -> available(TeeType.AZ_SNP_VTPM);
            case "az-tdx-vtpm" -> available(TeeType.AZ_TDX_VTPM);
            default -> throw new ConfigurationException(Reason.CONFIGURATION, "--tee: expected " + TEES + ", got '"
                    + tee + "'");
        };
    }

    private static Attester available(TeeType tee) {
        Attester a = Attesters.forTee(tee).orElseThrow(() -> new ConfigurationException(Reason.CONFIGURATION,
                "--tee " + tee.id() + ": no attester for it is installed"));
        if (!a.isAvailable()) {
            throw new ConfigurationException(Reason.CONFIGURATION, "--tee " + tee.id() + ": not available here ("
                    + Failures.oneLine(a.describeAvailability()) + ")");
        }
        return a;
    }
}
