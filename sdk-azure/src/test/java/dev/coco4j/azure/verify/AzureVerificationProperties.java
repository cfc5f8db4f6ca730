package dev.coco4j.azure.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.azure.Vectors;
import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.tpm.TpmQuote;
import dev.coco4j.azure.tpm.TpmsAttest;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Single-bit changes in every signed part of the real az-snp-vtpm fixture are refused; garbage gives typed errors. */
class AzureVerificationProperties {
    static final AzVtpmEvidence EV = AzVtpmEvidence.parse(TeeType.AZ_SNP_VTPM,
            Vectors.bytes("kbs/az-snp-vtpm-evidence-v1.json"));
    static final byte[] NONCE = "challenge".getBytes(StandardCharsets.US_ASCII);
    static final AzSnpVtpmVerifier VERIFIER = AzureVectorsTest.snpVerifier();
    static final int VAR_END = HclReport.VARIABLE_DATA_OFFSET
            + HclReport.parse(EV.hclReport()).variableData().length;

    static byte[] flip(byte[] b, int bit) {
        byte[] c = b.clone();
        c[bit / 8] ^= (byte) (1 << (bit % 8));
        return c;
    }

    static void refused(AzVtpmEvidence ev) {
        assertThatThrownBy(() -> VERIFIER.verify(ev, NONCE)).isInstanceOf(CocoException.class);
    }

    @Property(tries = 150)
    void flippedQuoteMessageBitsAreRefused(@ForAll("messageBits") int bit) {
        TpmQuote q = EV.quote();
        refused(new AzVtpmEvidence(EV.tee(), new TpmQuote(flip(q.message(), bit), q.signature(), q.pcrs()),
                EV.hclReport(), EV.hardwareProof()));
    }

    @Provide
    Arbitrary<Integer> messageBits() {
        return Arbitraries.integers().between(0, EV.quote().message().length * 8 - 1);
    }

    @Property(tries = 150)
    void flippedQuoteSignatureBitsAreRefused(@ForAll @IntRange(min = 0, max = 256 * 8 - 1) int bit) {
        TpmQuote q = EV.quote();
        AzVtpmEvidence ev = new AzVtpmEvidence(EV.tee(), new TpmQuote(q.message(), flip(q.signature(), bit), q.pcrs()),
                EV.hclReport(), EV.hardwareProof());
        assertThatThrownBy(() -> VERIFIER.verify(ev, NONCE))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SIGNATURE_INVALID);
    }

    @Property(tries = 100)
    void flippedPcrBitsAreRefusedWithPcrDigestMismatch(@ForAll @IntRange(min = 0, max = 23) int pcr,
                                                       @ForAll @IntRange(min = 0, max = 255) int bit) {
        TpmQuote q = EV.quote();
        List<byte[]> pcrs = new ArrayList<>(q.pcrs());
        pcrs.set(pcr, flip(pcrs.get(pcr), bit));
        AzVtpmEvidence ev = new AzVtpmEvidence(EV.tee(), new TpmQuote(q.message(), q.signature(), pcrs),
                EV.hclReport(), EV.hardwareProof());
        assertThatThrownBy(() -> VERIFIER.verify(ev, NONCE))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.PCR_DIGEST_MISMATCH);
    }

    @Property(tries = 200)
    void flippedBitsInTheSignedSnpReportAreRefused(@ForAll("snpSignedBits") int bit) {
        refused(new AzVtpmEvidence(EV.tee(), EV.quote(), flip(EV.hclReport(), bit), EV.hardwareProof()));
    }

    @Provide
    Arbitrary<Integer> snpSignedBits() {
        return Arbitraries.integers().between(HclReport.HW_REPORT_OFFSET * 8,
                (HclReport.HW_REPORT_OFFSET + 0x2A0) * 8 - 1);
    }

    @Property(tries = 200)
    void flippedBitsInTheRuntimeClaimsAreRefused(@ForAll("claimBits") int bit) {
        refused(new AzVtpmEvidence(EV.tee(), EV.quote(), flip(EV.hclReport(), bit), EV.hardwareProof()));
    }

    @Provide
    Arbitrary<Integer> claimBits() {
        return Arbitraries.integers().between(HclReport.REQUEST_DATA_OFFSET * 8, VAR_END * 8 - 1);
    }

    @Property(tries = 300)
    void randomOrTruncatedInputGivesTypedErrors(@ForAll @Size(max = 3000) byte[] junk,
                                                @ForAll @IntRange(min = 0, max = 2600) int cut) {
        byte[] hcl = EV.hclReport();
        byte[] truncated = java.util.Arrays.copyOf(hcl, Math.min(cut, VAR_END - 1));
        for (Runnable r : List.<Runnable>of(() -> TpmsAttest.parse(junk),
                () -> AzVtpmEvidence.parse(TeeType.AZ_SNP_VTPM, junk))) {
            try {
                r.run();
            } catch (CocoException expected) {
                assertThat(expected.reason()).isNotNull();
            }
        }
        assertThatThrownBy(() -> HclReport.parse(junk)).isInstanceOf(CocoException.class);
        assertThatThrownBy(() -> VERIFIER.verify(new AzVtpmEvidence(EV.tee(), EV.quote(), truncated,
                EV.hardwareProof()), NONCE)).isInstanceOf(CocoException.class);
    }
}
