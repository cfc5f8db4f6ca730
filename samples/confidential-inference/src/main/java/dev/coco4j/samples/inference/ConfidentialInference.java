package dev.coco4j.samples.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.envelope.EnvelopeCipher;
import dev.coco4j.core.envelope.LocalKeyEncryptionKey;
import dev.coco4j.core.spi.Attesters;
import dev.coco4j.core.spi.DetectionReport;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import dev.coco4j.kbs.envelope.KbsKeyEncryptionKey;
import dev.coco4j.kbs.sealed.SealedSecret;
import dev.coco4j.kbs.sealed.VerificationKeyResolver;
import dev.coco4j.sev.guest.SnpAttester;
import dev.coco4j.tdx.guest.TdxAttester;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A confidential workload: it attests to a Trustee KBS, receives two keys only because the attestation succeeded,
 * decrypts its model and its PHI input, runs "inference" and writes the result encrypted again.
 *
 * <ol>
 *   <li><b>model key</b> — delivered as a CoCo <em>sealed secret</em> (for example a Kubernetes Secret mounted as an
 *   environment variable): a signed pointer to the KBS resource holding the key. The workload checks the signature
 *   with the model owner's public key and then fetches the key from the KBS, attesting first;</li>
 *   <li><b>PHI key</b> — a KBS resource used directly as the envelope key-encryption key
 *   ({@link KbsKeyEncryptionKey});</li>
 *   <li>decrypts the model and the input (envelope format, each with its own authenticated context);</li>
 *   <li>"inference" is deliberately trivial and deterministic: every input record {@code {"patient","systolic"}}
 *   gets {@code "risk": "high"} when the systolic pressure reaches the model's {@code threshold_mmhg}, else
 *   {@code "normal"} — the point is the key handling around it, not the model;</li>
 *   <li>encrypts the output with the PHI key (context {@code purpose=inference-output}) and writes it atomically;
 *   nothing is written when any step fails.</li>
 * </ol>
 *
 * <pre>
 * confidential-inference --kbs-url https://kbs:8080 --cacert kbs-ca.pem --sealed-model-key-file sealed.txt
 *     --verification-keys /keys --phi-key default/phi/kek --model model.enc --in input.enc --out output.enc
 * </pre>
 * In a TEE the attester is picked by {@link Attesters#detectionReport(List)} (configfs-tsm providers, then the guest
 * devices); when none is usable the program prints every probe and why it failed.
 */
public final class ConfidentialInference {
    /** The envelope context of the model file. */
    public static final Map<String, String> MODEL_CONTEXT = Map.of("purpose", "model");
    /** The envelope context of the input file. */
    public static final Map<String, String> INPUT_CONTEXT = Map.of("purpose", "inference-input");
    /** The envelope context of the output file. */
    public static final Map<String, String> OUTPUT_CONTEXT = Map.of("purpose", "inference-output");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ConfidentialInference() {
    }

    /**
     * What a run did (counts only; never data).
     *
     * @param model the decrypted model's {@code name} field, {@code "?"} when the model has none
     * @param records how many input records were scored and written to the output, 0 or more
     * @param highRisk how many of those were scored {@code "risk": "high"}, between 0 and {@code records}
     */
    public record Summary(String model, int records, int highRisk) {
    }

    /**
     * Runs the workload on this machine's TEE and exits 0, or prints {@code <REASON>: detail} and exits with the
     * reason's status.
     *
     * @param args see the class comment
     */
    public static void main(String[] args) {
        try {
            Map<String, String> a = flags(args);
            // Named explicitly so that a shaded jar (no module path, no service files) finds them too.
            DetectionReport tee = Attesters.detectionReport(List.of(new SnpAttester(), new TdxAttester()));
            if (!tee.found()) {
                throw new ConfigurationException(Reason.CONFIGURATION, tee.explain());
            }
            System.err.println(tee.explain().lines().findFirst().orElse(""));
            try (KbsClient kbs = KbsClient.builder().baseUrl(a.get("--kbs-url")).trustCaFile(Path.of(a.get("--cacert")))
                    .attester(tee.selected().orElseThrow()).build()) {
                Summary s = run(kbs, Files.readString(Path.of(a.get("--sealed-model-key-file"))).trim(),
                        VerificationKeyResolver.directory(Path.of(a.get("--verification-keys"))), a.get("--phi-key"),
                        Path.of(a.get("--model")), Path.of(a.get("--in")), Path.of(a.get("--out")));
                System.out.println("model " + s.model() + ": " + s.records() + " records, " + s.highRisk()
                        + " high risk");
            }
        } catch (CocoException e) {
            System.err.println(e.reason() + ": " + e.detail());
            System.exit(e.reason().exitCode());
        } catch (IOException e) {
            System.err.println("CONFIGURATION: " + e.getMessage());
            System.exit(2);
        }
    }

