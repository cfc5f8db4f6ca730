package dev.coco4j.azure.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.TpmAlg;
import dev.coco4j.azure.tpm.TpmSignature;
import dev.coco4j.azure.tpm.TpmsAttest;
import dev.coco4j.azure.verify.AzSnpVtpmVerifier;
import dev.coco4j.azure.verify.AzTdxVtpmVerifier;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.azure.verify.VerifiedAzVtpmEvidence;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.sev.verify.SnpReportVerifier;
import dev.coco4j.tdx.sim.SimulatedTdxPlatform;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** The public Azure SNP vTPM simulator produces evidence the az-snp-vtpm verifier accepts on the simulator's roots. */
class SimulatedAzVtpmTest {
    static final SimulatedSnpPlatform SNP = SimulatedSnpPlatform.builder().build();
    static final SimulatedAzVtpm RSA = SimulatedAzVtpm.on(SNP);
    static final byte[] DIGEST = TpmAlg.digest(TpmAlg.SHA384, "runtime data".getBytes());
    static final ReportData RD = ReportData.of(Arrays.copyOf(DIGEST, 64));
    static final AzVtpmEvidence EV = RSA.evidence(RD);

    static AzSnpVtpmVerifier verifier() {
        return AzSnpVtpmVerifier.builder()
                .snpVerifier(SnpReportVerifier.builder().trustRoots(SNP.trustRoots()).offline(true).build()).build();
    }

