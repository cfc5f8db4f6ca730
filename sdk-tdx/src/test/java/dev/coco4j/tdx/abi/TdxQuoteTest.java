package dev.coco4j.tdx.abi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.tdx.Vectors;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

class TdxQuoteTest {
    static final HexFormat H = HexFormat.of();
    static final String[] ALL = Vectors.ALL_QUOTES;

    @ParameterizedTest
    @FieldSource("ALL")
    void everyRealQuoteParses(String path) {
        byte[] b = Vectors.bytes(path);
        TdxQuote q = TdxQuote.parse(b);
        assertThat(q.version()).isIn(4, 5);
        assertThat(q.teeType()).isEqualTo(0x81);
        assertThat(q.attestationKeyType()).isEqualTo(2);
        assertThat(q.qeVendorId()).isEqualTo(TdxQuote.INTEL_QE_VENDOR_ID);
        assertThat(q.bytes()).isEqualTo(b);
        assertThat(q.signedRegion()).isEqualTo(Arrays.copyOf(b, q.version() == 4 ? 632 : 54 + q.body().raw().length));
        assertThat(q.trailingBytes()).isGreaterThanOrEqualTo(0);
        assertThat(new String(q.signatureData().pckChainPem())).contains("-----BEGIN CERTIFICATE-----");
        assertThat(q.signatureData().qeAuthData()).hasSize(32);
        assertThat(q.signatureData().qeReport().mrSigner()).isEqualTo(
                H.parseHex("dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5"));
        assertThat(q.signatureData().qeReport().isvProdId()).isEqualTo(2);
    }

    @Test
    void setAFieldsAndPadding() {
        TdxQuote q = TdxQuote.parse(Vectors.bytes(Vectors.SET_A_QUOTE));
        assertThat(q.version()).isEqualTo(4);
        assertThat(q.bytes()).hasSize(5006);
        assertThat(q.trailingBytes()).isEqualTo(70);
        assertThat(H.formatHex(q.body().mrTd())).isEqualTo("91eb2b44d141d4ece09f0c75c2c53d247a3c68edd7fafe8a3520c942"
                + "a604a407de03ae6dc5f87f27428b2538873118b7");
        assertThat(H.formatHex(q.body().teeTcbSvn())).startsWith("06010300");
        assertThat(H.formatHex(q.body().reportData())).startsWith("9a9d48e7").endsWith("2b523f20");
        assertThat(q.signatureData().qeReport().isvSvn()).isEqualTo(6);
        assertThat(q.body().isTdx15()).isFalse();
        assertThat(q.body().teeTcbSvn2()).isEmpty();
    }

    @Test
    void teeTcbSvnBytesAreRangeChecked() {
        TdReportBody body = TdxQuote.parse(Vectors.bytes(Vectors.SET_A_QUOTE)).body();
        for (int i = 0; i < 16; i++) {
            assertThat(body.teeTcbSvn(i)).isEqualTo(body.teeTcbSvn()[i] & 0xff);
        }
        for (int bad : new int[] {-1, 16, 584}) {
            assertThatThrownBy(() -> body.teeTcbSvn(bad)).isInstanceOf(dev.coco4j.core.ConfigurationException.class)
                    .extracting(e -> ((dev.coco4j.core.CocoException) e).reason()).isEqualTo(Reason.CONFIGURATION);
        }
    }

    @Test
    void setBIsV5WithTdx15Body() {
        TdxQuote q = TdxQuote.parse(Vectors.bytes(Vectors.SET_B_QUOTE));
        assertThat(q.version()).isEqualTo(5);
        assertThat(q.bodyType()).isEqualTo(3);
        assertThat(q.body().isTdx15()).isTrue();
        assertThat(q.signedLength()).isEqualTo(54 + 648);
        assertThat(q.trailingBytes()).isZero();
        assertThat(H.formatHex(q.body().mrTd())).isEqualTo("273828c46252fcbdd8ad2dd907130222b03466d52a2911d70c1a59508"
                + "95d6bd1ae451d382d5a9b1b4c0ed0e5ae9a3dbd");
        assertThat(H.formatHex(q.body().teeTcbSvn())).startsWith("07010300");
        assertThat(H.formatHex(q.body().teeTcbSvn2())).startsWith("0d010300");
        assertThat(q.signatureData().qeReport().isvSvn()).isEqualTo(7);
    }

    @Test
    void setCToleratesTrailingTextAndMatchesFields() {
        byte[] b = Vectors.bytes(Vectors.SET_C_QUOTE);
        TdxQuote q = TdxQuote.parse(b);
        assertThat(b).hasSize(4974);
        assertThat(q.trailingBytes()).isEqualTo(39);
        assertThat(new String(b, b.length - 39, 39)).isEqualTo("\nextra bytes(only for testing purpose)\n");
        TdReportBody body = q.body();
        assertThat(H.formatHex(body.teeTcbSvn())).startsWith("03000400");
        assertThat(H.formatHex(body.mrSeam())).startsWith("2fd279c1").endsWith("c656");
        assertThat(body.mrSignerSeam()).isEqualTo(new byte[48]);
        assertThat(H.formatHex(body.tdAttributes())).isEqualTo("0000004000000000");
        assertThat(body.tdAttributesValue() & TdReportBody.ATTR_PKS).isNotZero();
        assertThat(body.debug()).isFalse();
        assertThat(H.formatHex(body.xfam())).isEqualTo("e71a060000000000");
        assertThat(H.formatHex(body.mrTd())).isEqualTo("6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd933692"
                + "3db86f22fc00b8dcd404bc10d5e119d7215cbb");
        assertThat(H.formatHex(body.reportData())).isEqualTo("6c62dec1b8191749a31dab490be532a35944dea47caef1f9808639"
                + "93d9899545eb7406a38d1eed313b987a467dacead6f0c87a6d766c66f6f29f8acb281f1113");
        assertThat(q.signatureData().qeReport().isvSvn()).isEqualTo(4);
    }