    /**
     * The workload's steps with a KBS client the caller built (and whose attester it chose).
     *
     * @param kbs a client for the KBS; it attests on first use
     * @param sealedModelKey the sealed secret naming the model key's KBS resource
     * @param signers the model owner's verification keys, by kid
     * @param phiKeyResource the KBS resource {@code repo/type/tag} of the PHI key-encryption key
     * @param model the encrypted model
     * @param input the encrypted input records
     * @param output where the encrypted output goes (written only on success)
     * @return counts
     * @throws CocoException with the reason of the first failed step
     * @throws IOException if a file cannot be read or written
     */
    public static Summary run(KbsClient kbs, String sealedModelKey, VerificationKeyResolver signers,
                              String phiKeyResource, Path model, Path input, Path output) throws IOException {
        // 1. The model key: verify the sealed secret's signature, then fetch what it names (attesting first).
        SealedSecret sealed = SealedSecret.verify(sealedModelKey, signers);
        JsonNode modelJson;
        try (KbsSecret modelKey = sealed.unseal(kbs)) {
            byte[] k = modelKey.bytes();
            LocalKeyEncryptionKey kek = LocalKeyEncryptionKey.of(sealed.payload().path("name").asText(), k);
            Arrays.fill(k, (byte) 0);
            try {
                modelJson = json(EnvelopeCipher.builder().kek(kek).build().decrypt(Files.readAllBytes(model),
                        MODEL_CONTEXT));
            } finally {
                kek.destroy();
            }
        }
        // 2. The PHI key: a KBS resource used as the envelope key-encryption key.
        try (KbsKeyEncryptionKey phiKey = KbsKeyEncryptionKey.builder().client(kbs).resource(phiKeyResource).build()) {
            EnvelopeCipher phi = EnvelopeCipher.builder().kek(phiKey).build();
            JsonNode records = json(phi.decrypt(Files.readAllBytes(input), INPUT_CONTEXT));

            // 3. "Inference": a fixed threshold rule from the model (deterministic; see the class comment).
            int threshold = modelJson.path("threshold_mmhg").asInt(-1);
            if (threshold < 0 || !records.isArray()) {
                throw new CiphertextException(Reason.CIPHERTEXT_INVALID, "model or input has an unexpected shape");
            }
            ArrayNode out = JSON.createArrayNode();
            int high = 0;
            for (JsonNode r : records) {
                boolean isHigh = r.path("systolic").asInt() >= threshold;
                high += isHigh ? 1 : 0;
                out.addObject().put("patient", r.path("patient").asText()).put("risk", isHigh ? "high" : "normal");
            }

            // 4. Encrypt the result with the PHI key; write it atomically.
            Path tmp = Files.createTempFile(output.toAbsolutePath().getParent(), ".inference", ".tmp");
            try {
                Files.write(tmp, phi.encrypt(JSON.writeValueAsBytes(out), OUTPUT_CONTEXT));
                Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return new Summary(modelJson.path("name").asText("?"), out.size(), high);
        }
    }

    private static JsonNode json(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (IOException e) {
            throw new CiphertextException(Reason.CIPHERTEXT_INVALID, "decrypted content is not JSON");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }

    private static Map<String, String> flags(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i], args[i + 1]);
        }
        for (String f : new String[] {"--kbs-url", "--cacert", "--sealed-model-key-file", "--verification-keys",
                "--phi-key", "--model", "--in", "--out"}) {
            if (!m.containsKey(f)) {
                throw new ConfigurationException(Reason.CONFIGURATION, f + " is required");
            }
        }
        return m;
    }
}
