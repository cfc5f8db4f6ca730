package dev.coco4j.azure.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.azure.SimVtpm;
import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.PcrSelection;
import dev.coco4j.azure.tpm.Tpm2;
import dev.coco4j.azure.tpm.TpmAlg;
import dev.coco4j.azure.verify.AzSnpVtpmVerifier;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.azure.verify.VerifiedAzVtpmEvidence;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.sev.verify.SnpReportVerifier;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The guest path end to end against a real software TPM (swtpm): provision an AK and an NV index holding a simulated
 * HCL report (SNP report from sdk-sev's simulator, runtime claims with the AK), run {@link AzVtpmAttester} through our
 * own TPM2 encoder, and verify the result with {@link AzSnpVtpmVerifier} trusting the simulator's roots. Skipped, with
 * a message, only when swtpm is not installed.
 */
class SwtpmGuestCollectionTest {
    static Swtpm swtpm;
    static SimulatedSnpPlatform snp;

    @BeforeAll
    static void start() throws Exception {
        swtpm = Swtpm.start().orElse(null);
        Assumptions.assumeTrue(swtpm != null, "swtpm is not installed (apt-get install swtpm swtpm-tools) and "
                + Swtpm.PORT_ENV + " is not set: skipping the software-TPM end-to-end test");
        snp = SimulatedSnpPlatform.builder().build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (swtpm != null) {
            swtpm.close();
        }
    }

    /** The AK's public key and the value PCR 23 should have after provisioning. */
    record Provisioned(PublicKey ak, byte[] pcr23) {
    }

    /** Provisions AK and HCL report for the given report data and extends PCR 23. */
    static Provisioned provision(boolean ecc, byte[] reportData) throws Exception {
        try (Tpm2 tpm = new Tpm2(swtpm.connect())) {
            tpm.startup();
            for (int index : new int[] {AzVtpmAttester.HCL_REPORT_INDEX, AzVtpmAttester.USER_DATA_INDEX}) {
                if (tpm.nvSize(index) >= 0) {
                    tpm.nvUndefine(index);
                }
            }
            try {
                tpm.evictControl(AzVtpmAttester.AK_HANDLE, AzVtpmAttester.AK_HANDLE);
            } catch (AttestationException notPersistentYet) {
                assertThat(notPersistentYet.reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
            }
            int h = tpm.createPrimary(Tpm2.RH_ENDORSEMENT, ecc ? Tpm2.eccAkTemplate() : Tpm2.rsaAkTemplate());
            tpm.evictControl(h, AzVtpmAttester.AK_HANDLE);
            tpm.flushContext(h);
            PublicKey ak = tpm.readPublic(AzVtpmAttester.AK_HANDLE).publicKey();
            byte[] before = tpm.pcrRead(PcrSelection.of(TpmAlg.SHA256, 23)).get(0);
            byte[] event = TpmAlg.digest(TpmAlg.SHA256, "coco4j app".getBytes());
            tpm.pcrExtend(23, TpmAlg.SHA256, event);

            byte[] claims = SimVtpm.claims(ak, reportData);
            byte[] rd = Arrays.copyOf(TpmAlg.digest(TpmAlg.SHA256, claims), 64);
            // Azure's index is 2600 bytes (zero-padded); swtpm caps NV indices at 2048, so no padding here
            byte[] hcl = SimVtpm.hcl(HclReport.ReportType.SNP, snp.report(ReportData.of(rd)).toBytes(), claims, 0);
            tpm.nvDefine(AzVtpmAttester.HCL_REPORT_INDEX, hcl.length, Tpm2.NV_OWNER_AUTH_RW);
            tpm.nvWrite(AzVtpmAttester.HCL_REPORT_INDEX, hcl);
            return new Provisioned(ak, TpmAlg.digest(TpmAlg.SHA256, before, event));
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void guestCollectionOverSwtpmVerifies(boolean ecc) throws Exception {
        byte[] digest = TpmAlg.digest(TpmAlg.SHA384, ("runtime data " + ecc).getBytes());
        byte[] reportData = Arrays.copyOf(digest, 64);
        Provisioned prov = provision(ecc, reportData);

        // RSA AK: a fixed VCEK; ECC AK: the VCEK from an IMDS stand-in answering THIM's JSON
        Evidence evidence;
        try (MockWebServer imds = new MockWebServer()) {
            imds.enqueue(new MockResponse().setBody("{\"vcekCert\":\""
                    + Certificates.toPem(snp.vcek()).replace("\n", "\\n") + "\",\"tcbm\":\"\"}"));
            imds.start();
            HardwareProof proof = ecc
                    ? AzureImds.builder().baseUrl("http://127.0.0.1:" + imds.getPort()).build()
                    : HardwareProof.of(snp.vcek().getEncoded());
            AzVtpmAttester attester = AzVtpmAttester.builder().transport(swtpm::connect).hardwareProof(proof).build();
            evidence = attester.attest(ReportData.of(reportData));
            assertThat(imds.getRequestCount()).isEqualTo(ecc ? 1 : 0);
        }
        assertThat(evidence.tee()).isEqualTo(TeeType.AZ_SNP_VTPM);
        AzVtpmEvidence ev = AzVtpmEvidence.of(evidence);
        if (!ecc) {
            assertThat(ev.quote().signature()).hasSize(256); // bare RSASSA signature, Trustee's form
        }

        AzSnpVtpmVerifier verifier = AzSnpVtpmVerifier.builder()
                .snpVerifier(SnpReportVerifier.builder().trustRoots(snp.trustRoots()).offline(true).build()).build();
        VerifiedAzVtpmEvidence v = verifier.verify(ev, digest);
        assertThat(v.hclReport().runtimeClaims().attestationKey()).isEqualTo(prov.ak());
        assertThat(v.tpmQuote().sha256Pcrs()).hasSize(24);
        assertThat(v.tpmQuote().sha256Pcrs().get(23)).isEqualTo(prov.pcr23());
        assertThat(v.toAttestationResult().claim("nonce")).isEqualTo(HexFormat.of().formatHex(digest));

        // the refresh step wrote the report data to the user-data index
        try (Tpm2 tpm = new Tpm2(swtpm.connect())) {
            assertThat(tpm.nvRead(AzVtpmAttester.USER_DATA_INDEX)).isEqualTo(reportData);
        }
        // an attester built for the other TEE refuses this vTPM's SNP HCL report
        AzVtpmAttester tdxAttester = AzVtpmAttester.builder().tee(TeeType.AZ_TDX_VTPM).transport(swtpm::connect)
                .hardwareProof(HardwareProof.of(new byte[1])).build();
        assertThatThrownBy(() -> tdxAttester.attest(ReportData.of(reportData)))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
        // another nonce is refused
        assertThatThrownBy(() -> verifier.verify(ev, new byte[48]))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.NONCE_MISMATCH);
    }
}