    @Test
    void rsaEvidenceHasAzuresLayoutAndVerifiesOnlyAgainstTheSimulatorRoots() throws Exception {
        VerifiedAzVtpmEvidence v = verifier().verify(EV, DIGEST);
        assertThat(v.nonceChecked()).isTrue();
        assertThat(v.tpmQuote().attest().extraData()).isEqualTo(DIGEST);
        assertThat(v.tpmQuote().sha256Pcrs()).hasSize(24);
        assertThat(v.tpmQuote().sha256Pcrs().get(5)).isEqualTo(TpmAlg.digest(TpmAlg.SHA256, new byte[] {5}));
        HclReport hcl = HclReport.parse(EV.hclReport());
        assertThat(EV.hclReport()).hasSize(SimulatedAzVtpm.HCL_REPORT_SIZE);
        assertThat(hcl.reportType()).isEqualTo(HclReport.ReportType.SNP);
        assertThat(hcl.runtimeClaims().attestationKey()).isEqualTo(RSA.attestationKey())
                .isInstanceOf(RSAPublicKey.class);
        assertThat(hcl.runtimeClaims().userData()).contains(HexFormat.of().withUpperCase().formatHex(RD.toByteArray()));
        byte[] reportData = SnpReport.parse(hcl.snpReport()).reportData();
        assertThat(Arrays.copyOf(reportData, 32)).isEqualTo(TpmAlg.digest(TpmAlg.SHA256, hcl.variableData()));
        assertThat(Arrays.copyOfRange(reportData, 32, 64)).isEqualTo(new byte[32]);
        assertThat(EV.quote().signature()).hasSize(256); // bare RSASSA signature, Trustee's form
        assertThat(EV.hardwareProof()).isEqualTo(SNP.vcek().getEncoded());
        assertThatThrownBy(() -> AzSnpVtpmVerifier.builder().build().verify(EV, DIGEST))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.CHAIN_INVALID);
    }

    @Test
    void eccAttestationKeySignsAMarshalledEcdsaSignature() {
        SimulatedAzVtpm ecc = SimulatedAzVtpm.builder().platform(SNP).akType(SimulatedAzVtpm.AkType.ECC_P256).build();
        AzVtpmEvidence ev = ecc.evidence(RD);
        assertThat(ecc.attestationKey()).isInstanceOf(ECPublicKey.class);
        TpmSignature sig = TpmSignature.parse(ev.quote().signature());
        assertThat(sig.sigAlg()).isEqualTo(TpmAlg.ECDSA);
        assertThat(sig.hashAlg()).isEqualTo(TpmAlg.SHA256);
        assertThat(verifier().verify(ev, DIGEST).hclReport().runtimeClaims().attestationKey())
                .isEqualTo(ecc.attestationKey());
    }

    @Test
    void chosenPcrValuesAreQuotedAndOtherNoncesRefused() {
        byte[] pcr8 = TpmAlg.digest(TpmAlg.SHA256, "init data".getBytes());
        SimulatedAzVtpm vtpm = SimulatedAzVtpm.builder().platform(SNP).pcr(8, pcr8).build();
        AzVtpmEvidence ev = vtpm.evidence(RD);
        Map<String, String> pcrs = verifier().verify(ev, DIGEST).tpmQuote().pcrClaims();
        assertThat(pcrs).containsEntry("sha256:8", HexFormat.of().formatHex(pcr8)).hasSize(24);
        assertThat(vtpm.pcr(8)).isEqualTo(pcr8);
        byte[] other = DIGEST.clone();
        other[0] ^= 1;
        assertThatThrownBy(() -> verifier().verify(ev, other))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.NONCE_MISMATCH);
        assertThatThrownBy(() -> SimulatedAzVtpm.builder().platform(SNP).pcr(24, pcr8))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> SimulatedAzVtpm.builder().pcr(0, new byte[31]))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> SimulatedAzVtpm.builder().build()).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void asAnAttesterItProducesTrusteesJson() {
        assertThat(RSA.teeType()).isEqualTo(TeeType.AZ_SNP_VTPM);
        assertThat(RSA.isAvailable()).isTrue();
        Evidence e = RSA.attest(RD);
        assertThat(e.tee()).isEqualTo(TeeType.AZ_SNP_VTPM);
        AzVtpmEvidence parsed = AzVtpmEvidence.of(e);
        assertThat(TpmsAttest.parse(parsed.quote().message()).extraData()).isEqualTo(DIGEST);
        assertThat(verifier().verify(parsed, DIGEST).tee()).isEqualTo(TeeType.AZ_SNP_VTPM);
    }

    @Test
    void onATdxPlatformItProducesAzTdxVtpmEvidence() {
        SimulatedTdxPlatform tdx = SimulatedTdxPlatform.builder().build();
        SimulatedAzVtpm vtpm = SimulatedAzVtpm.on(tdx);
        assertThat(vtpm.teeType()).isEqualTo(TeeType.AZ_TDX_VTPM);
        assertThat(vtpm.tdxPlatform()).contains(tdx);
        assertThat(vtpm.snpPlatform()).isEmpty();
        AzVtpmEvidence ev = vtpm.evidence(RD);
        assertThat(ev.tee()).isEqualTo(TeeType.AZ_TDX_VTPM);
        assertThat(HclReport.parse(ev.hclReport()).reportType()).isEqualTo(HclReport.ReportType.TDX);
        AzTdxVtpmVerifier v = AzTdxVtpmVerifier.builder().tdxVerifier(tdx.verifier()).build();
        assertThat(v.verify(ev, tdx.collateral(), DIGEST).toAttestationResult().claims()).containsKeys("tdx", "pcrs");
        // Intel's pinned root does not accept the simulator's PCK chain
        assertThatThrownBy(() -> AzTdxVtpmVerifier.builder().build().verify(ev, tdx.collateral(), DIGEST))
                .isInstanceOf(CocoException.class);
        assertThatThrownBy(() -> SimulatedAzVtpm.builder().platform(SNP).tdxPlatform(tdx).build())
                .isInstanceOf(ConfigurationException.class);
    }

    /** Bits of the signed SNP report body and of the request data with the runtime claims (the bound parts). */
    @Property(tries = 100)
    void singleBitFlipsInTheHclReportAreRefused(@ForAll("hclBits") int bit) {
        byte[] hcl = EV.hclReport();
        hcl[bit / 8] ^= (byte) (1 << (bit % 8));
        AzVtpmEvidence ev = new AzVtpmEvidence(EV.tee(), EV.quote(), hcl, EV.hardwareProof());
        assertThatThrownBy(() -> verifier().verify(ev, DIGEST)).isInstanceOf(CocoException.class);
    }

    @Provide
    Arbitrary<Integer> hclBits() {
        int end = HclReport.VARIABLE_DATA_OFFSET + HclReport.parse(EV.hclReport()).variableData().length;
        return Arbitraries.oneOf(
                Arbitraries.integers().between(HclReport.HW_REPORT_OFFSET * 8, (HclReport.HW_REPORT_OFFSET + 0x2A0) * 8 - 1),
                Arbitraries.integers().between(HclReport.REQUEST_DATA_OFFSET * 8, end * 8 - 1));
    }
}
