package dev.coco4j.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReportDataTest {

    @Test
    void shortValuesArePaddedAndLongOnesRefused() {
        ReportData r = ReportData.of(new byte[] {1, 2, 3});
        byte[] expected = new byte[64];
        expected[0] = 1;
        expected[1] = 2;
        expected[2] = 3;
        assertThat(r.toByteArray()).isEqualTo(expected);
        assertThat(ReportData.ofHex("010203")).isEqualTo(r);
        assertThatThrownBy(() -> ReportData.of(new byte[65])).isInstanceOf(ConfigurationException.class);
        assertThat(ReportData.zero().toByteArray()).isEqualTo(new byte[64]);
    }

    @Test
    void bindingPutsTheDigestFirstAndChecksPadding() throws Exception {
        byte[] runtime = "{\"nonce\":\"abc\"}".getBytes();
        ReportData b = ReportData.binding(runtime, ReportData.HashAlgorithm.SHA384);
        byte[] digest = MessageDigest.getInstance("SHA-384").digest(runtime);
        assertThat(Arrays.copyOf(b.toByteArray(), 48)).isEqualTo(digest);
        assertThat(Arrays.copyOfRange(b.toByteArray(), 48, 64)).isEqualTo(new byte[16]);
        assertThat(b.binds(runtime, ReportData.HashAlgorithm.SHA384)).isTrue();
        assertThat(b.binds(runtime, ReportData.HashAlgorithm.SHA256)).isFalse();
        byte[] dirty = b.toByteArray();
        dirty[63] = 1;
        assertThat(ReportData.of(dirty).binds(runtime, ReportData.HashAlgorithm.SHA384)).isFalse();
        assertThat(ReportData.binding(runtime, ReportData.HashAlgorithm.SHA512).toByteArray())
                .isEqualTo(MessageDigest.getInstance("SHA-512").digest(runtime));
        assertThat(ReportData.HashAlgorithm.fromName("sha-256")).isEqualTo(ReportData.HashAlgorithm.SHA256);
    }

    @Test
    void reasonsCarryTheCliExitCodes() {
        assertThat(Reason.MALFORMED_EVIDENCE.exitCode()).isEqualTo(2);
        assertThat(Reason.SIGNATURE_INVALID.exitCode()).isEqualTo(1);
        assertThat(Reason.COLLATERAL_UNAVAILABLE.exitCode()).isEqualTo(3);
        assertThat(Reason.SERVICE_UNAVAILABLE.exitCode()).isEqualTo(3);
        assertThat(Reason.values()).hasSize(29);
        assertThat(Reason.PCR_DIGEST_MISMATCH.exitCode()).isEqualTo(1);
    }

    @Test
    void exceptionsListEveryFailureAndKeepThePrimaryReason() {
        AttestationException e = new AttestationException(java.util.List.of(
                new CocoException.Failure(Reason.POLICY_VIOLATION, "debug"),
                new CocoException.Failure(Reason.MEASUREMENT_MISMATCH, "measurement")));
        assertThat(e.reason()).isEqualTo(Reason.POLICY_VIOLATION);
        assertThat(e.getMessage()).isEqualTo("POLICY_VIOLATION: debug (1 more: MEASUREMENT_MISMATCH: measurement)");
        assertThat(TeeType.fromId("SNP")).isEqualTo(TeeType.SNP);
        assertThatThrownBy(() -> TeeType.fromId("sgx")).isInstanceOf(ConfigurationException.class);
    }
}
