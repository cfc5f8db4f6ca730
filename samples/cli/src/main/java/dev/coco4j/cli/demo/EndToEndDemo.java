package dev.coco4j.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.envelope.EnvelopeCipher;
import dev.coco4j.core.envelope.LocalKeyEncryptionKey;
import dev.coco4j.core.phi.BlindIndexKey;
import dev.coco4j.core.phi.PhiFieldEncryptor;
import dev.coco4j.core.spi.Attester;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.testkit.EmbeddedKbs;
import dev.coco4j.testkit.KbsEvent;
import dev.coco4j.testkit.ResourcePolicy;
import dev.coco4j.testkit.SimulatedGpuAttester;
import dev.coco4j.testkit.SimulatedSnpAttester;
import dev.coco4j.testkit.SimulatedTdxAttester;
import dev.coco4j.gpu.sim.SimulatedGpu;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.sim.SimulatedTdxPlatform;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The end-to-end "main job" on one machine, as {@code coco4j demo} runs it: a simulated SEV-SNP (or TDX) CPU plus a
 * simulated NVIDIA GPU, the testkit's {@link EmbeddedKbs} on a loopback HTTPS port (a fresh CA; the simulators' roots
 * trusted explicitly; a resource policy that requires the expected launch measurement and a verified GPU whose
 * measurements match its RIMs), a data owner who registers a key-encryption key (KEK) as a
 * KBS resource and encrypts a synthetic FHIR bundle with it, and a workload that attests with {@link KbsClient} using composite
 * CPU+GPU evidence (the GPU's SPDM nonce is the protocol's device digest; the CPU's report data binds the GPU
 * evidence), receives the KEK and decrypts. It ends with one refusal: a workload whose (validly signed) report carries a different
 * MEASUREMENT (MRTD for TDX), with the same genuine GPU, asks for the same key and gets nothing.
 *
 * <p>Every step prints one line on the given writer — {@code [n/N] title (t ms)} — followed by indented details; no
 * colours or cursor control, so the output reads the same in a terminal, a log or a pipe. Secrets (the KEK, tokens)
 * are never printed. The demo data are generated ({@link SyntheticFhir}); no real PHI is involved.
 *
 * <p>This class has no CLI dependency so it can be reused (in a sample or a test) as is. Not thread-safe; run it once
 * per instance. For development and demonstrations, not production.
 */
public final class EndToEndDemo {
    /** Where the KEK is registered on the KBS. */
    public static final String KEK_PATH = "default/phi/kek";
    /** The KEK id written into every envelope header. */
    public static final String KEK_ID = "kbs:///" + KEK_PATH;
    /** The FHIR fields encrypted. */
    public static final List<String> FIELDS = List.of("Patient.name", "Patient.birthDate", "Patient.identifier.value",
            "Patient.telecom", "Patient.address", "Observation.valueQuantity");
    /** The fields that also get a blind index (searchable without decrypting). */
    public static final List<String> BLIND_INDEXED = List.of("Patient.identifier.value");
    /** How many steps {@link #run()} prints. */
    public static final int STEPS = 9;

    private static final HexFormat HEX = HexFormat.of();
    private static final Map<String, String> EXPORT_CONTEXT = Map.of("dataset", "coco4j-demo", "purpose", "research");

    /** The simulated CPU TEE the demo runs on. */
    public enum Tee {
        /** AMD SEV-SNP (the default). */
        SNP,
        /** Intel TDX. */
        TDX
    }

    private final PrintWriter out;
    private final int patients;
    private final Tee tee;
    private final SecureRandom random = new SecureRandom();
    private final List<KbsEvent> events = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> lastPolicyRefusal = new AtomicReference<>();
    private int step;

