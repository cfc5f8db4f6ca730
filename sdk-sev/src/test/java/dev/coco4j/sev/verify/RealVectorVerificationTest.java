package dev.coco4j.sev.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.sev.Vectors;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every positive and negative SEV-SNP vector of shared/vectors/sev/PROVENANCE.md, with the verdict it lists. */
class RealVectorVerificationTest {
    /** All VCEK vectors are within their validity here; the VLEK vector expired on 2025-12-10. */
    static final Instant VCEK_TIME = Instant.parse("2026-06-01T00:00:00Z");
    static final Instant VLEK_TIME = Instant.parse("2025-06-01T00:00:00Z");

    static SnpReportVerifier verifierAt(Instant t) {
        return SnpReportVerifier.builder().clock(Clock.fixed(t, ZoneOffset.UTC)).offline(true).build();
    }

    static X509Certificate cert(String path) {
        return Certificates.parse(Vectors.bytes(path));
    }

    static Stream<Arguments> positives() {
        return Stream.of(
                Arguments.of("milan/gsg_milan_v2_report.bin", "milan/gsg_milan_v2_vcek.der", SnpProduct.MILAN,
                        "4405000000000002", "3ac3fe21"),
                Arguments.of("milan/virtee_milan_v2_report.hex", "milan/virtee_milan_v2_vcek.der", SnpProduct.MILAN,
                        "7308000000000003", "d49554ec"),
                Arguments.of("milan/trustee_milan_v2_report.bin", "milan/trustee_milan_v2_vcek.der", SnpProduct.MILAN,
                        "7308000000000003", "c38427a3"),
                Arguments.of("milan/azure_milan_v2_report.bin", "milan/azure_milan_v2_vcek_chain.pem",
                        SnpProduct.MILAN, "7308000000000003", "19752a44"),
                Arguments.of("milan/azure_milan_v3_report.bin", "milan/azure_milan_v3_vcek.pem", SnpProduct.MILAN,
                        "db18000000000004", "66a5a7b4"),
                Arguments.of("milan/mstav_milan_v3_report.bin", "milan/mstav_milan_v3_vcek.pem", SnpProduct.MILAN,
                        "db18000000000004", "4ffb5cb4"),
                Arguments.of("milan/oak_milan_v3_oc_report.bin", "milan/oak_milan_v3_oc_vcek.der", SnpProduct.MILAN,
                        "db18000000000004", "a3fdc2c6"),
                Arguments.of("milan/oak_milan_v3_rk_report.bin", "milan/oak_milan_v3_rk_vcek.der", SnpProduct.MILAN,
                        "db18000000000004", "6c65aee8"),
                Arguments.of("genoa/azure_genoa_v3_report.bin", "genoa/azure_genoa_v3_vcek.pem", SnpProduct.GENOA,
                        "541700000000000a", "0506ffba"),
                Arguments.of("genoa/mstav_genoa_v3_report.bin", "genoa/mstav_genoa_v3_vcek.pem", SnpProduct.GENOA,
                        "541700000000000a", "b1e24a27"),
                Arguments.of("genoa/oak_genoa_v5_report.bin", "genoa/oak_genoa_v5_vcek.der", SnpProduct.GENOA,
                        "541900000000000a", "d2421d97"),
                Arguments.of("turin/mstav_turin_v5_report.bin", "turin/mstav_turin_v5_vcek.pem", SnpProduct.TURIN,
                        "5100000004010101", "59790fb1c39f35c1"),
                Arguments.of("turin/oak_turin_v5_report.bin", "turin/oak_turin_v5_vcek.der", SnpProduct.TURIN,
                        "4700000002000100", "3b42092f69c656d3"));
    }

