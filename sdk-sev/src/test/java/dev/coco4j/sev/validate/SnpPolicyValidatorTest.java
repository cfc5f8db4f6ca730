package dev.coco4j.sev.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.sev.Vectors;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.TcbVersion;
import dev.coco4j.sev.verify.SnpCollateral;
import dev.coco4j.sev.verify.SnpReportVerifier;
import dev.coco4j.sev.verify.VerifiedSnpReport;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SnpPolicyValidatorTest {

    static VerifiedSnpReport verified(String report, String vek, String at) {
        return SnpReportVerifier.builder().clock(Clock.fixed(Instant.parse(at), ZoneOffset.UTC)).build()
                .verify(Vectors.report(report), SnpCollateral.ofEndorsementKey(Certificates.parse(Vectors.bytes(vek))));
    }

    static VerifiedSnpReport genoa() {
        return verified("genoa/oak_genoa_v5_report.bin", "genoa/oak_genoa_v5_vcek.der", "2026-06-01T00:00:00Z");
    }

    static VerifiedSnpReport debugMilan() {
        return verified("milan/gsg_milan_v2_report.bin", "milan/gsg_milan_v2_vcek.der", "2026-06-01T00:00:00Z");
    }

    static VerifiedSnpReport vlek() {
        return verified("milan/trustee_milan_v3_vlek_report.bin", "milan/trustee_milan_vlek.der",
                "2025-06-01T00:00:00Z");
    }

    @Test
    void defaultPolicyAcceptsANonDebugGuestAndRefusesDebug() {
        assertThat(SnpPolicyValidator.validate(genoa(), SnpPolicy.defaults())).isNotNull();
        AttestationException e = catchThrowableOfType(AttestationException.class,
                () -> SnpPolicyValidator.validate(debugMilan(), SnpPolicy.defaults()));
        assertThat(e.reason()).isEqualTo(Reason.POLICY_VIOLATION);
        assertThat(e.detail()).contains("DEBUG");
        assertThat(SnpPolicyValidator.validate(debugMilan(), SnpPolicy.builder().allowDebug(true).build()))
                .isNotNull();
    }

    @Test
    void exactFieldsMatchOrNameTheirReason() {
        VerifiedSnpReport v = genoa();
        byte[] m = v.report().measurement();
        SnpPolicy ok = SnpPolicy.builder().measurement(m).reportData(v.report().reportData())
                .hostData(v.report().hostData()).chipId(v.report().chipId()).vmpl(0).build();
        assertThat(SnpPolicyValidator.validate(v, ok)).isSameAs(v);

        byte[] other = m.clone();
        other[0] ^= 1;
        assertRefused(v, SnpPolicy.builder().measurement(other).build(), Reason.MEASUREMENT_MISMATCH);
        assertRefused(v, SnpPolicy.builder().reportData(new byte[] {9}).build(), Reason.REPORT_DATA_MISMATCH);
        byte[] otherHost = v.report().hostData();
        otherHost[31] ^= 1;
        assertRefused(v, SnpPolicy.builder().hostData(otherHost).build(), Reason.POLICY_VIOLATION);
    }

    @Test
    void everyFailureIsReportedAtOnce() {
        byte[] wrongMeasurement = new byte[48];
        AttestationException e = catchThrowableOfType(AttestationException.class, () -> SnpPolicyValidator.validate(
                debugMilan(), SnpPolicy.builder().measurement(wrongMeasurement).vmpl(3).build()));
        assertThat(e.failures()).extracting(CocoException.Failure::reason)
                .containsExactly(Reason.POLICY_VIOLATION, Reason.MEASUREMENT_MISMATCH, Reason.POLICY_VIOLATION);
        assertThat(e.getMessage()).contains("DEBUG").contains("MEASUREMENT").contains("VMPL");
    }

    @Test
    void vmplRequirementRefusesTheVlekReportAtVmpl1() {
        assertRefused(vlek(), SnpPolicy.builder().vmpl(0).build(), Reason.POLICY_VIOLATION);
        assertThat(SnpPolicyValidator.validate(vlek(), SnpPolicy.builder().vmpl(1).build())).isNotNull();
    }

    @Test
    void minimumTcbIsComparedComponentWise() {
        VerifiedSnpReport v = genoa(); // bl10 tee0 snp25 ucode84
        assertThat(SnpPolicyValidator.validate(v, SnpPolicy.builder()
                .minimumTcb(TcbVersion.of(SnpProduct.GENOA, 10, 0, 25, 84, 0)).build())).isNotNull();
        assertRefused(v, SnpPolicy.builder().minimumTcb(TcbVersion.of(SnpProduct.GENOA, 10, 0, 26, 0, 0)).build(),
                Reason.POLICY_VIOLATION);
        assertRefused(v, SnpPolicy.builder().minimumLaunchTcb(TcbVersion.of(SnpProduct.GENOA, 0, 0, 0, 85, 0))
                .build(), Reason.POLICY_VIOLATION);
    }

    @Test
    void firmwareGuestSvnAndMitigationMinimums() {
        VerifiedSnpReport v = genoa(); // fw 1.55.43, v5, mit 0x1/0x1
        assertThat(SnpPolicyValidator.validate(v, SnpPolicy.builder().minimumBuild(43).minimumVersion(0x0137)
                .minimumLaunchMitigationVector(1).minimumCurrentMitigationVector(1).minimumGuestSvn(0)
                .permitProvisionalFirmware(false).build())).isNotNull();
        assertRefused(v, SnpPolicy.builder().minimumBuild(44).build(), Reason.POLICY_VIOLATION);
        assertRefused(v, SnpPolicy.builder().minimumVersion(0x0138).build(), Reason.POLICY_VIOLATION);
        assertRefused(v, SnpPolicy.builder().minimumCurrentMitigationVector(0x2).build(), Reason.POLICY_VIOLATION);
        assertRefused(v, SnpPolicy.builder().minimumGuestSvn(1).build(), Reason.POLICY_VIOLATION);
        // v3 reports have no mitigation vectors: requiring one refuses.
        assertRefused(vlek(), SnpPolicy.builder().minimumLaunchMitigationVector(1).build(), Reason.POLICY_VIOLATION);
        // The VLEK vector's committed TCB differs from its current one: not allowed without provisional firmware.
        assertRefused(vlek(), SnpPolicy.builder().permitProvisionalFirmware(false).build(), Reason.POLICY_VIOLATION);
    }

    @Test
    void guestPolicyAndPlatformBits() {
        VerifiedSnpReport milanDebug = debugMilan(); // policy 0xB0000 (SMT, DEBUG), plat 0x1 (SMT_EN)
        SnpPolicy base = SnpPolicy.builder().allowDebug(true).build();
        assertThat(SnpPolicyValidator.validate(milanDebug, base)).isNotNull();
        assertRefused(milanDebug, SnpPolicy.builder().allowDebug(true).allowSmt(false).build(),
                Reason.POLICY_VIOLATION);
        assertRefused(milanDebug, SnpPolicy.builder().allowDebug(true).platformAllowSmt(false).build(),
                Reason.POLICY_VIOLATION);
        assertRefused(milanDebug, SnpPolicy.builder().allowDebug(true).requireSingleSocket(true).build(),
                Reason.POLICY_VIOLATION);
        assertRefused(milanDebug, SnpPolicy.builder().allowDebug(true).platformRequireEcc(true).build(),
                Reason.POLICY_VIOLATION);
        assertRefused(milanDebug, SnpPolicy.builder().allowDebug(true).requireIdBlock(true).build(),
                Reason.POLICY_VIOLATION);
        assertRefused(milanDebug, SnpPolicy.builder().allowDebug(true).minimumAbi(1, 0).build(),
                Reason.POLICY_VIOLATION);
        // trustee v2 report has a non-zero ID key digest: an ID block was used.
        VerifiedSnpReport trustee = verified("milan/trustee_milan_v2_report.bin", "milan/trustee_milan_v2_vcek.der",
                "2026-06-01T00:00:00Z");
        assertThat(SnpPolicyValidator.validate(trustee, SnpPolicy.builder().requireIdBlock(true)
                .trustedIdKeyDigest(trustee.report().idKeyDigest()).build())).isNotNull();
        assertRefused(trustee, SnpPolicy.builder().trustedIdKeyDigest(new byte[48]).build(), Reason.POLICY_VIOLATION);
    }

    @Test
    void badPolicyArgumentsAreConfigurationErrors() {
        assertThatThrownBy(() -> SnpPolicy.builder().measurement(new byte[47])).isInstanceOf(
                ConfigurationException.class);
        assertThatThrownBy(() -> SnpPolicy.builder().vmpl(4)).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> SnpPolicy.builder().reportData(new byte[65])).isInstanceOf(
                ConfigurationException.class);
    }

    static void assertRefused(VerifiedSnpReport v, SnpPolicy p, Reason reason) {
        assertThatThrownBy(() -> SnpPolicyValidator.validate(v, p)).isInstanceOf(AttestationException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(reason);
    }
}
