package dev.coco4j.cli;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.gpu.abi.GpuAttestationReport;
import dev.coco4j.gpu.abi.SpdmMeasurementRequest;
import dev.coco4j.gpu.nras.NrasClient;
import dev.coco4j.gpu.nras.NrasGpuClaims;
import dev.coco4j.gpu.nras.NrasRequest;
import dev.coco4j.gpu.nras.NrasResult;
import dev.coco4j.gpu.verify.GpuArchitecture;
import dev.coco4j.core.crypto.CertificateChainVerifier;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import dev.coco4j.gpu.rim.RimTrustRoots;
import dev.coco4j.gpu.validate.GpuEvidenceVerifier;
import dev.coco4j.gpu.validate.GpuPolicy;
import dev.coco4j.gpu.verify.GpuTrustRoots;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code coco4j verify gpu}: verifies an NVIDIA GPU attestation report with the SDK's {@link GpuEvidenceVerifier}:
 * the SPDM signature, the device chain to the NVIDIA device identity root (or {@code --root}), the 32-byte nonce, and
 * every measurement against the driver and VBIOS RIMs (given with {@code --rim}, else fetched; verified to the NVIDIA
 * RIM root or {@code --rim-root}). OCSP is checked when online; {@code --offline} makes it a warning. Exit 0
 * accepted, 1 refused, 2 usage or input error, 3 collateral or service unavailable.
 *
 * <p>With {@code --nras-url} (a compatible extension of CLI.md) the appraisal is NVIDIA's Remote Attestation Service's
 * instead: the report and chain are sent to it ({@link NrasClient}) and its detached EAT is verified
 * ({@link dev.coco4j.gpu.nras.NrasTokenVerifier}: ES384 against the service's JWKS, expiry at {@code --at}, the
 * nonce, per-GPU digests, NVIDIA's verdicts). The local-only options ({@code --rim}, {@code --no-rim},
 * {@code --root}, {@code --rim-root}, {@code --offline}) cannot be combined with it.
 */
