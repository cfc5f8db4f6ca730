package dev.coco4j.azure.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.azure.SimVtpm;
import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.TpmAlg;
import dev.coco4j.azure.tpm.TpmQuote;
import dev.coco4j.azure.tpm.TpmSignature;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.sev.verify.SnpReportVerifier;
import dev.coco4j.tdx.sim.SimulatedTdxPlatform;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** End-to-end verification of simulated Azure evidence (sdk-sev / sdk-tdx simulators, a Java-held AK). */
class SimulatedAzureTest {
    static SimulatedSnpPlatform snp;
    static SimulatedTdxPlatform tdx;
    static KeyPair rsaAk;
    static final byte[] NONCE = TpmAlg.digest(TpmAlg.SHA384, "runtime data".getBytes());

    @BeforeAll
    static void platforms() throws Exception {
        snp = SimulatedSnpPlatform.builder().build();
        tdx = SimulatedTdxPlatform.builder().build();
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        rsaAk = g.generateKeyPair();
    }

    static AzVtpmEvidence snpEvidence(KeyPair ak, TpmQuote quote) throws Exception {
        byte[] claims = SimVtpm.claims(ak.getPublic(), NONCE);
        byte[] rd = Arrays.copyOf(TpmAlg.digest(TpmAlg.SHA256, claims), 64);
        byte[] report = snp.report(ReportData.of(rd)).toBytes();
        return new AzVtpmEvidence(TeeType.AZ_SNP_VTPM, quote, SimVtpm.hcl(HclReport.ReportType.SNP, report, claims,
                2600), snp.vcek().getEncoded());
    }

    static AzSnpVtpmVerifier snpVerifier() {
        return AzSnpVtpmVerifier.builder()
                .snpVerifier(SnpReportVerifier.builder().trustRoots(snp.trustRoots()).offline(true).build()).build();
    }

    @Test
    void simulatedSnpEvidenceVerifiesOnlyAgainstTheSimulatorRoots() throws Exception {
        AzVtpmEvidence ev = snpEvidence(rsaAk, SimVtpm.quote(rsaAk, NONCE, 24));
        VerifiedAzVtpmEvidence v = snpVerifier().verify(ev, NONCE);
        assertThat(v.tpmQuote().sha256Pcrs()).hasSize(24);
        assertThat(v.hclReport().runtimeClaims().attestationKey()).isEqualTo(rsaAk.getPublic());
        assertThatThrownBy(() -> AzSnpVtpmVerifier.builder().build().verify(ev, NONCE))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.CHAIN_INVALID);
    }

    @Test
    void anEcdsaAttestationKeyWithATpmtSignatureVerifies() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair ec = g.generateKeyPair();
        TpmQuote rsaShaped = SimVtpm.quote(rsaAk, NONCE, 8);
        Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
        s.initSign(ec.getPrivate());
        s.update(rsaShaped.message());
        byte[] rs = s.sign();
        byte[] sig = new TpmSignature(TpmAlg.ECDSA, TpmAlg.SHA256, new byte[0], Arrays.copyOf(rs, 32),
                Arrays.copyOfRange(rs, 32, 64)).marshal();
        AzVtpmEvidence ev = snpEvidence(ec, new TpmQuote(rsaShaped.message(), sig, rsaShaped.pcrs()));
        assertThat(snpVerifier().verify(ev, NONCE).tpmQuote().sha256Pcrs()).hasSize(8);
        // the same signature claimed as RSASSA does not verify
        byte[] wrongScheme = sig.clone();
        wrongScheme[1] = (byte) TpmAlg.RSASSA;
        AzVtpmEvidence bad = snpEvidence(ec, new TpmQuote(rsaShaped.message(), wrongScheme, rsaShaped.pcrs()));
        assertThatThrownBy(() -> snpVerifier().verify(bad, NONCE))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SIGNATURE_INVALID);
    }

    @Test
    void rsaPssTpmtSignaturesVerify() throws Exception {
        TpmQuote base = SimVtpm.quote(rsaAk, NONCE, 24);
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
        s.initSign(rsaAk.getPrivate());
        s.update(base.message());
        byte[] sig = new TpmSignature(TpmAlg.RSAPSS, TpmAlg.SHA256, s.sign(), new byte[0], new byte[0]).marshal();
        AzVtpmEvidence ev = snpEvidence(rsaAk, new TpmQuote(base.message(), sig, base.pcrs()));
        assertThat(snpVerifier().verify(ev, NONCE).nonceChecked()).isTrue();
    }

    @Test
    void simulatedTdxEvidenceVerifiesWithCollateralAndIsRefusedWithout() throws Exception {
        byte[] claims = SimVtpm.claims(rsaAk.getPublic(), NONCE);
        byte[] rd = Arrays.copyOf(TpmAlg.digest(TpmAlg.SHA256, claims), 64);
        byte[] quote = tdx.quote(ReportData.of(rd));
        byte[] hw = new byte[HclReport.HW_REPORT_SIZE];
        System.arraycopy(rd, 0, hw, 128, 64);
        AzVtpmEvidence ev = new AzVtpmEvidence(TeeType.AZ_TDX_VTPM, SimVtpm.quote(rsaAk, NONCE, 24),
                SimVtpm.hcl(HclReport.ReportType.TDX, hw, claims, 2600), quote);
        AzTdxVtpmVerifier v = AzTdxVtpmVerifier.builder().tdxVerifier(tdx.verifier()).build();
        VerifiedAzVtpmEvidence ok = v.verify(ev, tdx.collateral(), NONCE);
        assertThat(ok.toAttestationResult().tee()).isEqualTo(TeeType.AZ_TDX_VTPM);
        assertThat(ok.toAttestationResult().claims()).containsKeys("tdx", "pcrs", "hcl", "nonce");
        assertThatThrownBy(() -> v.verify(ev, null, NONCE)).isInstanceOf(CollateralException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.COLLATERAL_UNAVAILABLE);
        // Intel's pinned root does not accept the simulator's PCK chain
        assertThatThrownBy(() -> AzTdxVtpmVerifier.builder().build().verify(ev, tdx.collateral(), NONCE))
                .isInstanceOf(CocoException.class);
        // a TDREPORT whose REPORTDATA differs from the quote's is refused
        byte[] hw2 = hw.clone();
        hw2[130] ^= 1;
        AzVtpmEvidence other = new AzVtpmEvidence(TeeType.AZ_TDX_VTPM, ev.quote(),
                SimVtpm.hcl(HclReport.ReportType.TDX, hw2, claims, 2600), quote);
        assertThatThrownBy(() -> v.verify(other, tdx.collateral(), NONCE))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.REPORT_DATA_MISMATCH);
        assertThat(List.of(ok.tee())).containsExactly(TeeType.AZ_TDX_VTPM);
    }
}
