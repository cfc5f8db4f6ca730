package dev.coco4j.gpu.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.gpu.Vectors;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class RealVectorVerificationTest {
    static final GpuReportVerifier OFFLINE = GpuReportVerifier.builder().offline(true).build();
    static final Instant NOW = Instant.now();

    static Stream<Arguments> valid() {
        String nvat = "nvat-testdata/";
        String json = nvat + "common__serialized_test_evidence__hopper_evidence.json";
        String hold = nvat + "common__serialized_test_evidence__hopper_evidence_cert_hold.json";
        byte[] coco = Arrays.copyOf(Vectors.hex(
                "87d8e24ab336adafe228d49e83d745f6dba4ae505372b6a5704820856b343fece279b616efefc2aae21da80cf5581250"), 32);
        return Stream.of(
                Arguments.of("nvtrust sample", Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt"),
                        Vectors.bytes("nvtrust-lgv-samples/hopperCertChain.txt"), Vectors.NONCE_931D, true,
                        GpuArchitecture.HOPPER),
                Arguments.of("nvtrust 2023 sample", Vectors.report("nvtrust-lgv-samples-2023/attestationReport.txt"),
                        Vectors.bytes("nvtrust-lgv-samples-2023/gpuAkCertChain.txt"),
                        Vectors.hex("4cff7f5380ead8fad8ec2c531c110aca4302a88f603792801a8ca29ee151af2e"), false,
                        GpuArchitecture.HOPPER),
                Arguments.of("nvat default", Vectors.report(nvat + "hopperAttestationReport.txt"),
                        Vectors.bytes(nvat + "hopperCertChain.txt"),
                        Vectors.hex("5bb22e377702d4e1e8215a903ba094826b9ac7f731dee1fe8102958bf2840aca"), true,
                        GpuArchitecture.HOPPER),
                Arguments.of("nvat 535.86.09", Vectors.report(nvat
                                + "sample_attestation_data__gpu__hopperAttestationReport.txt"),
                        Vectors.bytes(nvat + "sample_attestation_data__gpu__hopperCertChain.txt"),
                        Vectors.hex("27a328247bf7935c993341cf587be6f05986ccce4fe7ba2c54100bd616a58f66"), false,
                        GpuArchitecture.HOPPER),
                Arguments.of("nvat 'expired' (driver RIM)", Vectors.report(nvat
                                + "sample_attestation_data__gpu__hopperAttestationReportExpired.txt"),
                        Vectors.bytes(nvat + "sample_attestation_data__gpu__hopperCertChainExpired.txt"),
                        Vectors.NONCE_931D, true, GpuArchitecture.HOPPER),
                Arguments.of("nvat blackwell", Vectors.report(nvat
                                + "sample_attestation_data__gpu__blackwellAttestationReport.txt"),
                        Vectors.bytes(nvat + "sample_attestation_data__gpu__blackwellCertChain.txt"),
                        Vectors.NONCE_931D, true, GpuArchitecture.BLACKWELL),
                Arguments.of("nvat json 590.12", Vectors.jsonEvidence(json, 0), Vectors.jsonChain(json, 0),
                        Vectors.jsonNonce(json, 0), true, GpuArchitecture.HOPPER),
                Arguments.of("nvat json cert hold", Vectors.jsonEvidence(hold, 0), Vectors.jsonChain(hold, 0),
                        Vectors.jsonNonce(hold, 0), true, GpuArchitecture.HOPPER),
                Arguments.of("trustee sample", Vectors.report("trustee-testdata/hopperAttestationReport.txt"),
                        Vectors.bytes("trustee-testdata/hopper_cert_chain_case1.txt"), Vectors.NONCE_931D, true,
                        GpuArchitecture.HOPPER),
                Arguments.of("trustee coco capture", Vectors.report("trustee-testdata/hopper_coco_report1.txt"),
                        Vectors.bytes("trustee-testdata/hopper_coco_certs1.txt"), coco, true,
                        GpuArchitecture.HOPPER));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void realReportsVerifyNowAndAtPinnedTime(String name, byte[] report, byte[] chain, byte[] nonce, boolean fwid,
                                             GpuArchitecture arch) {
        for (Instant at : new Instant[] {NOW, Vectors.PINNED}) {
            VerifiedGpuReport v = OFFLINE.verify(report, chain, nonce, at);
            assertThat(v.architecture()).isEqualTo(arch);
            assertThat(v.fwidChecked()).isEqualTo(fwid);
            assertThat(v.ocspChecked()).isFalse();
            assertThat(v.warnings()).anyMatch(w -> w.contains("OCSP not checked"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void wrongNonceIsNonceMismatch(String name, byte[] report, byte[] chain, byte[] nonce, boolean fwid,
                                   GpuArchitecture arch) {
        byte[] wrong = nonce.clone();
        wrong[31] ^= 1;
        assertReason(() -> OFFLINE.verify(report, chain, wrong, NOW), Reason.NONCE_MISMATCH);
        assertReason(() -> OFFLINE.verify(report, chain, new byte[32], NOW), Reason.NONCE_MISMATCH);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void beforeTheChainWasIssuedIsCertExpired(String name, byte[] report, byte[] chain, byte[] nonce, boolean fwid,
                                              GpuArchitecture arch) {
        assertReason(() -> OFFLINE.verify(report, chain, nonce, Instant.parse("2019-01-01T00:00:00Z")),
                Reason.CERT_EXPIRED);
    }

    @Test
    void nvatInvalidSignatureVectorIsSignatureInvalid() {
        String nvat = "nvat-testdata/";
        byte[] report = Vectors.report(nvat + "sample_attestation_data__gpu__hopperAttestationReportInvalidSignature.txt");
        for (String chain : new String[] {"sample_attestation_data__gpu__hopperCertChainExpired.txt",
            "sample_attestation_data__gpu__hopperCertChain.txt"}) {
            AttestationException e = assertReason(() -> OFFLINE.verify(report, Vectors.bytes(nvat + chain),
                    Vectors.NONCE_931D, NOW), Reason.SIGNATURE_INVALID);
            // report and chain come from different devices: the FWID binding fails too, reported with it
            assertThat(e.failures()).extracting(CocoException.Failure::reason).contains(Reason.CHAIN_INVALID);
        }
    }

    @Test
    void trusteeBrokenChainsAreRefused() {
        byte[] report = Vectors.report("trustee-testdata/hopperAttestationReport.txt");
        for (String c : new String[] {"hopper_cert_chain_case2.txt", "hopper_cert_chain_case3.txt",
            "hopper_cert_chain_case4.txt"}) {
            assertReason(() -> OFFLINE.verify(report, Vectors.bytes("trustee-testdata/" + c), Vectors.NONCE_931D,
                    NOW), Reason.CHAIN_INVALID);
        }
    }

    @Test
    void anotherRootIsNotTrusted() {
        var other = Certificates.parseAll(Vectors.bytes("nvat-testdata/trusted_certs__rim_root.crt")).getFirst();
        GpuReportVerifier v = GpuReportVerifier.builder().offline(true).trustRoots(GpuTrustRoots.of(other)).build();
        assertReason(() -> v.verify(Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt"),
                Vectors.bytes("nvtrust-lgv-samples/hopperCertChain.txt"), Vectors.NONCE_931D, NOW),
                Reason.CHAIN_INVALID);
    }

    @Test
    void expectedArchitectureIsEnforced() {
        GpuReportVerifier v = GpuReportVerifier.builder().offline(true)
                .expectedArchitecture(GpuArchitecture.BLACKWELL).build();
        assertReason(() -> v.verify(Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt"),
                Vectors.bytes("nvtrust-lgv-samples/hopperCertChain.txt"), Vectors.NONCE_931D, NOW),
                Reason.POLICY_VIOLATION);
    }

    @Test
    void leafFwidMatchesTrusteeExpectation() {
        var leaf = Certificates.parse(Vectors.bytes("trustee-testdata/hopper_signing_cert.pem"));
        String fwid = HexFormat.of().formatHex(DeviceCertificateChain.fwid(leaf).orElseThrow());
        assertThat(fwid).startsWith("f5c384ae").endsWith("b1f75d").hasSize(96);
    }

    @Test
    void pinnedRootIsNvidias() throws Exception {
        assertThat(GpuTrustRoots.nvidia().isNvidia()).isTrue();
        var shipped = Certificates.parse(Vectors.bytes("nvtrust-roots/verifier_device_root.pem"));
        assertThat(shipped.getEncoded()).isEqualTo(GpuTrustRoots.nvidia().deviceRoot().getEncoded());
    }

    static AttestationException assertReason(Runnable r, Reason reason) {
        try {
            r.run();
        } catch (AttestationException e) {
            assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
            return e;
        }
        throw new AssertionError("expected " + reason);
    }

    static void assertThrowsReason(Runnable r, Reason reason) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(CocoException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }
}
