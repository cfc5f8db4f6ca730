package dev.coco4j.gpu.validate;

import static dev.coco4j.gpu.GpuTests.thrown;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.VerificationOptions;
import dev.coco4j.core.spi.Verifiers;
import dev.coco4j.gpu.Vectors;
import dev.coco4j.gpu.rim.DirectoryRimStore;
import dev.coco4j.gpu.verify.OcspResult;
import dev.coco4j.gpu.verify.OcspStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuEvidenceVerifierTest {
    static final byte[] NONCE_2023 = Vectors.hex("4cff7f5380ead8fad8ec2c531c110aca4302a88f603792801a8ca29ee151af2e");
    static final Evidence EVIDENCE_2023 = new Evidence(TeeType.NVIDIA_GPU,
            Vectors.report("nvtrust-lgv-samples-2023/attestationReport.txt"),
            Vectors.bytes("nvtrust-lgv-samples-2023/gpuAkCertChain.txt"));

    @TempDir
    Path rims;

    @BeforeEach
    void store() throws Exception {
        Files.write(rims.resolve("NV_GPU_DRIVER_GH100_545.00.xml"),
                Vectors.bytes("nvtrust-lgv-samples/Driver_RIM_test_no_gpu.swidtag"));
        Files.write(rims.resolve("NV_GPU_VBIOS_1010_0200_882_96005E0001.xml"),
                Vectors.bytes("nvtrust-lgv-samples/1010_0200_882_96005E0001_test_no_gpu.swidtag"));
    }

    static VerificationOptions options(Instant at, boolean offline, byte[] nonce) {
        return VerificationOptions.builder().clock(Clock.fixed(at, ZoneOffset.UTC)).offline(offline)
                .expectedReportData(ReportData.of(nonce)).build();
    }

    GpuEvidenceVerifier verifier(GpuPolicy policy) {
        return GpuEvidenceVerifier.builder().rimSource(new DirectoryRimStore(rims)).policy(policy).build();
    }

    @Test
    void discoveredThroughTheServiceLoader() {
        assertThat(Verifiers.forTee(TeeType.NVIDIA_GPU)).isInstanceOf(GpuEvidenceVerifier.class);
    }

    @Test
    void the2023ReportIsAcceptedOfflineWithItsTestRimsAtAPinnedTime() {
        AttestationResult r = verifier(GpuPolicy.defaults()).verify(EVIDENCE_2023,
                options(Vectors.PINNED, true, NONCE_2023));
        assertThat(r.tee()).isEqualTo(TeeType.NVIDIA_GPU);
        assertThat(r.claim("driver_version")).isEqualTo("545.00");
        assertThat(r.claim("vbios_version")).isEqualTo("96.00.5E.00.01");
        assertThat(r.claim("hwmodel")).isEqualTo("GH100 A01 GSP BROM");
        assertThat(r.claim("measres")).isEqualTo("success");
        assertThat(r.claim("driver_rim_id")).isEqualTo("NV_GPU_DRIVER_GH100_545.00");
        assertThat(r.warnings()).anyMatch(w -> w.contains("OCSP not checked"));
    }

    @Test
    void onlineWithGoodOcspHasNoOcspWarning() {
        GpuEvidenceVerifier v = GpuEvidenceVerifier.builder().rimSource(new DirectoryRimStore(rims))
                .ocspClient((cert, path, at) -> new OcspResult(OcspStatus.GOOD, -1, at, null)).build();
        AttestationResult r = v.verify(EVIDENCE_2023, options(Vectors.PINNED, false, NONCE_2023));
        assertThat(r.claim("ocsp_checked")).isEqualTo(true);
        assertThat(r.warnings()).noneMatch(w -> w.contains("OCSP"));
    }

    @Test
    void afterTheRimSignerExpiredItIsCertExpired() {
        assertThat(thrown(() -> verifier(GpuPolicy.defaults()).verify(EVIDENCE_2023,
                options(Instant.parse("2026-01-01T00:00:00Z"), true, NONCE_2023))).reason())
                .isEqualTo(Reason.CERT_EXPIRED);
    }

    @Test
    void productionVbiosRimIsMeasurementMismatch() throws Exception {
        Files.write(rims.resolve("NV_GPU_VBIOS_1010_0200_882_96005E0001.xml"),
                Vectors.bytes("nvtrust-lgv-samples/1010_0200_882_96005E0001_PROD.swidtag"));
        CocoException e = thrown(() -> verifier(GpuPolicy.defaults()).verify(EVIDENCE_2023,
                options(Vectors.PINNED, true, NONCE_2023)));
        assertThat(e.reason()).isEqualTo(Reason.MEASUREMENT_MISMATCH);
        assertThat(e.getMessage()).contains("1 (vbios)").contains("9 (vbios)");
    }

    @Test
    void missingRimIsRimNotFoundNamingTheId() throws Exception {
        Files.delete(rims.resolve("NV_GPU_DRIVER_GH100_545.00.xml"));
        CocoException e = thrown(() -> verifier(GpuPolicy.defaults()).verify(EVIDENCE_2023,
                options(Vectors.PINNED, true, NONCE_2023)));
        assertThat(e.reason()).isEqualTo(Reason.RIM_NOT_FOUND);
        assertThat(e.getMessage()).contains("NV_GPU_DRIVER_GH100_545.00");
    }

    @Test
    void noRimModeWarns() {
        AttestationResult r = verifier(GpuPolicy.builder().requireRims(false).build()).verify(
                new Evidence(TeeType.NVIDIA_GPU, Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt"),
                        Vectors.bytes("nvtrust-lgv-samples/hopperCertChain.txt")),
                options(Instant.now(), true, Vectors.NONCE_931D));
        assertThat(r.warnings()).anyMatch(w -> w.contains("not compared with RIMs"));
        assertThat(r.claim("fwid_match")).isEqualTo("match");
    }

    @Test
    void wrongNonceAndPolicyViolationsAreRefused() {
        assertThat(thrown(() -> verifier(GpuPolicy.defaults()).verify(EVIDENCE_2023,
                options(Vectors.PINNED, true, new byte[32]))).reason()).isEqualTo(Reason.NONCE_MISMATCH);
        GpuPolicy onlyNew = GpuPolicy.builder().acceptDriverVersion("550.90.07").acceptVbiosVersion("96.00.9f.00.01")
                .build();
        CocoException e = thrown(() -> verifier(onlyNew).verify(EVIDENCE_2023, options(Vectors.PINNED, true,
                NONCE_2023)));
        assertThat(e.reason()).isEqualTo(Reason.POLICY_VIOLATION);
        assertThat(e.failures()).hasSize(2);
        assertThat(thrown(() -> verifier(GpuPolicy.defaults()).verify(EVIDENCE_2023, VerificationOptions.builder()
                .offline(true).build())).reason()).isEqualTo(Reason.CONFIGURATION);
    }
}