    /**
     * The outcome: the refusal's reason and whether that refused workload obtained any key bytes.
     *
     * @param recordsDecrypted how many bundle entries (Patients and Observations) the attested workload decrypted
     * @param fieldsDecrypted how many encrypted PHI fields those entries held
     * @param refusalReason the reason the tampered workload was refused with; {@link Reason#KEY_RELEASE_DENIED}
     *     whenever {@link EndToEndDemo#run()} returns (any other outcome makes it throw)
     * @param refusalDetail the refusal's detail message, as the KBS client reported it
     * @param refusedWorkloadGotKey whether the refused workload obtained any key bytes; always {@code false} from
     *     {@link EndToEndDemo#run()}, which throws instead
     * @param totalMillis wall-clock time of the whole run, in milliseconds
     */
    public record Outcome(int recordsDecrypted, int fieldsDecrypted, Reason refusalReason, String refusalDetail,
            boolean refusedWorkloadGotKey, long totalMillis) {
    }

    /**
     * A demo that prints to {@code out}.
     *
     * @param out where the step lines go
     * @param patients how many synthetic patients to generate (each with 3 observations)
     */
    public EndToEndDemo(PrintWriter out, int patients) {
        this(out, patients, Tee.SNP);
    }

    /**
     * A demo on the given simulated CPU TEE (always with a simulated NVIDIA GPU as additional evidence).
     *
     * @param out where the step lines go
     * @param patients how many synthetic patients to generate (each with 3 observations)
     * @param tee the simulated CPU TEE
     */
    public EndToEndDemo(PrintWriter out, int patients, Tee tee) {
        this.tee = Objects.requireNonNull(tee, "tee");
        this.out = Objects.requireNonNull(out, "out");
        if (patients < 1) {
            throw new ConfigurationException(Reason.CONFIGURATION, "patients must be at least 1");
        }
        this.patients = patients;
    }

