package dev.coco4j.azure.tpm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.azure.Vectors;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import java.math.BigInteger;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TPM 2.0 structures against the Trustee fixture and known command encodings. */
class TpmStructuresTest {
    static final HexFormat H = HexFormat.of();

    /** A transport that records commands and plays back canned responses. */
    static final class Scripted implements TpmTransport {
        final List<byte[]> sent = new ArrayList<>();
        final List<byte[]> replies;

        Scripted(byte[]... replies) {
            this.replies = new ArrayList<>(List.of(replies));
        }

        @Override
        public byte[] transmit(byte[] command) {
            sent.add(command);
            return replies.remove(0);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void trusteeQuoteMessageParses() {
        AzVtpmEvidence ev = AzVtpmEvidence.parse(TeeType.AZ_SNP_VTPM,
                Vectors.bytes("kbs/az-snp-vtpm-evidence-v1.json"));
        TpmsAttest a = TpmsAttest.parse(ev.quote().message());
        assertThat(new String(a.extraData())).isEqualTo("challenge");
        assertThat(a.pcrSelections()).containsExactly(new PcrSelection(TpmAlg.SHA256, new byte[] {-1, -1, -1}));
        assertThat(a.pcrSelections().get(0).indices()).hasSize(24).startsWith(0, 1).endsWith(23);
        assertThat(H.formatHex(a.pcrDigest()))
                .isEqualTo("cfa3a9112493e8c8741c1d895ced6d05a9ea19a24a02a44a8b02eaf22a1b143f");
        assertThat(a.qualifiedSigner()).hasSize(34);
        byte[] longer = java.util.Arrays.copyOf(ev.quote().message(), ev.quote().message().length + 1);
        assertThatThrownBy(() -> TpmsAttest.parse(longer)).isInstanceOf(AttestationException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
    }

    @Test
    void signaturesRoundTripAndRejectSha1() {
        TpmSignature ecdsa = new TpmSignature(TpmAlg.ECDSA, TpmAlg.SHA256, new byte[0], new byte[] {1, 2},
                new byte[] {3});
        assertThat(H.formatHex(ecdsa.marshal())).isEqualTo("0018000b00020102000103");
        assertThat(TpmSignature.parse(ecdsa.marshal())).isEqualTo(ecdsa);
        assertThatThrownBy(() -> TpmSignature.parse(H.parseHex("001400040001ff")))
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
    }

    @Test
    void startupAndPcrReadAreEncodedPerPart3() {
        Scripted t = new Scripted(H.parseHex("80010000000a00000000"),
                // PCR_Read response: counter, selection {sha256, 3, 01 00 00}, 1 digest of 32 bytes
                H.parseHex("80010000003e00000000" + "00000007" + "00000001000b03010000" + "00000001" + "0020"
                        + "11".repeat(32)));
        try (Tpm2 tpm = new Tpm2(t)) {
            tpm.startup();
            List<byte[]> v = tpm.pcrRead(PcrSelection.of(TpmAlg.SHA256, 0));
            assertThat(v).hasSize(1);
            assertThat(H.formatHex(v.get(0))).isEqualTo("11".repeat(32));
        }
        assertThat(H.formatHex(t.sent.get(0))).isEqualTo("80010000000c000001440000");
        assertThat(H.formatHex(t.sent.get(1))).isEqualTo("8001000000140000017e00000001000b03010000");
    }

    @Test
    void aTpmErrorIsATypedRefusal() {
        Scripted t = new Scripted(H.parseHex("80010000000a0000018b"));
        try (Tpm2 tpm = new Tpm2(t)) {
            assertThat(tpm.nvSize(0x01400001)).isEqualTo(-1);
        }
        Scripted bad = new Scripted(H.parseHex("80010000000a00000101"));
        try (Tpm2 tpm = new Tpm2(bad)) {
            assertThatThrownBy(() -> tpm.pcrRead(PcrSelection.of(TpmAlg.SHA256, 0)))
                    .isInstanceOf(AttestationException.class).hasMessageContaining("TPM2_PCR_Read")
                    .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
        }
    }

    @Test
    void tpmtPublicOfAnRsaKeyParses() {
        byte[] modulus = new byte[256];
        modulus[0] = (byte) 0xC1;
        modulus[255] = 0x01;
        byte[] pub = new TpmWriter().u16(TpmAlg.RSA).u16(TpmAlg.SHA256).u32(Tpm2.AK_ATTRIBUTES).tpm2b(new byte[0])
                .u16(TpmAlg.NULL).u16(TpmAlg.RSASSA).u16(TpmAlg.SHA256).u16(2048).u32(0).tpm2b(modulus)
                .toByteArray();
        TpmPublic p = TpmPublic.parse(pub);
        assertThat(p.scheme()).isEqualTo(TpmAlg.RSASSA);
        assertThat(p.attributes() & TpmPublic.RESTRICTED).isNotZero();
        assertThat(((RSAPublicKey) p.publicKey()).getModulus()).isEqualTo(new BigInteger(1, modulus));
        assertThat(((RSAPublicKey) p.publicKey()).getPublicExponent()).isEqualTo(BigInteger.valueOf(65537));
    }
}
