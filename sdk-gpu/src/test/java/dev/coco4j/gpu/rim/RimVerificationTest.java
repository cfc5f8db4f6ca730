package dev.coco4j.gpu.rim;

import static dev.coco4j.gpu.GpuTests.thrown;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.collateral.CollateralFetcher;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.gpu.Vectors;
import dev.coco4j.gpu.abi.GpuAttestationReport;
import dev.coco4j.gpu.verify.GpuArchitecture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RimVerificationTest {
    static final RimVerifier OFFLINE = RimVerifier.builder().offline(true).build();
    static final String DRIVER_TEST = "nvtrust-lgv-samples/Driver_RIM_test_no_gpu.swidtag";
    static final String VBIOS_TEST = "nvtrust-lgv-samples/1010_0200_882_96005E0001_test_no_gpu.swidtag";
    static final String VBIOS_PROD = "nvtrust-lgv-samples/1010_0200_882_96005E0001_PROD.swidtag";
    static final GpuAttestationReport REPORT_2023 =
            GpuAttestationReport.parse(Vectors.report("nvtrust-lgv-samples-2023/attestationReport.txt"));

    @Test
    void report2023MatchesItsTwoTestRimsAtAPinnedTime() {
        List<String> warnings = new ArrayList<>();
        ReferenceManifest driver = OFFLINE.verify(Vectors.bytes(DRIVER_TEST), Vectors.PINNED, warnings);
        ReferenceManifest vbios = OFFLINE.verify(Vectors.bytes(VBIOS_TEST), Vectors.PINNED, warnings);
        assertThat(driver.colloquialVersion()).isEqualTo("545.00");
        assertThat(vbios.colloquialVersion()).isEqualToIgnoringCase("96.00.5E.00.01");
        assertThat(driver.activeMeasurements()).extracting(RimMeasurement::index)
                .containsExactly(7, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40);
        assertThat(vbios.activeMeasurements()).extracting(RimMeasurement::index)
                .containsExactly(0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12);
        assertThat(driver.firmwareManufacturerId()).isEqualTo("5703");
        assertThat(warnings).anyMatch(w -> w.contains("OCSP not checked"));
        MeasurementComparison c = MeasurementComparator.compare(REPORT_2023, driver, vbios);
        assertThat(c.mismatches()).isEmpty();
        assertThat(c.uncovered()).isEmpty();
        assertThat(c.compared().size() + c.skipped().size()).isEqualTo(33);
        c.requireMatch(false);
    }

    @Test
    void productionVbiosRimAgainstThe2023ReportIsMeasurementMismatch() {
        ReferenceManifest driver = OFFLINE.verify(Vectors.bytes(DRIVER_TEST), Vectors.PINNED);
        ReferenceManifest prod = OFFLINE.verify(Vectors.bytes(VBIOS_PROD), Vectors.PINNED);
        MeasurementComparison c = MeasurementComparator.compare(REPORT_2023, driver, prod);
        assertThat(c.mismatchingIndices()).containsExactly(1, 2, 3, 9);
        assertThat(c.mismatches()).allMatch(m -> m.source() == RimKind.VBIOS && m.actual() != null);
        assertThatThrownBy(() -> c.requireMatch(false)).isInstanceOfSatisfying(AttestationException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.MEASUREMENT_MISMATCH);
            assertThat(e.getMessage()).contains("1 (vbios), 2 (vbios), 3 (vbios), 9 (vbios)");
        });
    }

    @Test
    void nvatVbiosMismatchRimDiffersAtIndex9() {
        GpuAttestationReport r = GpuAttestationReport.parse(
                Vectors.report("nvat-testdata/sample_attestation_data__gpu__hopperAttestationReport.txt"));
        ReferenceManifest prod = OFFLINE.verify(Vectors.bytes(VBIOS_PROD), Vectors.PINNED);
        ReferenceManifest emptyDriver = new ReferenceManifest("t", "GH100", "1", "x", "GH100", null, List.of(),
                List.of());
        assertThat(MeasurementComparator.compare(r, emptyDriver, prod).mismatches()).isEmpty();
        ReferenceManifest mm = OFFLINE.verify(Vectors.bytes(
                "nvat-testdata/sample_rims__NV_GPU_VBIOS_1010_0200_882_96005E0001_measurement_mismatch.xml"),
                Vectors.PINNED);
        assertThat(MeasurementComparator.compare(r, emptyDriver, mm).mismatchingIndices()).containsExactly(9);
    }

    @Test
    void tamperedSignatureIsRimInvalid() {
        CocoException e = thrown(() -> OFFLINE.verify(Vectors.bytes("nvat-testdata/incorrect_signature_driver_rim.xml"),
                Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(e.reason()).isEqualTo(Reason.RIM_INVALID);
    }

    @Test
    void debugChainIsChainInvalid() {
        CocoException e = thrown(() -> OFFLINE.verify(
                Vectors.bytes("nvat-testdata/incorrect_cert_chain_driver_rim.xml"), Instant.parse("2026-01-01T00:00:00Z")));
        assertThat(e.reason()).isEqualTo(Reason.CHAIN_INVALID);
    }

    @Test
    void validProductionDriverRimVerifiesNowAndNotUnderAWrongRoot() {
        Instant at = Instant.parse("2026-06-01T00:00:00Z");
        ReferenceManifest m = OFFLINE.verify(Vectors.bytes("nvat-testdata/NV_GPU_DRIVER_GH100_550.144.03.xml"), at);
        assertThat(m.colloquialVersion()).isEqualTo("550.144.03");
        RimVerifier wrong = RimVerifier.builder().offline(true).trustRoots(RimTrustRoots.of(
                Certificates.parse(Vectors.bytes("nvat-testdata/incorrect_rim_root.crt")))).build();
        assertThat(thrown(() -> wrong.verify(Vectors.bytes("nvat-testdata/NV_GPU_DRIVER_GH100_550.144.03.xml"), at))
                .reason()).isEqualTo(Reason.CHAIN_INVALID);
    }

    @Test
    void testRimsAfterTheirSignerExpiredAreCertExpired() {
        Instant after = Instant.parse("2025-07-01T00:00:00Z");
        for (String rim : new String[] {DRIVER_TEST, VBIOS_TEST}) {
            assertThat(thrown(() -> OFFLINE.verify(Vectors.bytes(rim), after)).reason())
                    .isEqualTo(Reason.CERT_EXPIRED);
        }
    }

    @Test
    void doctypesAndExternalEntitiesAreRefused() {
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + "<SoftwareIdentity xmlns=\"" + RimParser.SWID_NS + "\">&e;</SoftwareIdentity>";
        assertThat(thrown(() -> RimParser.parse(xxe.getBytes(StandardCharsets.UTF_8))).reason())
                .isEqualTo(Reason.RIM_INVALID);
        assertThat(thrown(() -> RimParser.parse("not xml".getBytes(StandardCharsets.UTF_8))).reason())
                .isEqualTo(Reason.RIM_INVALID);
    }

    @Test
    void rimIdsFollowNvidiasNaming() {
        assertThat(RimIds.driver(REPORT_2023.opaqueData(), GpuArchitecture.HOPPER))
                .isEqualTo("NV_GPU_DRIVER_GH100_545.00");
        assertThat(RimIds.vbios(REPORT_2023.opaqueData())).isEqualTo("NV_GPU_VBIOS_1010_0200_882_96005E0001");
        GpuAttestationReport bw = GpuAttestationReport.parse(
                Vectors.report("nvat-testdata/sample_attestation_data__gpu__blackwellAttestationReport.txt"));
        assertThat(RimIds.driver(bw.opaqueData(), GpuArchitecture.BLACKWELL))
                .isEqualTo("NV_GPU_CC_DRIVER_GB100_575.32");
        assertThat(RimIds.vbios(bw.opaqueData())).isEqualTo("NV_GPU_VBIOS_G525_0220_886_970088000F");
    }

    @Test
    void directoryStoreFindsRimsAndSaysRimNotFound(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("NV_GPU_DRIVER_GH100_545.00.xml"), Vectors.bytes(DRIVER_TEST));
        DirectoryRimStore store = new DirectoryRimStore(dir);
        assertThat(store.fetch("NV_GPU_DRIVER_GH100_545.00")).isEqualTo(Vectors.bytes(DRIVER_TEST));
        CocoException e = thrown(() -> store.fetch("NV_GPU_DRIVER_GH100_999.99"));
        assertThat(e.reason()).isEqualTo(Reason.RIM_NOT_FOUND);
        assertThat(e.getMessage()).contains("NV_GPU_DRIVER_GH100_999.99");
    }

    @Test
    void rimServiceClientFetchesAndMaps404ToRimNotFound() throws Exception {
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            String b64 = Base64.getEncoder().encodeToString(Vectors.bytes(DRIVER_TEST));
            server.enqueue(new MockResponse().setResponseCode(200).addHeader("Content-Type", "application/json")
                    .setBody("{\"id\":\"NV_GPU_DRIVER_GH100_545.00\",\"rim\":\"" + b64 + "\"}"));
            server.enqueue(new MockResponse().setResponseCode(404).setBody("{\"message\":\"RIM_NOT_FOUND\"}"));
            RimServiceClient client = RimServiceClient.builder()
                    .fetcher(CollateralFetcher.builder().maxAttempts(1).build())
                    .baseUrl(server.url("/").toString()).serviceKey("k").cacheTtl(Duration.ofMinutes(5)).build();
            assertThat(client.fetch("NV_GPU_DRIVER_GH100_545.00")).isEqualTo(Vectors.bytes(DRIVER_TEST));
            var first = server.takeRequest();
            assertThat(first.getRequestUrl().encodedPath()).isEqualTo("/v1/rim/NV_GPU_DRIVER_GH100_545.00");
            assertThat(first.getHeader("Authorization")).isEqualTo("Bearer k");
            CocoException e = thrown(() -> client.fetch("NV_GPU_DRIVER_GH100_999.99"));
            assertThat(e).isInstanceOf(CollateralException.class);
            assertThat(e.reason()).isEqualTo(Reason.RIM_NOT_FOUND);
            assertThat(e.getMessage()).contains("NV_GPU_DRIVER_GH100_999.99");
        }
    }
}
