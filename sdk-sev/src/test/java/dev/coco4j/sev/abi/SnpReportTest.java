package dev.coco4j.sev.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.sev.Vectors;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SnpReportTest {

    @ParameterizedTest
    @ValueSource(strings = {"milan/gsg_milan_v2_report.bin", "milan/virtee_milan_v2_report.hex",
        "milan/trustee_milan_v2_report.bin", "milan/azure_milan_v2_report.bin", "milan/azure_milan_v3_report.bin",
        "milan/mstav_milan_v3_report.bin", "milan/oak_milan_v3_oc_report.bin", "milan/oak_milan_v3_rk_report.bin",
        "milan/trustee_milan_v3_vlek_report.bin", "genoa/azure_genoa_v3_report.bin",
        "genoa/mstav_genoa_v3_report.bin", "genoa/oak_genoa_v5_report.bin", "turin/mstav_turin_v5_report.bin",
        "turin/oak_turin_v5_report.bin"})
    void everyRealReportRoundTripsExactly(String path) {
        byte[] raw = Vectors.report(path);
        SnpReport r = SnpReport.parse(raw);
        assertThat(r.toBytes()).isEqualTo(raw);
        assertThat(r.signatureAlgorithm()).isEqualTo(1);
        assertThat(SnpReport.parse(r.toBuilder().build().toBytes())).isEqualTo(r);
    }

    @Test
    void milanV2FieldsMatchProvenance() {
        SnpReport r = SnpReport.parse(Vectors.report("milan/gsg_milan_v2_report.bin"));
        assertThat(r.version()).isEqualTo(2);
        assertThat(r.policy().raw()).isEqualTo(0xB0000L);
        assertThat(r.policy().debug()).isTrue();
        assertThat(r.policy().smt()).isTrue();
        assertThat(r.platformInfo().raw()).isEqualTo(1L);
        assertThat(r.reportedTcbRaw()).isEqualTo(0x4405000000000002L);
        TcbVersion tcb = r.reportedTcb(SnpProduct.MILAN);
        assertThat(tcb.bootLoader()).isEqualTo(2);
        assertThat(tcb.tee()).isZero();
        assertThat(tcb.snp()).isEqualTo(5);
        assertThat(tcb.microcode()).isEqualTo(68);
        assertThat(HexFormat.of().formatHex(r.chipId())).startsWith("3ac3fe21");
        assertThat(r.reportData()).startsWith(1, 2, 3, 4, 5);
        assertThat(r.productFromCpuid()).isEmpty();
    }

    @Test
    void turinV5UsesTheFmcLayout() {
        SnpReport r = SnpReport.parse(Vectors.report("turin/mstav_turin_v5_report.bin"));
        assertThat(r.version()).isEqualTo(5);
        assertThat(r.productFromCpuid()).contains(SnpProduct.TURIN);
        assertThat(r.reportedTcbRaw()).isEqualTo(0x5100000004010101L);
        TcbVersion tcb = r.reportedTcb(SnpProduct.TURIN);
        assertThat(tcb.fmc()).isEqualTo(1);
        assertThat(tcb.bootLoader()).isEqualTo(1);
        assertThat(tcb.tee()).isEqualTo(1);
        assertThat(tcb.snp()).isEqualTo(4);
        assertThat(tcb.microcode()).isEqualTo(81);
        assertThat(r.platformInfo().raw()).isEqualTo(0x65L);
        assertThat(r.platformInfo().unknownBits()).isEqualTo(0x40L);
        assertThat(r.currentFirmware()).hasToString("1.55.65");
        assertThat(r.launchMitigationVector()).isEqualTo(0x3F);
        assertThat(r.currentMitigationVector()).isEqualTo(0x3F);
        assertThat(r.guestSvn()).isEqualTo(2);
        assertThat(HexFormat.of().formatHex(r.chipId())).isEqualTo("59790fb1c39f35c1" + "00".repeat(56));
    }

    @Test
    void genoaV5AndVlekFields() {
        SnpReport g = SnpReport.parse(Vectors.report("genoa/oak_genoa_v5_report.bin"));
        assertThat(g.productFromCpuid()).contains(SnpProduct.GENOA);
        assertThat(g.reportedTcb(SnpProduct.GENOA).snp()).isEqualTo(25);
        assertThat(g.currentFirmware()).hasToString("1.55.43");
        SnpReport v = SnpReport.parse(Vectors.report("milan/trustee_milan_v3_vlek_report.bin"));
        assertThat(v.signerInfo().signingKey()).isEqualTo(SignerInfo.SigningKey.VLEK);
        assertThat(v.signerInfo().raw()).isEqualTo(4);
        assertThat(v.vmpl()).isEqualTo(1);
        assertThat(v.chipIdMasked()).isTrue();
        assertThat(v.reportedTcb(SnpProduct.MILAN).microcode()).isEqualTo(217);
    }

    @Test
    void wrongLengthAndVersionAreTypedErrors() {
        assertThatThrownBy(() -> SnpReport.parse(new byte[100])).isInstanceOf(AttestationException.class)
                .extracting(e -> ((AttestationException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
        assertThatThrownBy(() -> SnpReport.builder(6).build()).isInstanceOf(AttestationException.class)
                .extracting(e -> ((AttestationException) e).reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
        assertThatThrownBy(() -> SnpReport.builder(1).build())
                .extracting(e -> ((AttestationException) e).reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
        assertThatThrownBy(() -> SnpReport.builder(3).vmpl(4).build())
                .extracting(e -> ((AttestationException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
    }

    @Test
    void builderRefusesAFieldOfTheWrongLengthInsideTheExceptionFamily() {
        SnpReportBuilder b = SnpReport.builder(3);
        assertThatThrownBy(() -> b.familyId(new byte[15])).isInstanceOf(dev.coco4j.core.ConfigurationException.class)
                .hasMessageContaining("16 bytes, got 15")
                .extracting(e -> ((dev.coco4j.core.CocoException) e).reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(b.familyId(new byte[16])).isSameAs(b);
    }
}