    @Test
    void setDAndGceBufferAndTrustee() {
        TdxQuote d = TdxQuote.parse(Vectors.bytes(Vectors.SET_D_QUOTE));
        assertThat(H.formatHex(d.body().mrTd())).isEqualTo("7348651a34b2d2d3462822e3a750ec6110125f36757c78480bbfc69cc"
                + "0d21fb001a1ced3ee19747dda8f750c3bc8f876");
        assertThat(d.body().mrServiceTd()).isEqualTo(new byte[48]);
        TdxQuote gce = TdxQuote.parse(Vectors.bytes(
                "google-go-tdx-guest/quote_v4_gce_cos113_fmspc00806f050000_8000byte_buffer.dat"));
        assertThat(gce.bytes()).hasSize(8000);
        assertThat(gce.signatureDataLength()).isEqualTo(4299);
        assertThat(gce.trailingBytes()).isEqualTo(3065);
        assertThat(gce.body().reportData()).isEqualTo(Vectors.bytes("google-go-tdx-guest/cos113_nonce_zero64.dat"));
        TdxQuote e = TdxQuote.parse(Vectors.bytes(Vectors.SET_E_QUOTE));
        assertThat(e.trailingBytes()).isEqualTo(70);
    }

    @Test
    void trusteeExpectedClaimsMatchEveryBodyField() throws Exception {
        JsonNode exp = new ObjectMapper().readTree(Vectors.bytes("trustee/parse_tdx_claims_expected_for_quote_v4.json"));
        JsonNode body = exp.path("quote").path("body");
        JsonNode header = exp.path("quote").path("header");
        TdxQuote q = TdxQuote.parse(Vectors.bytes("trustee/quote_v4_fmspc50806f000000.dat"));
        TdReportBody b = q.body();
        assertThat(H.formatHex(b.mrConfigId())).isEqualTo(body.path("mr_config_id").asText());
        assertThat(H.formatHex(b.mrOwner())).isEqualTo(body.path("mr_owner").asText());
        assertThat(H.formatHex(b.mrOwnerConfig())).isEqualTo(body.path("mr_owner_config").asText());
        assertThat(H.formatHex(b.mrSeam())).isEqualTo(body.path("mr_seam").asText());
        assertThat(H.formatHex(b.mrTd())).isEqualTo(body.path("mr_td").asText());
        assertThat(H.formatHex(b.mrSignerSeam())).isEqualTo(body.path("mrsigner_seam").asText());
        assertThat(H.formatHex(b.reportData())).isEqualTo(body.path("report_data").asText());
        for (int i = 0; i < 4; i++) {
            assertThat(H.formatHex(b.rtmr(i))).isEqualTo(body.path("rtmr_" + i).asText());
        }
        assertThat(H.formatHex(b.seamAttributes())).isEqualTo(body.path("seam_attributes").asText());
        assertThat(H.formatHex(b.teeTcbSvn())).isEqualTo(body.path("tcb_svn").asText());
        assertThat(H.formatHex(b.tdAttributes())).isEqualTo(body.path("td_attributes").asText());
        assertThat(H.formatHex(b.xfam())).isEqualTo(body.path("xfam").asText());
        assertThat(b.debug()).isEqualTo(exp.path("td_attributes").path("debug").asBoolean());
        assertThat((b.tdAttributesValue() & TdReportBody.ATTR_SEPT_VE_DISABLE) != 0)
                .isEqualTo(exp.path("td_attributes").path("septve_disable").asBoolean());
        assertThat(H.formatHex(q.userData())).isEqualTo(header.path("user_data").asText());
        assertThat(H.formatHex(q.qeVendorId())).isEqualTo(header.path("vendor_id").asText());
        assertThat(String.format("%02x00", q.version())).isEqualTo(header.path("version").asText());
    }

    @Test
    void typedErrorsForBadVersionsAndLengths() {
        byte[] c = Vectors.bytes(Vectors.SET_C_QUOTE);
        byte[] v3 = c.clone();
        v3[0] = 3;
        assertThatThrownBy(() -> TdxQuote.parse(v3)).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION));
        byte[] size = c.clone();
        size[0x278] = 0x10; // go-tdx-guest negative: signature data length changed
        assertThatThrownBy(() -> TdxQuote.parse(size)).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE));
        assertThatThrownBy(() -> TdxQuote.parse(Arrays.copyOf(c, 1000))).isInstanceOfSatisfying(
                AttestationException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE));
        byte[] keyType = c.clone();
        keyType[2] = 3;
        assertThatThrownBy(() -> TdxQuote.parse(keyType)).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION));
        byte[] v5 = Vectors.bytes(Vectors.SET_B_QUOTE);
        v5[48] = 1; // SGX body type
        assertThatThrownBy(() -> TdxQuote.parse(v5)).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION));
        byte[] v5size = Vectors.bytes(Vectors.SET_B_QUOTE);
        v5size[50] = 0;
        assertThatThrownBy(() -> TdxQuote.parse(v5size)).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE));
        assertThatThrownBy(() -> TdxQuote.parse(new byte[0])).isInstanceOf(AttestationException.class);
    }

    @Test
    void tdReport() {
        byte[] r = Vectors.bytes("google-go-tdx-guest/tdreport_1024.dat");
        TdReport t = TdReport.parse(r);
        assertThat(t.raw()).isEqualTo(r);
        assertThat(t.rtmr(3)).hasSize(48);
        assertThatThrownBy(() -> TdReport.parse(new byte[1023])).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE));
    }
}