    /**
     * Runs every step. The happy path's failures propagate as {@link CocoException}s (after a {@code FAILED} line);
     * a refused-workload step that is not refused as expected is a {@link KeyReleaseException} with
     * {@link Reason#POLICY_VIOLATION}.
     *
     * @return the outcome, when the happy path succeeded and the tampered workload was refused with
     *     {@link Reason#KEY_RELEASE_DENIED}
     */
    public Outcome run() {
        long t0 = System.nanoTime();
        out.println("coco4j demo: attest -> key release -> PHI decrypt, on one machine (simulated " + cpuName()
                + " CPU + simulated NVIDIA GPU, embedded KBS; synthetic data, no real PHI)");

        // the GPU's PKI is generated on another core while the CPU's is
        java.util.concurrent.CompletableFuture<SimulatedGpu> gpuReady =
                java.util.concurrent.CompletableFuture.supplyAsync(SimulatedGpu::create);
        SimCpu cpu = step("TEE: simulated " + cpuName() + " CPU + simulated NVIDIA H100 GPU", d -> {
            SimCpu c = tee == Tee.TDX ? new TdxCpu() : new SnpCpu();
            d.add(c.describe());
            d.add("launch measurement (" + c.measurementName() + ") " + short48(c.measurement()));
            gpuReady.join();
            d.add("GPU: Hopper, driver " + SimulatedGpu.DRIVER_VERSION + ", VBIOS " + SimulatedGpu.VBIOS_VERSION
                    + ", device chain and RIMs under simulated roots (trusted only by this demo's KBS)");
            return c;
        });
        SimulatedGpu gpu = gpuReady.join();
        SimulatedGpuAttester gpuAttester = new SimulatedGpuAttester(gpu);
        String expectedMeasurement = HEX.formatHex(cpu.measurement());

        byte[] kek = new byte[32];
        random.nextBytes(kek);
        try (EmbeddedKbs kbs = step("KBS: embedded Trustee-protocol KBS on loopback HTTPS", d -> {
            EmbeddedKbs k = cpu.trust(EmbeddedKbs.builder())
                    .trustSimulatedGpu(gpu)
                    .resourcePolicy(ResourcePolicy.affirmingOnly().and(requireMeasurement(cpu, expectedMeasurement))
                            .and(requireGpu()))
                    .listener(events::add)
                    .start();
            d.add("listening on " + k.baseUri() + " (protocol 0.4.0)");
            d.add("fresh CA " + k.caCertificate().getSubjectX500Principal().getName() + ", SHA-256 "
                    + fingerprint(k.caCertificate()));
            d.add("policy: release only to affirming " + cpuName() + " evidence with " + cpu.measurementName() + " "
                    + short48(HEX.parseHex(expectedMeasurement)) + " plus an affirming GPU whose measurements match "
                    + "its RIMs");
            return k;
        })) {
            KeyStore trust = trustStoreFor(kbs);

            step("Data owner: register the KEK as a KBS resource", d -> {
                kbs.putResource(KEK_PATH, kek);
                d.add("32 random bytes at " + KEK_PATH + " (never printed)");
                return null;
            });

            ObjectNode bundle = step("Data owner: generate a synthetic FHIR bundle", d -> {
                ObjectNode b = SyntheticFhir.bundle(patients, 20250620L);
                d.add(patients + " Patients + " + patients * 3 + " Observations ("
                        + PhiFieldEncryptor.write(b).length() + " bytes of JSON, all fake)");
                return b;
            });
            String plainJson = PhiFieldEncryptor.write(bundle);

            Encrypted enc = step("Data owner: encrypt PHI fields and an envelope export with the KEK", d -> {
                Encrypted e = encrypt(kek, bundle, plainJson);
                int markers = countMarkers(PhiFieldEncryptor.read(e.phiJson));
                d.add(markers + " fields encrypted (" + String.join(", ", FIELDS) + ")");
                d.add("blind index on " + String.join(", ", BLIND_INDEXED) + "; resourceType, id, codes, "
                        + "references stay readable");
                d.add("envelope export: " + e.export.length + " bytes, context " + new java.util.TreeMap<>(
                        EXPORT_CONTEXT));
                ObjectNode first = (ObjectNode) bundle.path("entry").path(0).path("resource");
                if (e.phiJson.contains(first.path("name").path(0).path("family").asText() + "\"")
                        || e.phiJson.contains(first.path("identifier").path(0).path("value").asText())) {
                    throw new CiphertextException(Reason.CIPHERTEXT_INVALID, "plaintext PHI left in the ciphertext");
                }
                d.add("checked: no sampled plaintext name or MRN in the encrypted bundle");
                return e;
            });
            Arrays.fill(kek, (byte) 0);   // the data owner is done; only the KBS holds the key now

            try (KbsClient client = client(kbs, trust, cpu.attester(), gpuAttester)) {
                step("Workload: attest to the KBS (RCAR handshake, composite " + cpuName() + " + GPU evidence)", d -> {
                    String token = client.attestationToken();
                    d.add("GPU " + gpuAttester.uuid().substring(0, 12) + "...: SPDM report whose nonce is the first 32 bytes of "
                            + "SHA-384(JCS({nonce, tee-pubkey}))");
                    d.add(cpuName() + " report data: SHA-384(JCS({nonce, tee-pubkey, additional-evidence})), so "
                            + "the CPU evidence binds the GPU evidence");
                    Map<String, Object> gpu0 = submod(token, "gpu0");
                    d.add("KBS verified both and issued an attestation token (" + token.length()
                            + " characters, not shown); submods " + submodNames(token) + ", gpu0: driver "
                            + nvidiaClaim(gpu0, "driver_version") + ", measurements "
                            + nvidiaClaim(gpu0, "measres") + " (" + nvidiaClaim(gpu0, "measurements_compared")
                            + " compared with the RIMs)");
                    return null;
                });

                Outcome partial;
                try (KbsSecret secret = step("Workload: request the KEK", d -> {
                    KbsSecret s = client.getResource(KEK_PATH);
                    d.add("released: " + s.length() + " bytes from " + KEK_PATH
                            + ", JWE-encrypted to the attested TEE key (not shown)");
                    return s;
                })) {
                    partial = step("Workload: decrypt the bundle", d -> decrypt(secret, enc, plainJson, d));
                }

                Refusal refusal = step("Tampered workload: different " + cpu.measurementName()
                        + " asks for the same KEK", d -> refuse(kbs, trust, cpu, gpuAttester, d));
                long total = (System.nanoTime() - t0) / 1_000_000;
                if (refusal.reason != Reason.KEY_RELEASE_DENIED || refusal.gotKey) {
                    out.println("FAILED: the tampered workload was not refused as expected");
                    throw new KeyReleaseException(Reason.POLICY_VIOLATION, "the tampered workload was "
                            + (refusal.gotKey ? "given the key" : "refused with " + refusal.reason
                            + " instead of KEY_RELEASE_DENIED"));
                }
                out.printf("done in %d ms: key released only to the expected %s measurement with a verified GPU; %d "
                        + "records decrypted%n", total, cpuName(), partial.recordsDecrypted);
                out.flush();
                return new Outcome(partial.recordsDecrypted, partial.fieldsDecrypted, refusal.reason,
                        refusal.detail, false, total);
            }
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    // ------------------------------------------------------------------ steps

    private record Encrypted(String phiJson, byte[] export) {
    }

    private record Refusal(Reason reason, String detail, boolean gotKey) {
    }

    private static Encrypted encrypt(byte[] kekBytes, ObjectNode bundle, String plainJson) {
        LocalKeyEncryptionKey kek = LocalKeyEncryptionKey.of(KEK_ID, kekBytes);
        BlindIndexKey blind = BlindIndexKey.derivedFrom(kekBytes);
        try {
            PhiFieldEncryptor phi = PhiFieldEncryptor.builder().kek(kek).fields(FIELDS)
                    .blindIndex(blind, 16, BLIND_INDEXED).build();
            String phiJson = PhiFieldEncryptor.write(phi.encrypt(bundle));
            byte[] export = EnvelopeCipher.builder().kek(kek).build()
                    .encrypt(plainJson.getBytes(StandardCharsets.UTF_8), EXPORT_CONTEXT);
            return new Encrypted(phiJson, export);
        } finally {
            kek.destroy();
            blind.destroy();
        }
    }

    private Outcome decrypt(KbsSecret secret, Encrypted enc, String plainJson, List<String> d) {
        byte[] k = secret.bytes();
        LocalKeyEncryptionKey kek = LocalKeyEncryptionKey.of(KEK_ID, k);
        BlindIndexKey blind = BlindIndexKey.derivedFrom(k);
        Arrays.fill(k, (byte) 0);
        try {
            PhiFieldEncryptor phi = PhiFieldEncryptor.builder().kek(kek).fields(FIELDS)
                    .blindIndex(blind, 16, BLIND_INDEXED).build();
            JsonNode encrypted = PhiFieldEncryptor.read(enc.phiJson);
            ObjectNode clear = phi.decrypt(encrypted);
            byte[] export = EnvelopeCipher.builder().kek(kek).build().decrypt(enc.export, EXPORT_CONTEXT);
            JsonNode original = PhiFieldEncryptor.read(plainJson);
            if (!clear.equals(original)
                    || !PhiFieldEncryptor.read(new String(export, StandardCharsets.UTF_8)).equals(original)) {
                throw new CiphertextException(Reason.CIPHERTEXT_INVALID, "decrypted bundle differs from the original");
            }
            int records = clear.path("entry").size();
            int fields = countMarkers(encrypted);
            d.add(records + " records decrypted (" + fields + " fields), identical to the original; envelope "
                    + "export decrypted and authenticated (" + export.length + " bytes)");

            JsonNode p = clear.path("entry").path(0).path("resource");
            JsonNode encP = encrypted.path("entry").path(0).path("resource");
            String mrn = p.path("identifier").path(0).path("value").asText();
            d.add("sample (redacted): Patient/" + p.path("id").asText() + " name="
                    + redact(p.path("name").path(0).path("given").path(0).asText()) + " "
                    + redact(p.path("name").path(0).path("family").asText()) + " birthDate="
                    + p.path("birthDate").asText().substring(0, 4) + "-**-** mrn=" + redactMrn(mrn) + " gender="
                    + p.path("gender").asText());
            JsonNode o = clear.path("entry").path(1).path("resource");
            d.add("sample: Observation/" + o.path("id").asText() + " "
                    + o.path("code").path("coding").path(0).path("display").asText() + " = "
                    + o.path("valueQuantity").path("value").asText() + " "
                    + o.path("valueQuantity").path("unit").asText());
            JsonNode nameNode = encP.path("name");
            String stored = (nameNode.has(PhiFieldEncryptor.ENC) ? nameNode : nameNode.path(0))
                    .path(PhiFieldEncryptor.ENC).asText();
            // The value starts with its record counter (zeros); its tail is ciphertext and tag.
            d.add("stored form of that name: {\"" + PhiFieldEncryptor.ENC + "\":\"..."
                    + stored.substring(Math.max(0, stored.length() - 16)) + "\"} (" + stored.length() + " chars)");

            String token = phi.blindIndex("Patient.identifier.value", TextNode.valueOf(mrn));
            List<String> hits = new ArrayList<>();
            for (JsonNode e : encrypted.path("entry")) {
                JsonNode marker = e.path("resource").path("identifier").path(0).path("value");
                if (token.equals(marker.path(PhiFieldEncryptor.BLIND).asText())) {
                    hits.add(e.path("resource").path("id").asText());
                }
            }
            d.add("blind-index lookup of " + redactMrn(mrn) + " over the encrypted bundle: " + hits
                    + " (no decryption needed)");
            return new Outcome(records, fields, null, null, false, 0);
        } finally {
            kek.destroy();
            blind.destroy();
        }
    }

    private Refusal refuse(EmbeddedKbs kbs, KeyStore trust, SimCpu cpu, SimulatedGpuAttester gpu, List<String> d) {
        byte[] other = sha384("coco4j demo: a modified guest image");
        long releasedBefore = released();
        Attester tampered = cpu.tampered(other);
        d.add("presents " + cpu.measurementName() + " " + short48(other) + " (evidence validly signed by the same "
                + "CPU, with the same genuine GPU)");
        try (KbsClient client = client(kbs, trust, tampered, gpu);
             KbsSecret s = client.getResource(KEK_PATH)) {
            d.add("UNEXPECTED: " + s.length() + " key bytes released");
            return new Refusal(null, "released", true);
        } catch (CocoException e) {
            boolean gotKey = released() != releasedBefore;
            d.add("refused: " + e.reason() + ": " + oneLine(e.detail()));
            String policy = lastPolicyRefusal.get();
            if (policy != null) {
                d.add("KBS policy: " + policy);
            }
            d.add(gotKey ? "UNEXPECTED: the KBS released the resource" : "no key released (KBS sent no resource "
                    + "bytes; the client holds no secret)");
            return new Refusal(e.reason(), e.detail(), gotKey);
        }
    }

    private long released() {
        return events.stream().filter(KbsEvent.ResourceReleased.class::isInstance).count();
    }

    private <T> T step(String title, Function<List<String>, T> body) {
        int n = ++step;
        List<String> details = new ArrayList<>();
        long start = System.nanoTime();
        T result;
        try {
            result = body.apply(details);
        } catch (RuntimeException e) {
            out.printf("[%d/%d] FAILED %s (%d ms)%n", n, STEPS, title, (System.nanoTime() - start) / 1_000_000);
            details.forEach(l -> out.println("      " + l));
            out.flush();
            throw e;
        }
        out.printf("[%d/%d] %s (%d ms)%n", n, STEPS, title, (System.nanoTime() - start) / 1_000_000);
        details.forEach(l -> out.println("      " + l));
        out.flush();
        return result;
    }

    // ------------------------------------------------------------------ KBS side

    private ResourcePolicy requireMeasurement(SimCpu cpu, String expectedHex) {
        return (claims, path) -> {
            Object presented = cpuClaim(claims, cpu.kbsTee(), cpu.measurementClaim());
            if (expectedHex.equals(presented)) {
                return true;
            }
            lastPolicyRefusal.set(Reason.MEASUREMENT_MISMATCH + ": " + path + " requires " + cpu.measurementName()
                    + " " + shortHex(expectedHex) + ", evidence has " + (presented == null ? "none"
                    : shortHex(presented.toString())));
            return false;
        };
    }

    private ResourcePolicy requireGpu() {
        return (claims, path) -> {
            if (claims.get("submods") instanceof Map<?, ?> submods
                    && submods.get("gpu0") instanceof Map<?, ?> gpu0
                    && gpu0.get("ear.veraison.annotated-evidence") instanceof Map<?, ?> evidence
                    && evidence.get("nvidia") instanceof Map<?, ?> nvidia
                    && "success".equals(nvidia.get("measres"))) {
                return true;
            }
            lastPolicyRefusal.set(Reason.POLICY_VIOLATION + ": " + path + " requires a verified GPU (gpu0)");
            return false;
        };
    }

    private static Object cpuClaim(Map<String, Object> claims, String teeName, String name) {
        if (claims.get("submods") instanceof Map<?, ?> submods
                && submods.get("cpu0") instanceof Map<?, ?> cpu0
                && cpu0.get("ear.veraison.annotated-evidence") instanceof Map<?, ?> evidence
                && evidence.get(teeName) instanceof Map<?, ?> tee) {
            return tee.get(name);
        }
        return null;
    }

    private static JsonNode tokenClaims(String token) {
        String[] parts = token.split("\\.");
        return PhiFieldEncryptor.read(new String(java.util.Base64.getUrlDecoder().decode(parts[1]),
                StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> submod(String token, String name) {
        JsonNode n = tokenClaims(token).path("submods").path(name);
        return n.isObject() ? new com.fasterxml.jackson.databind.ObjectMapper().convertValue(n, Map.class) : Map.of();
    }

    private static List<String> submodNames(String token) {
        List<String> names = new ArrayList<>();
        tokenClaims(token).path("submods").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static Object nvidiaClaim(Map<String, Object> gpu, String name) {
        if (gpu.get("ear.veraison.annotated-evidence") instanceof Map<?, ?> evidence
                && evidence.get("nvidia") instanceof Map<?, ?> nvidia) {
            return nvidia.get(name);
        }
        return "?";
    }

    private String cpuName() {
        return tee == Tee.TDX ? "TDX" : "SEV-SNP";
    }

    private static KeyStore trustStoreFor(EmbeddedKbs kbs) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("coco4j-demo-kbs-ca", kbs.caCertificate());
            return trust;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot build a trust store", e);
        }
    }

    private static KbsClient client(EmbeddedKbs kbs, KeyStore trust, Attester attester, SimulatedGpuAttester gpu) {
        String url = kbs.baseUri().toString();
        return KbsClient.builder().baseUrl(url.substring(0, url.length() - 1)).trustStore(trust).attester(attester)
                .deviceAttester(gpu.deviceAttester()).build();
    }

    /** A simulated CPU TEE: its attester, a tampered twin, and how the KBS trusts and names its measurement. */
    private interface SimCpu {
        Attester attester();

        /** The same CPU (validly signed evidence) launched from another image: every report carries {@code m}. */
        Attester tampered(byte[] m);

        EmbeddedKbs.Builder trust(EmbeddedKbs.Builder b);

        byte[] measurement();

        String describe();

        String kbsTee();

        String measurementName();

        String measurementClaim();
    }

    private static final class SnpCpu implements SimCpu {
        private final SimulatedSnpPlatform p = SimulatedSnpPlatform.builder().build();

        @Override
        public Attester attester() {
            return new SimulatedSnpAttester(p);
        }

        @Override
        public Attester tampered(byte[] m) {
            return tamperedMeasurementAttester(p, m);
        }

        @Override
        public EmbeddedKbs.Builder trust(EmbeddedKbs.Builder b) {
            return b.trustSnpRoots(p.trustRoots());
        }

        @Override
        public byte[] measurement() {
            return p.report(ReportData.zero()).measurement();
        }

        @Override
        public String describe() {
            return "product " + p.product() + ", report v" + p.reportVersion() + ", signed by a simulated "
                    + p.signingKey() + " (roots trusted only by this demo's KBS)";
        }

        @Override
        public String kbsTee() {
            return "snp";
        }

        @Override
        public String measurementName() {
            return "MEASUREMENT";
        }

        @Override
        public String measurementClaim() {
            return "measurement";
        }
    }

    /**
     * A simulated TDX platform whose quoting enclave can be switched, per call, to quote a TD with another MRTD
     * (the TD report body is edited before the quote is signed), so the tampered workload's quotes verify.
     */
    private static final class TdxCpu implements SimCpu {
        private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        private volatile byte[] override;
        private final SimulatedTdxPlatform p = SimulatedTdxPlatform.builder().tweak(new SimulatedTdxPlatform.Tweak() {
            @Override
            public byte[] body(byte[] body) {
                byte[] m = override;
                if (m != null) {
                    byte[] b = body.clone();
                    System.arraycopy(m, 0, b, MRTD_OFFSET, 48);
                    return b;
                }
                return body;
            }
        }).build();
        /** MRTD's offset in the TD report body (TEE_TCB_SVN 16, MRSEAM 48, MRSIGNERSEAM 48, 3×8 attributes). */
        private static final int MRTD_OFFSET = 136;

        @Override
        public Attester attester() {
            return new SimulatedTdxAttester(p);
        }

        @Override
        public Attester tampered(byte[] m) {
            byte[] copy = m.clone();
            return new DemoAttester(TeeType.TDX, "simulated TDX platform with a modified MRTD (coco4j demo)",
                    reportData -> {
                        lock.lock();
                        try {
                            override = copy;
                            return Evidence.of(TeeType.TDX, p.quote(reportData));
                        } finally {
                            override = null;
                            lock.unlock();
                        }
                    });
        }

        @Override
        public EmbeddedKbs.Builder trust(EmbeddedKbs.Builder b) {
            return b.trustSimulatedTdx(p);
        }

        @Override
        public byte[] measurement() {
            lock.lock();
            try {
                return TdxQuote.parse(p.quote(ReportData.zero())).body().mrTd();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public String describe() {
            return "quote v" + p.quoteVersion() + ", signed by a simulated quoting enclave under a simulated Intel "
                    + "root (trusted only by this demo's KBS, with its own TCB Info and QE Identity)";
        }

        @Override
        public String kbsTee() {
            return "tdx";
        }

        @Override
        public String measurementName() {
            return "MRTD";
        }

        @Override
        public String measurementClaim() {
            return "mr_td";
        }
    }

    /**
     * The refused workload: the same simulated CPU, so its reports are validly signed and verify, but launched from a
     * different image — every report carries another MEASUREMENT.
     */
    private static Attester tamperedMeasurementAttester(SimulatedSnpPlatform cpu, byte[] measurement) {
        byte[] m = measurement.clone();
        return new DemoAttester(TeeType.SNP, "simulated SEV-SNP platform with a modified launch measurement (coco4j "
                + "demo)", reportData -> new Evidence(TeeType.SNP, cpu.report(reportData, b -> b.measurement(m))
                .toBytes(), cpu.certTable().toBytes()));
    }

    /** A tampered simulated attester: always available, its evidence made by {@code source}. */
    private record DemoAttester(TeeType teeType, String describeAvailability, Function<ReportData, Evidence> source)
            implements Attester {
        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public Evidence attest(ReportData reportData) {
            return source.apply(reportData);
        }
    }

    // ------------------------------------------------------------------ formatting

    private static int countMarkers(JsonNode node) {
        if (node.isObject() && node.has(PhiFieldEncryptor.ENC)) {
            return 1;
        }
        int n = 0;
        for (JsonNode child : node) {
            n += countMarkers(child);
        }
        return n;
    }

    static String redact(String s) {
        return s.isEmpty() ? s : s.charAt(0) + "*".repeat(Math.max(3, s.length() - 1));
    }

    static String redactMrn(String mrn) {
        return mrn.length() <= 4 ? "****" : "MRN-****" + mrn.substring(mrn.length() - 4);
    }

    private static String short48(byte[] measurement) {
        return shortHex(HEX.formatHex(measurement));
    }

    private static String shortHex(String hex) {
        return hex.length() <= 16 ? hex : hex.substring(0, 16) + "...";
    }

    private static String fingerprint(java.security.cert.X509Certificate cert) {
        try {
            return shortHex(HEX.formatHex(sha256(cert.getEncoded())));
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha384(String text) {
        try {
            return MessageDigest.getInstance("SHA-384").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
