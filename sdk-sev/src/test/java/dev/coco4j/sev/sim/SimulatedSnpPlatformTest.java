package dev.coco4j.sev.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.crypto.RawEcdsaVerifier;
import dev.coco4j.sev.abi.FirmwareVersion;
import dev.coco4j.sev.abi.GuestPolicy;
import dev.coco4j.sev.abi.SignerInfo;
import dev.coco4j.sev.abi.SignerInfo.SigningKey;
import dev.coco4j.sev.abi.SnpCertTable;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.abi.TcbVersion;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class SimulatedSnpPlatformTest {
    private static final ReportData NONCE = ReportData.ofHex("00112233445566778899aabbccddeeff");

    private static boolean signedBy(SnpReport report, X509Certificate cert) {
        RawEcdsaVerifier v = RawEcdsaVerifier.forKey(cert.getPublicKey(), RawEcdsaVerifier.Hash.SHA384);
        return v.verify(report.toBytes(), 0, SnpReport.SIGNED_LENGTH, report.signatureR(), report.signatureS(),
                ByteOrder.LITTLE_ENDIAN);
    }

    @ParameterizedTest
    @EnumSource(SnpProduct.class)
    void reportSignatureVerifiesOverTheSignedBytesWithLittleEndianRAndS(SnpProduct product) {
        SimulatedSnpPlatform sim = SimPlatforms.vcek(product);
        SnpReport report = sim.report(NONCE);

        assertThat(signedBy(report, sim.vcek())).isTrue();
        RawEcdsaVerifier v = RawEcdsaVerifier.forKey(sim.vcek().getPublicKey(), RawEcdsaVerifier.Hash.SHA384);
        assertThat(v.verify(report.toBytes(), 0, SnpReport.SIGNED_LENGTH, report.signatureR(), report.signatureS(),
                ByteOrder.BIG_ENDIAN)).as("R/S must be little-endian").isFalse();
        // P-384 integers are 48 bytes: the 24 padding bytes of R and S and the rest of the area are zero
        assertThat(Arrays.copyOfRange(report.signatureR(), 48, 72)).containsOnly(0);
        assertThat(Arrays.copyOfRange(report.signatureS(), 48, 72)).containsOnly(0);
        assertThat(Arrays.copyOfRange(report.toBytes(), 0x330, SnpReport.SIZE)).containsOnly(0);
        assertThat(report.signatureIsZero()).isFalse();
        assertThat(report.signatureAlgorithm()).isEqualTo(SnpReport.SIG_ALGO_ECDSA_P384_SHA384);

        SnpReport tampered = report.toBuilder().vmpl(1).build();
        assertThat(signedBy(tampered, sim.vcek())).isFalse();
        assertThat(signedBy(report, sim.vlek())).as("signed by the VCEK, not the VLEK").isFalse();
    }

    static Stream<Arguments> productsAndVersions() {
        return Stream.of(SnpProduct.values())
                .flatMap(p -> Stream.of(2, 3, 5).map(v -> Arguments.of(p, v)));
    }

    @ParameterizedTest
    @MethodSource("productsAndVersions")
    void everyProductAndVersionGivesAParseableReportWithTheRightCpuid(SnpProduct product, int version) {
        SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().product(product).reportVersion(version)
                .mitigationVector(0x3F).sameAuthorityAs(SimPlatforms.vcek(product)).build();
        SnpReport report = SnpReport.parse(sim.report(NONCE).toBytes());

        assertThat(report.version()).isEqualTo(version);
        byte[] raw = report.toBytes();
        int[] expected = switch (product) {
            case MILAN -> new int[] {0x19, 0x01, 1};
            case GENOA -> new int[] {0x19, 0x11, 1};
            case TURIN -> new int[] {0x1A, 0x02, 1};
        };
        if (version >= 3) {
            assertThat(new int[] {report.cpuidFamily(), report.cpuidModel(), report.cpuidStepping()})
                    .isEqualTo(expected);
            assertThat(report.productFromCpuid()).contains(product);
        } else {
            assertThat(Arrays.copyOfRange(raw, 0x188, 0x1A0)).as("v2 reserved CPUID area").containsOnly(0);
            assertThat(report.productFromCpuid()).isEmpty();
        }
        if (version >= 5) {
            assertThat(report.launchMitigationVector()).isEqualTo(0x3F);
            assertThat(report.currentMitigationVector()).isEqualTo(0x3F);
        } else {
            assertThat(Arrays.copyOfRange(raw, 0x1F8, 0x2A0)).as("reserved before v5").containsOnly(0);
        }
        long tcb = sim.tcb().raw();
        assertThat(report.reportedTcbRaw()).isEqualTo(tcb);
        assertThat(report.currentTcbRaw()).isEqualTo(tcb);
        assertThat(report.committedTcbRaw()).isEqualTo(tcb);
        assertThat(report.launchTcbRaw()).isEqualTo(tcb);
        assertThat(report.reportedTcb(product)).isEqualTo(sim.tcb());
        assertThat(report.chipId()).isEqualTo(sim.chipId());
        assertThat(report.signerInfo().signingKey()).isEqualTo(SigningKey.VCEK);
        assertThat(signedBy(report, sim.vcek())).isTrue();
    }

    @Test
    void defaultsMatchTheDocumentation() {
        SimulatedSnpPlatform sim = SimPlatforms.vcek(SnpProduct.GENOA);
        SnpReport r = sim.report(NONCE);
        assertThat(sim.product()).isEqualTo(SnpProduct.GENOA);
        assertThat(sim.signingKey()).isEqualTo(SigningKey.VCEK);
        assertThat(r.version()).isEqualTo(5);
        assertThat(r.policy().raw()).isEqualTo(0x30000L);
        assertThat(r.policy().debug()).isFalse();
        assertThat(r.vmpl()).isZero();
        assertThat(r.platformInfo().raw()).isEqualTo(0x25L);
        assertThat(r.reportedTcb(SnpProduct.GENOA)).isEqualTo(TcbVersion.of(SnpProduct.GENOA, 10, 0, 25, 84, -1));
        assertThat(r.currentFirmware()).isEqualTo(new FirmwareVersion(1, 55, 43));
        assertThat(r.committedFirmware()).isEqualTo(new FirmwareVersion(1, 55, 43));
        assertThat(r.signerInfo()).isEqualTo(SignerInfo.of(SigningKey.VCEK, false, false));
        assertThat(r.reportIdMa()).containsOnly(0xff);
        assertThat(r.reportId()).isEqualTo(sim.report(NONCE).reportId()).isNotEqualTo(new byte[32]);
        assertThat(r.reportData()).isEqualTo(NONCE.toByteArray());
        assertThat(r.chipIdMasked()).isFalse();
        assertThat(sim.report(ReportData.zero()).reportData()).containsOnly(0);
    }

    @Test
    void configuredFieldsAppearInTheReport() throws Exception {
        byte[] measurement = MessageDigest.getInstance("SHA-384").digest(new byte[] {1});
        byte[] hostData = filled(32, 0x22);
        byte[] familyId = filled(16, 0x33);
        byte[] imageId = filled(16, 0x44);
        TcbVersion tcb = TcbVersion.of(SnpProduct.TURIN, 3, 2, 5, 90, 7);
        byte[] chipId = HexFormat.of().parseHex("0102030405060708");
        SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().product(SnpProduct.TURIN).tcb(tcb).chipId(chipId)
                .measurement(measurement).hostData(hostData).familyId(familyId).imageId(imageId).vmpl(2)
                .guestSvn(9).policy(0x3001FL).platformInfo(0x67).firmwareVersion(new FirmwareVersion(1, 55, 61))
                .sameAuthorityAs(SimPlatforms.vcek(SnpProduct.TURIN)).build();
        SnpReport r = sim.report(NONCE);

        assertThat(r.measurement()).isEqualTo(measurement);
        assertThat(r.hostData()).isEqualTo(hostData);
        assertThat(r.familyId()).isEqualTo(familyId);
        assertThat(r.imageId()).isEqualTo(imageId);
        assertThat(r.vmpl()).isEqualTo(2);
        assertThat(r.guestSvn()).isEqualTo(9);
        assertThat(r.policy().raw()).isEqualTo(0x3001FL);
        assertThat(r.platformInfo().raw()).isEqualTo(0x67L);
        assertThat(r.currentFirmware()).isEqualTo(new FirmwareVersion(1, 55, 61));
        assertThat(r.reportedTcb(SnpProduct.TURIN).fmc()).isEqualTo(7);
        assertThat(r.reportedTcbRaw()).isEqualTo(tcb.raw());
        assertThat(r.chipId()).startsWith(chipId).hasSize(64);
        assertThat(Arrays.copyOfRange(r.chipId(), 8, 64)).containsOnly(0);
        assertThat(sim.chipId()).isEqualTo(r.chipId());
    }

    @Test
    void turinDefaultChipIdHasEightMeaningfulBytes() {
        byte[] id = SimPlatforms.vcek(SnpProduct.TURIN).chipId();
        assertThat(id).hasSize(64);
        assertThat(Arrays.copyOfRange(id, 0, 8)).isNotEqualTo(new byte[8]);
        assertThat(Arrays.copyOfRange(id, 8, 64)).containsOnly(0);
        byte[] genoa = SimPlatforms.vcek(SnpProduct.GENOA).chipId();
        assertThat(Arrays.copyOfRange(genoa, 8, 64)).isNotEqualTo(new byte[56]);
    }

    @Test
    void vlekModeSignsWithTheVlekAndSaysSo() {
        SimulatedSnpPlatform sim = SimPlatforms.vlek(SnpProduct.GENOA);
        SnpReport r = sim.report(NONCE);

        assertThat(r.signerInfo().signingKey()).isEqualTo(SigningKey.VLEK);
        assertThat(r.signerInfo().signingKeyField()).isEqualTo(1);
        assertThat(sim.endorsementKeyCertificate()).isSameAs(sim.vlek());
        assertThat(sim.intermediate()).isSameAs(sim.asvk());
        assertThat(signedBy(r, sim.vlek())).isTrue();
        assertThat(signedBy(r, sim.vcek())).isFalse();
        assertThat(sim.vlek().getExtensionValue("1.3.6.1.4.1.3704.1.4")).isNull();
        assertThat(sim.vlek().getExtensionValue("1.3.6.1.4.1.3704.1.5")).isNotNull();

        SnpCertTable table = sim.certTable();
        assertThat(table.entries()).extracting(SnpCertTable.Entry::guid)
                .containsExactly(SnpCertTable.VLEK, SnpCertTable.ASK, SnpCertTable.ARK);
        assertThat(Certificates.parse(table.find(SnpCertTable.VLEK).orElseThrow())).isEqualTo(sim.vlek());
        assertThat(Certificates.parse(table.find(SnpCertTable.ASK).orElseThrow())).isEqualTo(sim.asvk());
        assertThat(table.find(SnpCertTable.VCEK)).isEmpty();
    }

    @Test
    void tweakRunsBeforeSigning() {
        SimulatedSnpPlatform sim = SimPlatforms.vcek(SnpProduct.MILAN);
        byte[] garbage = filled(72, 0x7F);
        SnpReport debug = sim.report(NONCE, b -> b.policy(GuestPolicy.SMT | GuestPolicy.RESERVED_ONE
                | GuestPolicy.DEBUG).vmpl(3).signature(garbage, garbage));

        assertThat(debug.policy().debug()).isTrue();
        assertThat(debug.vmpl()).isEqualTo(3);
        assertThat(debug.signatureR()).isNotEqualTo(garbage);
        assertThat(signedBy(debug, sim.vcek())).isTrue();

        SnpReport plain = sim.report(NONCE);
        assertThat(plain.policy().debug()).isFalse();
        assertThat(plain.vmpl()).isZero();
    }

    @Test
    void evidenceCarriesTheReportAndTheCertificateTable() {
        SimulatedSnpPlatform sim = SimPlatforms.vcek(SnpProduct.MILAN);
        Evidence e = sim.evidence(NONCE);

        assertThat(e.tee()).isEqualTo(TeeType.SNP);
        SnpReport r = SnpReport.parse(e.data());
        assertThat(r.reportData()).isEqualTo(NONCE.toByteArray());
        assertThat(signedBy(r, sim.vcek())).isTrue();
        SnpCertTable table = SnpCertTable.parse(e.auxiliary());
        assertThat(table.entries()).extracting(SnpCertTable.Entry::guid)
                .containsExactly(SnpCertTable.VCEK, SnpCertTable.ASK, SnpCertTable.ARK);
        assertThat(Certificates.parse(table.find(SnpCertTable.VCEK).orElseThrow())).isEqualTo(sim.vcek());
        assertThat(Certificates.parse(table.find(SnpCertTable.ASK).orElseThrow())).isEqualTo(sim.ask());
        assertThat(Certificates.parse(table.find(SnpCertTable.ARK).orElseThrow())).isEqualTo(sim.ark());
    }

    @ParameterizedTest
    @EnumSource(value = SigningKey.class, names = {"VCEK", "VLEK"})
    void writeToWritesTheCliFiles(SigningKey kind, @TempDir Path tmp) throws Exception {
        SimulatedSnpPlatform sim = kind == SigningKey.VCEK ? SimPlatforms.vcek(SnpProduct.TURIN)
                : SimPlatforms.vlek(SnpProduct.TURIN);
        Path dir = tmp.resolve("out/snp");
        SnpReport written = sim.writeTo(dir, NONCE);

        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("report.bin", "vcek.der", "ask.pem", "ark.pem");
        }
        byte[] reportBytes = Files.readAllBytes(dir.resolve("report.bin"));
        assertThat(reportBytes).isEqualTo(written.toBytes());
        SnpReport report = SnpReport.parse(reportBytes);
        assertThat(report.reportData()).isEqualTo(NONCE.toByteArray());
        assertThat(report.signerInfo().signingKey()).isEqualTo(kind);

        byte[] der = Files.readAllBytes(dir.resolve("vcek.der"));
        assertThat(der[0]).as("DER SEQUENCE, not PEM").isEqualTo((byte) 0x30);
        X509Certificate vek = Certificates.parse(der);
        X509Certificate ask = Certificates.parse(Files.readAllBytes(dir.resolve("ask.pem")));
        X509Certificate ark = Certificates.parse(Files.readAllBytes(dir.resolve("ark.pem")));
        assertThat(Files.readString(dir.resolve("ark.pem"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(vek).isEqualTo(kind == SigningKey.VCEK ? sim.vcek() : sim.vlek());
        assertThat(ask).isEqualTo(kind == SigningKey.VCEK ? sim.ask() : sim.asvk());
        assertThat(ark).isEqualTo(sim.ark());
        vek.verify(ask.getPublicKey());
        ask.verify(ark.getPublicKey());
        assertThat(signedBy(report, vek)).isTrue();
    }

    @Test
    void sameAuthorityIssuesANewChipUnderTheExistingRoots() throws Exception {
        SimulatedSnpPlatform first = SimPlatforms.vcek(SnpProduct.MILAN);
        SimulatedSnpPlatform second = SimulatedSnpPlatform.builder().product(SnpProduct.MILAN)
                .signingKey(SigningKey.VLEK).sameAuthorityAs(first).build();

        assertThat(second.ark()).isEqualTo(first.ark());
        assertThat(second.ask()).isEqualTo(first.ask());
        assertThat(second.asvk()).isEqualTo(first.asvk());
        assertThat(second.chipId()).isNotEqualTo(first.chipId());
        assertThat(second.vcek().getPublicKey()).isNotEqualTo(first.vcek().getPublicKey());
        second.vcek().verify(first.ask().getPublicKey());
        second.vlek().verify(first.asvk().getPublicKey());
        SnpReport r = second.report(NONCE);
        assertThat(signedBy(r, second.vlek())).isTrue();
        assertThat(signedBy(r, first.vlek())).isFalse();

        assertThatThrownBy(() -> SimulatedSnpPlatform.builder().product(SnpProduct.GENOA).sameAuthorityAs(first)
                .build()).isInstanceOf(ConfigurationException.class).hasMessageContaining("MILAN");
    }

    @Test
    void builderRejectsInconsistentConfigurationBeforeGeneratingKeys() {
        assertThatThrownBy(() -> SimulatedSnpPlatform.builder().product(SnpProduct.GENOA)
                .tcb(TcbVersion.of(SnpProduct.TURIN, 1, 1, 1, 1, 1)).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("TURIN");
        assertThatThrownBy(() -> SimulatedSnpPlatform.builder().product(SnpProduct.MILAN).chipId(new byte[8]).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("64 bytes");
        byte[] longTail = filled(64, 1);
        assertThatThrownBy(() -> SimulatedSnpPlatform.builder().product(SnpProduct.TURIN).chipId(longTail).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("must be zero");
        assertThatThrownBy(() -> SimulatedSnpPlatform.builder().chipId(new byte[32]))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> SimulatedSnpPlatform.builder().reportVersion(6))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> SimulatedSnpPlatform.builder().reportVersion(1))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> SimulatedSnpPlatform.builder().vmpl(4)).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> SimulatedSnpPlatform.builder().signingKey(SigningKey.NONE))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> SimulatedSnpPlatform.builder().measurement(new byte[32]))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("MEASUREMENT");
        assertThatThrownBy(() -> SimulatedSnpPlatform.builder().firmwareVersion(new FirmwareVersion(1, 256, 0)))
                .isInstanceOf(ConfigurationException.class);
    }

    private static byte[] filled(int n, int b) {
        byte[] a = new byte[n];
        Arrays.fill(a, (byte) b);
        return a;
    }
}
