package dev.coco4j.azure.guest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.azure.SimVtpm;
import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.Tpm2;
import dev.coco4j.azure.tpm.TpmAlg;
import dev.coco4j.azure.verify.AzSnpVtpmVerifier;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attesters;
import dev.coco4j.core.spi.DetectionReport;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.sev.verify.SnpReportVerifier;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Azure SPI attesters' detection probe against a real software TPM (swtpm) holding a simulated HCL report in NV
 * index 0x01400001: found for the matching type, not found (with the reason) for the other type, for no HCL report
 * and for an NV index that holds something else; and evidence collected through the SPI attester verifies. Skipped,
 * with a message, only when swtpm is not installed.
 */
class SwtpmDetectionTest {
    static Swtpm swtpm;

    @BeforeAll
    static void start() throws Exception {
        swtpm = Swtpm.start().orElse(null);
        Assumptions.assumeTrue(swtpm != null, "swtpm is not installed (apt-get install swtpm swtpm-tools) and "
                + Swtpm.PORT_ENV + " is not set: skipping the software-TPM detection test");
    }

    @AfterAll
    static void stop() throws Exception {
        if (swtpm != null) {
            swtpm.close();
        }
    }

    /** Replaces the HCL report index with {@code content} (none when null). */
    static void hclIndex(byte[] content) {
        try (Tpm2 tpm = new Tpm2(swtpm.connect())) {
            tpm.startup();
            if (tpm.nvSize(AzVtpmAttester.HCL_REPORT_INDEX) >= 0) {
                tpm.nvUndefine(AzVtpmAttester.HCL_REPORT_INDEX);
            }
            if (content != null) {
                tpm.nvDefine(AzVtpmAttester.HCL_REPORT_INDEX, content.length, Tpm2.NV_OWNER_AUTH_RW);
                tpm.nvWrite(AzVtpmAttester.HCL_REPORT_INDEX, content);
            }
        }
    }

    static byte[] hcl(HclReport.ReportType type, PublicKey ak, byte[] hwReport) throws Exception {
        return SimVtpm.hcl(type, hwReport, SimVtpm.claims(ak, new byte[64]), 0);
    }

    static PublicKey someKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair().getPublic();
    }

    static AzSnpVtpmAttester snp(HardwareProof proof) {
        return new AzSnpVtpmAttester(swtpm::connect, () -> true, "/dev/tpmrm0", proof);
    }

    static AzTdxVtpmAttester tdx() {
        return new AzTdxVtpmAttester(swtpm::connect, () -> true, "/dev/tpmrm0", null);
    }

    @Test
    void snpHclReportIsFoundBySnpOnly() throws Exception {
        hclIndex(hcl(HclReport.ReportType.SNP, someKey(), new byte[HclReport.HW_REPORT_SIZE]));
        DetectionReport.Probe s = snp(null).probes().getFirst();
        assertThat(s.found()).isTrue();
        assertThat(s.detail()).contains("SNP");
        assertThat(snp(null).isAvailable()).isTrue();
        DetectionReport.Probe t = tdx().probes().getFirst();
        assertThat(t.found()).isFalse();
        assertThat(t.detail()).isEqualTo("HCL report is SNP, not TDX");

        DetectionReport report = Attesters.detectionReport(List.of(tdx(), snp(null)));
        assertThat(report.selected()).get().extracting(a -> a.teeType()).isEqualTo(TeeType.AZ_SNP_VTPM);
        assertThat(report.explain()).startsWith("picked az-snp-vtpm");
    }

    @Test
    void tdxHclReportIsFoundByTdxOnly() throws Exception {
        hclIndex(hcl(HclReport.ReportType.TDX, someKey(), new byte[HclReport.TDREPORT_SIZE]));
        assertThat(tdx().probes().getFirst().found()).isTrue();
        assertThat(tdx().describeAvailability()).contains("TDX");
        DetectionReport.Probe s = snp(null).probes().getFirst();
        assertThat(s.found()).isFalse();
        assertThat(s.detail()).isEqualTo("HCL report is TDX, not SNP");
        assertThat(snp(null).isAvailable()).isFalse();
    }

    @Test
    void aTpmWithoutHclReportIsNotAnAzureVm() {
        hclIndex(null);
        for (var a : List.of(snp(null), tdx())) {
            DetectionReport.Probe p = a.probes().getFirst();
            assertThat(p.found()).isFalse();
            assertThat(p.detail()).isEqualTo("no HCL report at NV 0x01400001: not an Azure confidential VM");
        }
        assertThat(Attesters.detectionReport(List.of(snp(null), tdx())).found()).isFalse();
    }

    @Test
    void anIndexHoldingSomethingElseIsNotFound() {
        hclIndex("not an HCL report, just bytes".getBytes());
        DetectionReport.Probe p = snp(null).probes().getFirst();
        assertThat(p.found()).isFalse();
        assertThat(p.detail()).startsWith("NV 0x01400001 holds no valid HCL report");
    }

    @Test
    void evidenceCollectedThroughTheSpiAttesterVerifies() throws Exception {
        SimulatedSnpPlatform platform = SimulatedSnpPlatform.builder().build();
        byte[] digest = TpmAlg.digest(TpmAlg.SHA384, "spi runtime data".getBytes());
        PublicKey ak;
        try (Tpm2 tpm = new Tpm2(swtpm.connect())) {
            tpm.startup();
            try {
                tpm.evictControl(AzVtpmAttester.AK_HANDLE, AzVtpmAttester.AK_HANDLE);
            } catch (AttestationException notPersistentYet) {
                // first use of this swtpm: nothing to evict
            }
            int h = tpm.createPrimary(Tpm2.RH_ENDORSEMENT, Tpm2.rsaAkTemplate());
            tpm.evictControl(h, AzVtpmAttester.AK_HANDLE);
            tpm.flushContext(h);
            ak = tpm.readPublic(AzVtpmAttester.AK_HANDLE).publicKey();
        }
        byte[] claims = SimVtpm.claims(ak, Arrays.copyOf(digest, 64));
        byte[] rd = Arrays.copyOf(TpmAlg.digest(TpmAlg.SHA256, claims), 64);
        hclIndex(SimVtpm.hcl(HclReport.ReportType.SNP, platform.report(ReportData.of(rd)).toBytes(), claims, 0));

        Evidence e = snp(HardwareProof.of(platform.vcek().getEncoded())).attest(ReportData.of(digest));
        assertThat(e.tee()).isEqualTo(TeeType.AZ_SNP_VTPM);
        var verified = AzSnpVtpmVerifier.builder()
                .snpVerifier(SnpReportVerifier.builder().trustRoots(platform.trustRoots()).offline(true).build())
                .build().verify(AzVtpmEvidence.of(e), digest);
        assertThat(verified.hclReport().runtimeClaims().attestationKey()).isEqualTo(ak);
    }
}
