package dev.coco4j.azure;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.hcl.Jwks;
import dev.coco4j.azure.tpm.TpmAlg;
import dev.coco4j.azure.tpm.TpmQuote;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Test helper: simulated HCL reports and TPM quotes in the Azure vTPM layouts. */
public final class SimVtpm {
    private SimVtpm() {
    }

    /** Runtime claims JSON with the AK as HCLAkPub. */
    public static byte[] claims(PublicKey ak, byte[] userData) throws Exception {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keys", List.of(Jwks.toJwk(ak, "HCLAkPub", "sign")));
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("console-enabled", false);
        vm.put("secure-boot", true);
        vm.put("tpm-enabled", true);
        vm.put("vmUniqueId", "00000000-0000-0000-0000-000000000001");
        m.put("vm-configuration", vm);
        m.put("user-data", HexFormat.of().withUpperCase().formatHex(userData));
        return new ObjectMapper().writeValueAsBytes(m);
    }

    /** An HCL report (SHA-256 binding) around a hardware report and variable data. */
    public static byte[] hcl(HclReport.ReportType type, byte[] hwReport, byte[] varData, int padTo) {
        int size = HclReport.VARIABLE_DATA_OFFSET + varData.length;
        ByteBuffer b = ByteBuffer.allocate(Math.max(size, padTo)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(HclReport.SIGNATURE).putInt(2).putInt(size).putInt(2).putInt(0).putInt(0).putInt(0).putInt(0);
        b.put(hwReport);
        b.position(HclReport.REQUEST_DATA_OFFSET);
        b.putInt(20 + varData.length).putInt(1).putInt(type.code()).putInt(1).putInt(varData.length);
        b.put(varData);
        return b.array();
    }

    /** A TPMS_ATTEST quote message over the SHA-256 bank PCRs 0..pcrs-1. */
    public static byte[] attest(byte[] nonce, List<byte[]> pcrs) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteBuffer b = ByteBuffer.allocate(512);
        b.putInt(0xFF544347).putShort((short) 0x8018);
        b.putShort((short) 34).putShort((short) TpmAlg.SHA256).put(new byte[32]);
        b.putShort((short) nonce.length).put(nonce);
        b.putLong(123456789L).putInt(1).putInt(0).put((byte) 1).putLong(0x2023_0000_0000L);
        b.putInt(1).putShort((short) TpmAlg.SHA256).put((byte) 3);
        int bits = 0;
        for (int i = 0; i < pcrs.size(); i++) {
            bits |= 1 << i;
        }
        b.put((byte) bits).put((byte) (bits >>> 8)).put((byte) (bits >>> 16));
        byte[] digest = TpmAlg.digest(TpmAlg.SHA256, pcrs.toArray(byte[][]::new));
        b.putShort((short) digest.length).put(digest);
        o.write(b.array(), 0, b.position());
        return o.toByteArray();
    }

    /** A quote over PCRs 0..n-1 with deterministic values, signed RSASSA-PKCS1-v1_5 SHA-256 (bare signature). */
    public static TpmQuote quote(KeyPair ak, byte[] nonce, int n) throws Exception {
        List<byte[]> pcrs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            pcrs.add(TpmAlg.digest(TpmAlg.SHA256, new byte[] {(byte) i}));
        }
        byte[] msg = attest(nonce, pcrs);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(ak.getPrivate());
        s.update(msg);
        return new TpmQuote(msg, s.sign(), pcrs);
    }
}
