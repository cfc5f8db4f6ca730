package dev.coco4j.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.coco4j.core.envelope.LocalKeyEncryptionKey;
import dev.coco4j.core.phi.BlindIndexKey;
import dev.coco4j.core.phi.PhiFieldEncryptor;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * FHIR resources per second: field-level encryption of a synthetic Patient (name, telecom, address, birthDate,
 * identifier values with a blind index: 6 encrypted values, one data key per resource) and its decryption, against a
 * Jackson deep copy + serialization of the same tree (the floor any tree-rewriting approach pays).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class PhiFieldBenchmark {
    /**
     * Creates the benchmark state; JMH instantiates it once per trial ({@code Scope.Benchmark}) and calls
     * {@link #setUp()}.
     */
    public PhiFieldBenchmark() {
    }

    /** Synthetic, fake patient. */
    static final String PATIENT = """
        {"resourceType":"Patient","id":"pat-1","meta":{"versionId":"1"},
         "identifier":[{"system":"urn:oid:2.999.1.1","value":"MRN-00001234"},
                       {"system":"urn:example:insurance","value":"INS-556677"}],
         "active":true,"name":[{"use":"official","family":"Testerson","given":["Avery","Q."]}],
         "telecom":[{"system":"phone","value":"555-0100","use":"home"}],
         "gender":"female","birthDate":"1970-01-02",
         "address":[{"line":["1 Example Street"],"city":"Springfield","postalCode":"00000"}]}
        """;

    private final ObjectMapper mapper = new ObjectMapper();
    private PhiFieldEncryptor phi;
    private JsonNode patient;
    private ObjectNode encrypted;

    /**
     * A PHI field encryptor with a random KEK (four encrypted fields and a blind index on identifier values), the
     * parsed sample Patient and its encrypted form.
     *
     * @throws Exception if the encryptor cannot be built or the Patient cannot be parsed (the run is then invalid)
     */
    @Setup
    public void setUp() throws Exception {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        phi = PhiFieldEncryptor.builder().kek(LocalKeyEncryptionKey.of("bench", k))
                .fields("Patient.name", "Patient.telecom", "Patient.address", "Patient.birthDate")
                .blindIndex(BlindIndexKey.derivedFrom(k), 16, List.of("Patient.identifier.value")).build();
        patient = PhiFieldEncryptor.read(PATIENT);
        encrypted = phi.encrypt(patient);
    }

    /**
     * The SDK: encrypt the chosen fields of one Patient.
     *
     * @return a new tree with the chosen fields encrypted and the identifiers blind-indexed; the input is unchanged
     */
    @Benchmark
    public ObjectNode sdkEncryptPatient() {
        return phi.encrypt(patient);
    }

    /**
     * The SDK: decrypt one Patient.
     *
     * @return a new tree equal to the sample Patient
     */
    @Benchmark
    public ObjectNode sdkDecryptPatient() {
        return phi.decrypt(encrypted);
    }

    /**
     * Jackson only: deep copy and serialize the Patient.
     *
     * @return the copy serialized as UTF-8 JSON
     * @throws Exception if Jackson cannot serialize the tree (not expected)
     */
    @Benchmark
    public byte[] baselineJacksonCopyAndWrite() throws Exception {
        return mapper.writeValueAsBytes(patient.deepCopy());
    }
}
