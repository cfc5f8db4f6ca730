package dev.coco4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWK;
import dev.coco4j.core.ReportData;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.kbs.protocol.RuntimeDataBinding;
import dev.coco4j.kbs.evidence.SnpEvidenceSerializer;
import java.util.Base64;

/** Builds Attestation bodies the way a Trustee client does. */
final class Flows {
    private Flows() {
    }

    static byte[] digest(String nonce, ObjectNode teePubkey) {
        return new RuntimeDataBinding(ReportData.HashAlgorithm.SHA384, nonce, teePubkey, "").primaryDigest();
    }

    static String attestation(String nonce, ObjectNode teePubkey, JsonNode primaryEvidence) {
        ObjectNode a = KbsTestClient.JSON.createObjectNode();
        a.putNull("init-data");
        ObjectNode rd = a.putObject("runtime-data");
        rd.put("nonce", nonce);
        rd.set("tee-pubkey", teePubkey);
        ObjectNode ev = a.putObject("tee-evidence");
        ev.set("primary_evidence", primaryEvidence);
        ev.put("additional_evidence", "");
        return a.toString();
    }

    static String snpAttestation(SimulatedSnpPlatform sim, String nonce, JWK teeKey) {
        ObjectNode pub = KbsTestClient.teePubkey(teeKey);
        RuntimeDataBinding binding = new RuntimeDataBinding(ReportData.HashAlgorithm.SHA384, nonce, pub, "");
        SimulatedSnpAttester attester = new SimulatedSnpAttester(sim);
        return attestation(nonce, pub,
                new SnpEvidenceSerializer().primaryEvidence(attester.attest(binding.reportData()), binding));
    }

    static String sampleAttestation(String nonce, JWK teeKey) {
        ObjectNode pub = KbsTestClient.teePubkey(teeKey);
        ObjectNode ev = KbsTestClient.JSON.createObjectNode().put("svn", "1")
                .put("report_data", Base64.getEncoder().encodeToString(digest(nonce, pub)));
        return attestation(nonce, pub, ev);
    }
}