    @ParameterizedTest
    @MethodSource("positives")
    void everyPositiveVectorVerifiesWithPinnedAmdRoots(String report, String vek, SnpProduct product, String tcb,
                                                      String chipPrefix) {
        VerifiedSnpReport v = verifierAt(VCEK_TIME).verify(Vectors.report(report),
                SnpCollateral.ofEndorsementKey(cert(vek)));
        assertThat(v.product()).isEqualTo(product);
        assertThat(v.reportedTcb().toHex()).isEqualTo(tcb);
        assertThat(HexFormat.of().formatHex(v.report().chipId())).startsWith(chipPrefix);
        assertThat(v.endorsementKey().kind()).isEqualTo(EndorsementKeyCertificate.Kind.VCEK);
        assertThat(v.warnings()).containsExactly(SnpReportVerifier.REVOCATION_NOT_CHECKED);
        var result = v.toAttestationResult();
        assertThat(result.claim("tcb")).isEqualTo(tcb);
        assertThat(result.warnings()).contains(SnpReportVerifier.REVOCATION_NOT_CHECKED);
    }

    /** Policy, platform info, firmware and guest SVN as PROVENANCE.md lists them (null: not listed). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(nullValues = "-", value = {
        "milan/gsg_milan_v2_report.bin,       milan/gsg_milan_v2_vcek.der,       0xb0000, 0x1,  -,       -",
        "milan/virtee_milan_v2_report.hex,    milan/virtee_milan_v2_vcek.der,    0x30000, -,    -,       -",
        "milan/trustee_milan_v2_report.bin,   milan/trustee_milan_v2_vcek.der,   0x3001f, -,    -,       4",
        "milan/azure_milan_v2_report.bin,     milan/azure_milan_v2_vcek_chain.pem, 0x3001f, -,  -,       -",
        "milan/azure_milan_v3_report.bin,     milan/azure_milan_v3_vcek.pem,     0x3001f, 0x25, 1.55.29, -",
        "milan/mstav_milan_v3_report.bin,     milan/mstav_milan_v3_vcek.pem,     0x3001f, 0x25, 1.55.29, -",
        "milan/oak_milan_v3_oc_report.bin,    milan/oak_milan_v3_oc_vcek.der,    0x30000, 0x25, 1.55.29, -",
        "genoa/azure_genoa_v3_report.bin,     genoa/azure_genoa_v3_vcek.pem,     0x3001f, 0x24, 1.55.40, -",
        "genoa/mstav_genoa_v3_report.bin,     genoa/mstav_genoa_v3_vcek.pem,     -,       0x27, 1.55.40, -",
        "genoa/oak_genoa_v5_report.bin,       genoa/oak_genoa_v5_vcek.der,       0x30000, 0x25, 1.55.43, -",
        "turin/mstav_turin_v5_report.bin,     turin/mstav_turin_v5_vcek.pem,     -,       0x65, 1.55.65, 2",
        "turin/oak_turin_v5_report.bin,       turin/oak_turin_v5_vcek.der,       -,       0x67, 1.55.61, -"})
    void verifiedClaimsCarryTheProvenanceFieldValues(String report, String vek, String policy, String platform,
                                                    String firmware, Long guestSvn) {
        var claims = verifierAt(VCEK_TIME).verify(Vectors.report(report), SnpCollateral.ofEndorsementKey(cert(vek)))
                .toAttestationResult().claims();
        if (policy != null) {
            assertThat(claims.get("policy")).isEqualTo(policy);
        }
        if (platform != null) {
            assertThat(claims.get("platform_info")).isEqualTo(platform);
        }
        if (firmware != null) {
            assertThat(claims.get("current_firmware")).isEqualTo(firmware);
        }
        if (guestSvn != null) {
            assertThat(claims.get("guest_svn")).isEqualTo(guestSvn);
        }
    }

    @Test
    void oakTuringV5MatchesThePublishedKdsLookupAndMitigationVectors() {
        VerifiedSnpReport v = verifierAt(VCEK_TIME).verify(Vectors.report("turin/oak_turin_v5_report.bin"),
                SnpCollateral.ofEndorsementKey(cert("turin/oak_turin_v5_vcek.der")));
        assertThat(v.reportedTcb().fmc()).isZero();
        assertThat(v.reportedTcb().bootLoader()).isEqualTo(1);
        assertThat(v.reportedTcb().snp()).isEqualTo(2);
        assertThat(v.reportedTcb().microcode()).isEqualTo(71);
        assertThat(v.report().launchMitigationVector()).isZero();
        assertThat(v.toAttestationResult().claim("current_mit_vector")).isEqualTo("0x0");
    }

    @Test
    void vlekVectorVerifiesAtAPinnedTimeAndExposesItsFields() {
        VerifiedSnpReport v = verifierAt(VLEK_TIME).verify(Vectors.report("milan/trustee_milan_v3_vlek_report.bin"),
                SnpCollateral.ofEndorsementKey(cert("milan/trustee_milan_vlek.der")));
        assertThat(v.endorsementKey().kind()).isEqualTo(EndorsementKeyCertificate.Kind.VLEK);
        assertThat(v.endorsementKey().cspId()).isEqualTo("CN=cc-us-east-2.amazonaws.com");
        assertThat(v.endorsementKey().productName()).isEqualTo("Milan");
        assertThat(v.report().vmpl()).isEqualTo(1);
        assertThat(v.reportedTcb().microcode()).isEqualTo(217);
    }

    @Test
    void vlekIsRefusedAfterItExpired() {
        assertRefused(() -> verifierAt(Instant.parse("2026-12-04T00:00:00Z")).verify(
                Vectors.report("milan/trustee_milan_v3_vlek_report.bin"),
                SnpCollateral.ofEndorsementKey(cert("milan/trustee_milan_vlek.der"))), Reason.CERT_EXPIRED);
    }

    @Test
    void vlekCheckedAgainstTheVcekAskFailsTheChain() {
        X509Certificate ark = cert("roots/milan_vcek_cert_chain.pem");
        List<X509Certificate> chain = Certificates.parseAll(Vectors.bytes("roots/milan_vcek_cert_chain.pem"));
        // Trust the SEV-Milan ASK in the ASVK slot: a VLEK must not chain to it.
        SnpTrustRoots wrong = SnpTrustRoots.builder().product(SnpProduct.MILAN, chain.get(1), chain.get(0),
                chain.get(0)).build();
        assertThat(ark).isNotNull();
        assertRefused(() -> SnpReportVerifier.builder().trustRoots(wrong)
                .clock(Clock.fixed(VLEK_TIME, ZoneOffset.UTC)).build()
                .verify(Vectors.report("milan/trustee_milan_v3_vlek_report.bin"),
                        SnpCollateral.ofEndorsementKey(cert("milan/trustee_milan_vlek.der"))), Reason.CHAIN_INVALID);
    }

    @Test
    void aVcekWhereTheReportSaysVlekIsASignerKindMismatch() {
        assertRefused(() -> verifierAt(VLEK_TIME).verify(Vectors.report("milan/trustee_milan_v3_vlek_report.bin"),
                SnpCollateral.ofEndorsementKey(cert("milan/mstav_milan_v3_vcek.pem"))), Reason.SIGNER_KIND_MISMATCH);
        assertRefused(() -> verifierAt(VCEK_TIME).verify(Vectors.report("milan/mstav_milan_v3_report.bin"),
                SnpCollateral.ofEndorsementKey(cert("milan/trustee_milan_vlek.der"))), Reason.SIGNER_KIND_MISMATCH);
    }

    @Test
    void wrongVcekForTheReportIsRefused() {
        // PROVENANCE: azure_milan_v2_report checked against the Genoa VCEK -> sig FAIL, chip mismatch.
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> verifierAt(VCEK_TIME).verify(
                Vectors.report("milan/azure_milan_v2_report.bin"),
                SnpCollateral.ofEndorsementKey(cert("genoa/azure_genoa_v3_vcek.pem"))));
        assertThat(t).isInstanceOf(AttestationException.class);
        assertThat(((CocoException) t).reason()).isIn(Reason.CHIP_ID_MISMATCH, Reason.SIGNATURE_INVALID);
        // Same product, other chip: the chip binding refuses it.
        assertRefused(() -> verifierAt(VCEK_TIME).verify(Vectors.report("milan/mstav_milan_v3_report.bin"),
                SnpCollateral.ofEndorsementKey(cert("milan/azure_milan_v3_vcek.pem"))), Reason.CHIP_ID_MISMATCH);
    }

    @Test
    void milanVcekAgainstTheGenoaAskFailsTheChain() {
        List<X509Certificate> genoa = Certificates.parseAll(Vectors.bytes("roots/genoa_vcek_cert_chain.pem"));
        SnpTrustRoots genoaAsMilan = SnpTrustRoots.builder().product(SnpProduct.MILAN, genoa.get(1), genoa.get(0),
                null).build();
        assertRefused(() -> SnpReportVerifier.builder().trustRoots(genoaAsMilan)
                .clock(Clock.fixed(VCEK_TIME, ZoneOffset.UTC)).build()
                .verify(Vectors.report("milan/mstav_milan_v3_report.bin"),
                        SnpCollateral.ofEndorsementKey(cert("milan/mstav_milan_v3_vcek.pem"))), Reason.CHAIN_INVALID);
    }

    @Test
    void fakeVceksParseInBothHwIdEncodingsButDoNotChainToAmd() {
        for (String f : List.of("negative/trustee_fake_vcek_hwid_raw64.der",
                "negative/trustee_fake_vcek_hwid_octetstring.der")) {
            EndorsementKeyCertificate e = EndorsementKeyCertificate.parse(cert(f));
            byte[] expected = new byte[64];
            for (int i = 0; i < 64; i++) {
                expected[i] = (byte) i;
            }
            assertThat(e.hwId()).as(f).isEqualTo(expected);
            assertRefused(() -> verifierAt(VCEK_TIME).verify(Vectors.report("milan/trustee_milan_v2_report.bin"),
                    SnpCollateral.ofEndorsementKey(cert(f))), Reason.CHAIN_INVALID);
        }
    }

    @Test
    void turinVcekOnlyVectorParsesItsTurinExtensions() {
        EndorsementKeyCertificate e = EndorsementKeyCertificate.parse(cert("turin/virtee_turin_vcek_only.der"));
        assertThat(e.structVersion()).isEqualTo(1);
        assertThat(HexFormat.of().formatHex(e.hwId())).isEqualTo("1e550a8ee5cf9f4d");
        assertThat(e.fmcSpl()).isZero();
        assertThat(e.ucodeSpl()).isEqualTo(9);
        assertThat(e.product()).contains(SnpProduct.TURIN);
    }

    @Test
    void flippedByteInSignedBytesFailsSignatureAndReportedTcbFlipFailsTcb() {
        byte[] turin = Vectors.report("turin/mstav_turin_v5_report.bin");
        byte[] t100 = turin.clone();
        t100[100] ^= 1;
        assertRefused(() -> verifierAt(VCEK_TIME).verify(t100,
                SnpCollateral.ofEndorsementKey(cert("turin/mstav_turin_v5_vcek.pem"))), Reason.SIGNATURE_INVALID);
        byte[] t384 = turin.clone();
        t384[384] ^= 1;
        assertRefused(() -> verifierAt(VCEK_TIME).verify(t384,
                SnpCollateral.ofEndorsementKey(cert("turin/mstav_turin_v5_vcek.pem"))), Reason.TCB_MISMATCH);
    }

    @Test
    void debugMilanV2VerifiesButIsGenuinelyDebug() {
        VerifiedSnpReport v = verifierAt(VCEK_TIME).verify(Vectors.report("milan/gsg_milan_v2_report.bin"),
                SnpCollateral.ofEndorsementKey(cert("milan/gsg_milan_v2_vcek.der")));
        assertThat(v.report().policy().debug()).isTrue();
        assertThat(v.toAttestationResult().claim("debug")).isEqualTo(true);
    }

    @Test
    void v2ProductComesFromConfigurationOrTheVcek() {
        byte[] r = Vectors.report("milan/trustee_milan_v2_report.bin");
        X509Certificate vcek = cert("milan/trustee_milan_v2_vcek.der");
        assertThat(verifierAt(VCEK_TIME).verify(r, SnpCollateral.ofEndorsementKey(vcek).withProduct(SnpProduct.MILAN))
                .product()).isEqualTo(SnpProduct.MILAN);
        assertRefused(() -> verifierAt(VCEK_TIME).verify(r,
                SnpCollateral.ofEndorsementKey(vcek).withProduct(SnpProduct.GENOA)), Reason.CHAIN_INVALID);
        // v3 report: CPUID says Milan; asking for Genoa is a configuration error.
        assertThatThrownBy(() -> verifierAt(VCEK_TIME).verify(Vectors.report("milan/mstav_milan_v3_report.bin"),
                SnpCollateral.ofEndorsementKey(cert("milan/mstav_milan_v3_vcek.pem")).withProduct(SnpProduct.GENOA)))
                .isInstanceOf(ConfigurationException.class);
    }

    @Test
    void noVcekOfflineIsCollateralUnavailable() {
        assertThatThrownBy(() -> verifierAt(VCEK_TIME).verify(Vectors.report("milan/mstav_milan_v3_report.bin"),
                SnpCollateral.none())).isInstanceOf(CollateralException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE);
    }

    @Test
    void cachedChainIsStillCheckedAgainstTheClock() {
        byte[] r = Vectors.report("milan/trustee_milan_v3_vlek_report.bin");
        X509Certificate vlek = cert("milan/trustee_milan_vlek.der");
        MutableClock clock = new MutableClock(VLEK_TIME);
        SnpReportVerifier v = SnpReportVerifier.builder().clock(clock).build();
        assertThat(v.verify(r, SnpCollateral.ofEndorsementKey(vlek))).isNotNull();
        clock.now = Instant.parse("2026-01-01T00:00:00Z");
        assertRefused(() -> v.verify(r, SnpCollateral.ofEndorsementKey(vlek)), Reason.CERT_EXPIRED);
    }

    @Test
    void unsignedAndMaskedReportsAreRefused() {
        SnpReport base = SnpReport.parse(Vectors.report("milan/mstav_milan_v3_report.bin"));
        X509Certificate vcek = cert("milan/mstav_milan_v3_vcek.pem");
        SnpReport none = base.toBuilder().signerInfo(dev.coco4j.sev.abi.SignerInfo.of(
                dev.coco4j.sev.abi.SignerInfo.SigningKey.NONE, false, false)).build();
        assertRefused(() -> verifierAt(VCEK_TIME).verify(none, SnpCollateral.ofEndorsementKey(vcek)),
                Reason.SIGNATURE_INVALID);
        SnpReport masked = base.toBuilder().signerInfo(dev.coco4j.sev.abi.SignerInfo.of(
                dev.coco4j.sev.abi.SignerInfo.SigningKey.VCEK, false, true)).build();
        assertRefused(() -> verifierAt(VCEK_TIME).verify(masked, SnpCollateral.ofEndorsementKey(vcek)),
                Reason.SIGNATURE_INVALID);
    }

    @Test
    void pinnedAmdRootsLoadWithTheirFingerprints() {
        SnpTrustRoots amd = SnpTrustRoots.amd();
        assertThat(amd.isAmd()).isTrue();
        assertThat(Certificates.sha256Fingerprint(amd.forProduct(SnpProduct.MILAN).orElseThrow().ark()))
                .isEqualTo("69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd");
        assertThat(Certificates.sha256Fingerprint(amd.forProduct(SnpProduct.TURIN).orElseThrow().asvk()))
                .isEqualTo("104e10a8bd060a3c20a434261a57d0588fd65a88915b4f65b08bdecaf8df1a3c");
    }

    static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, Reason reason) {
        assertThatThrownBy(call).isInstanceOf(CocoException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(reason);
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
