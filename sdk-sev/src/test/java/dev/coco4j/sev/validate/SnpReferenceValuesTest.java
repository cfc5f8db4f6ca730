package dev.coco4j.sev.validate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.reference.ReferenceValues;
import dev.coco4j.sev.verify.VerifiedSnpReport;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** {@link SnpPolicy.Builder#referenceValues} against the real Genoa v5 vector (PROVENANCE.md: verifies OK). */
class SnpReferenceValuesTest {
    static final HexFormat HEX = HexFormat.of();

    static SnpPolicy policy(String workloadJson) {
        ReferenceValues rv = ReferenceValues.parse(("{\"version\":1,\"workloads\":{\"oak\":" + workloadJson + "}}")
                .getBytes(StandardCharsets.UTF_8));
        return SnpPolicy.builder().referenceValues(rv.workload("oak")).build();
    }

    @Test
    void theLaunchValuesOfTheRealReportAreAcceptedAndAnyOtherIsRefused() {
        VerifiedSnpReport genoa = SnpPolicyValidatorTest.genoa();
        String m = HEX.formatHex(genoa.report().measurement());
        String h = HEX.formatHex(genoa.report().hostData());
        assertThat(SnpPolicyValidator.validate(genoa, policy("{\"snp\":{\"measurement\":\"" + m
                + "\",\"host_data\":\"" + h + "\"}}"))).isSameAs(genoa);

        byte[] other = genoa.report().measurement();
        other[0] ^= 1;
        AttestationException e = catchThrowableOfType(AttestationException.class, () -> SnpPolicyValidator.validate(
                genoa, policy("{\"snp\":{\"measurement\":\"" + HEX.formatHex(other) + "\"}}")));
        assertThat(e.reason()).isEqualTo(Reason.MEASUREMENT_MISMATCH);
    }

    @Test
    void anInitDataDigestTheHostDidNotBindIsRefused() {
        VerifiedSnpReport genoa = SnpPolicyValidatorTest.genoa();
        String m = HEX.formatHex(genoa.report().measurement());
        AttestationException e = catchThrowableOfType(AttestationException.class, () -> SnpPolicyValidator.validate(
                genoa, policy("{\"init_data_digest\":\"" + "5a".repeat(32) + "\",\"snp\":{\"measurement\":\"" + m
                        + "\"}}")));
        assertThat(e).isNotNull();
        assertThat(e.getMessage()).containsIgnoringCase("host");
    }

    @Test
    void aWorkloadWithoutSnpValuesCannotBuildAnSnpPolicy() {
        ConfigurationException e = catchThrowableOfType(ConfigurationException.class, () -> policy(
                "{\"tdx\":{\"mr_td\":\"" + "00".repeat(48) + "\"}}"));
        assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
    }
}