@Command(name = "gpu", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Verify an NVIDIA GPU attestation report and its measurements.")
final class VerifyGpuCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--report", required = true, paramLabel = "FILE", description = "The report: raw bytes or hex text.")
    Path report;

    @Option(names = "--cert-chain", required = true, paramLabel = "FILE",
            description = "The GPU's device certificate chain (PEM, 5 certificates, leaf first).")
    Path certChain;

    @Option(names = "--nonce", required = true, paramLabel = "HEX", description = "The 32-byte nonce given to the GPU.")
    String nonce;

    @Option(names = "--rim", paramLabel = "FILE",
            description = "A driver or VBIOS RIM (SWID XML); repeat for both. Missing ones are fetched when online.")
    List<Path> rims = new ArrayList<>();

    @Option(names = "--no-rim", description = "Skip the measurement comparison (printed as a warning).")
    boolean noRim;

    @Option(names = "--root", paramLabel = "FILE",
            description = "Trust this device identity root instead of NVIDIA's (simulators, tests).")
    Path root;

    @Option(names = "--rim-root", paramLabel = "FILE",
            description = "Trust this RIM signing root instead of NVIDIA's (simulators, tests).")
    Path rimRoot;

    @Option(names = "--at", paramLabel = "INSTANT", description = "Verify as of this ISO-8601 instant (default: now).")
    String at;

    @Option(names = "--offline", description = "Contact no service: OCSP becomes a warning; RIMs must be given.")
    boolean offline;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    boolean json;

    @Option(names = "--nras-url", paramLabel = "URL",
            description = "Appraise online with NVIDIA's Remote Attestation Service at this base URL "
                    + "(https://nras.attestation.nvidia.com, or a mirror) instead of locally.")
    String nrasUrl;

    @Option(names = "--nras-api-key-file", paramLabel = "FILE",
            description = "A file holding the NGC API key NRAS may require (never printed).")
    Path nrasApiKeyFile;

    @Option(names = "--nras-claims-version", paramLabel = "VERSION", defaultValue = "3.0",
            description = "The claims version asked of NRAS v4: 2.0, 3.0 (default) or 4.0.")
    String nrasClaimsVersion;

    @Option(names = "--nras-allow-ppcie",
            description = "Accept a GPU NRAS reports in PPCIe mode although no NVSwitch evidence was attested.")
    boolean nrasAllowPpcie;

    VerifyGpuCommand() {
    }

    /** A 32-byte nonce in hex, or a usage error. */
    static byte[] nonce(String text) {
        byte[] n = Args.hex("--nonce", text);
        if (n.length != SpdmMeasurementRequest.NONCE_LENGTH) {
            throw Args.bad("--nonce", "must be 32 bytes (64 hex digits), not " + n.length);
        }
        return n;
    }

    @Override
    public Integer call() {
        return VerificationOutput.run(spec.commandLine().getOut(), json, "gpu", this::verify,
                VerifyGpuCommand::printAccepted);
    }

    private AttestationResult verify() {
        if (nrasUrl != null) {
            return verifyWithNras();
        }
        if (nrasApiKeyFile != null || nrasAllowPpcie) {
            throw Args.bad(nrasApiKeyFile != null ? "--nras-api-key-file" : "--nras-allow-ppcie",
                    "needs --nras-url");
        }
        byte[] expectedNonce = nonce(nonce);
        Instant instant = Args.instant("--at", at);
        if (noRim && !rims.isEmpty()) {
            throw Args.bad("--no-rim", "cannot be combined with --rim");
        }
        byte[] reportBytes = InputFiles.binary("--report", report);
        byte[] chainBytes = InputFiles.read("--cert-chain", certChain);
        GpuAttestationReport parsed = GpuAttestationReport.parse(reportBytes);
        GpuEvidenceVerifier.Builder b = GpuEvidenceVerifier.builder()
                .policy(GpuPolicy.builder().requireRims(!noRim).build());
        if (root != null) {
            b.trustRoots(GpuTrustRoots.of(InputFiles.certificate("--root", root)));
        }
        if (rimRoot != null) {
            b.rimTrustRoots(RimTrustRoots.of(InputFiles.certificate("--rim-root", rimRoot)));
        }
        if (!noRim) {
            GpuRimFiles source = GpuRimFiles.of(rims, parsed.opaqueData(), offline);
            if (offline && source.isEmpty()) {
                throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE, "no --rim given and --offline: the "
                        + "driver and VBIOS RIMs cannot be fetched from NVIDIA's RIM service (give them with --rim, "
                        + "or --no-rim to skip the comparison)");
            }
            b.rimSource(source);
        }
        VerificationOptions options = VerificationOptions.builder().offline(offline)
                .clock(Args.clock(instant)).build();
        return b.build().verify(new Evidence(TeeType.NVIDIA_GPU, reportBytes, chainBytes), expectedNonce, options);
    }

    private AttestationResult verifyWithNras() {
        for (var local : List.of(Map.entry("--rim", !rims.isEmpty()), Map.entry("--no-rim", noRim),
                Map.entry("--root", root != null), Map.entry("--rim-root", rimRoot != null),
                Map.entry("--offline", offline))) {
            if (local.getValue()) {
                throw Args.bad(local.getKey(), "cannot be combined with --nras-url (NRAS appraises remotely)");
            }
        }
        byte[] expectedNonce = nonce(nonce);
        Instant instant = Args.instant("--at", at);
        byte[] reportBytes = InputFiles.binary("--report", report);
        byte[] chainBytes = InputFiles.read("--cert-chain", certChain);
        GpuAttestationReport.parse(reportBytes);
        X509Certificate leaf = InputFiles.certificates("--cert-chain", certChain).getFirst();
        GpuArchitecture arch = GpuArchitecture.fromCommonName(
                CertificateChainVerifier.subjectName(leaf).replace("'", ""));
        NrasClient.Builder b = NrasClient.builder().baseUrl(nrasUrl).allowPpcieWithoutSwitchEvidence(nrasAllowPpcie)
                .clock(Args.clock(instant));
        if (nrasApiKeyFile != null) {
            String key = new String(InputFiles.read("--nras-api-key-file", nrasApiKeyFile),
                    StandardCharsets.UTF_8).strip();
            if (key.isEmpty()) {
                throw Args.bad("--nras-api-key-file", "is empty");
            }
            b.apiKey(key);
        }
        NrasRequest request = NrasRequest.builder().nonce(expectedNonce).architecture(arch)
                .claimsVersion(nrasClaimsVersion).addEvidence(reportBytes, chainBytes).build();
        NrasResult r = b.build().attest(request);
        Map<String, Object> claims = new LinkedHashMap<>(r.toAttestationResult().claims());
        NrasGpuClaims g = r.gpus().getFirst();
        claims.put("appraised_by", "nras");
        claims.put("arch", arch.nvidiaName());
        g.driverVersion().ifPresent(v -> claims.put("driver_version", v));
        g.vbiosVersion().ifPresent(v -> claims.put("vbios_version", v));
        g.hwModel().ifPresent(v -> claims.put("hwmodel", v));
        g.ueid().ifPresent(v -> claims.put("ueid", v));
        g.measurementResult().ifPresent(v -> claims.put("measres", v));
        AttestationResult base = r.toAttestationResult();
        return new AttestationResult(base.tee(), claims, base.tcbStatus(), base.warnings(), base.verifiedAt());
    }

    private static void printAccepted(PrintWriter out, AttestationResult r) {
        Map<String, Object> c = r.claims();
        String how = "nras".equals(c.get("appraised_by")) ? "appraised by NRAS" : "verified";
        out.println("OK: NVIDIA GPU report " + how + " (" + c.get("arch") + ", driver " + c.get("driver_version")
                + ", VBIOS " + c.get("vbios_version") + ")");
        Fields f = new Fields();
        for (var e : c.entrySet()) {
            f.add(e.getKey(), e.getValue());
        }
        f.add("verified_at", r.verifiedAt());
        f.printAligned(out, "  ");
        for (String w : r.warnings()) {
            out.println("warning: " + w);
        }
    }
}
