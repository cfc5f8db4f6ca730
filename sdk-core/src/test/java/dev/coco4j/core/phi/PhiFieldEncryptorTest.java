package dev.coco4j.core.phi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.envelope.AuditEvent;
import dev.coco4j.core.envelope.LocalKeyEncryptionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PhiFieldEncryptorTest {
    static final LocalKeyEncryptionKey KEK = LocalKeyEncryptionKey.of("tenant-a", new byte[32]);
    static final BlindIndexKey BLIND = BlindIndexKey.derivedFrom(new byte[32]);

    static PhiFieldEncryptor phi(String... fields) {
        return PhiFieldEncryptor.builder().kek(KEK).fields(fields)
                .blindIndex(BLIND, 16, List.of("Patient.identifier.value")).build();
    }

    @Test
    void encryptsChosenFieldsAndRoundTripsExactly() {
        JsonNode patient = SyntheticFhir.json(SyntheticFhir.patient(new Random(1), 1));
        PhiFieldEncryptor phi = phi("Patient.name", "Patient.birthDate", "Patient.telecom", "/address",
                "/multipleBirthInteger", "Patient.deceasedBoolean");
        ObjectNode enc = phi.encrypt(patient);
        String text = PhiFieldEncryptor.write(enc);
        assertThat(text).doesNotContain("Testerson", "Fakely", "Synthia", "Mockwell", "Placeholder", "Sampleton",
                "MRN-", "INS-", "Example Street", "555-01");
        assertThat(enc.get("resourceType").asText()).isEqualTo("Patient");
        assertThat(enc.get("id").asText()).isEqualTo("pat-1");
        assertThat(enc.get("gender")).isEqualTo(patient.get("gender"));
        assertThat(enc.get("name").has(PhiFieldEncryptor.ENC)).isTrue();
        assertThat(enc.at("/identifier/0/value").has(PhiFieldEncryptor.BLIND)).isTrue();
        assertThat(enc.at("/identifier/0/system")).isEqualTo(patient.at("/identifier/0/system"));
        assertThat(enc.get("meta").get("versionId").asText()).isEqualTo("1");

        assertThat(phi.decrypt(enc)).isEqualTo(patient);
        assertThat(PhiFieldEncryptor.read(phi.decrypt(text))).isEqualTo(patient);
        // any encryptor with the same KEK decrypts, whatever its selectors
        assertThat(PhiFieldEncryptor.builder().kek(KEK).build().decrypt(enc)).isEqualTo(patient);
    }

    @Test
    void bundleUsesOneDataKeyAndEveryEntry() {
        List<AuditEvent> events = new ArrayList<>();
        JsonNode bundle = SyntheticFhir.json(SyntheticFhir.bundle(new Random(2), 5));
        PhiFieldEncryptor phi = PhiFieldEncryptor.builder().kek(KEK).auditSink(events::add)
                .fields("Patient.name", "Patient.birthDate", "Observation.valueQuantity", "Observation.note").build();
        ObjectNode enc = phi.encrypt(bundle);
        assertThat(events).extracting(AuditEvent::type).containsExactly(AuditEvent.Type.DATA_KEY_GENERATED);
        assertThat(enc.at("/entry/1/resource/valueQuantity").has(PhiFieldEncryptor.ENC)).isTrue();
        assertThat(enc.at("/entry/1/resource/subject")).isEqualTo(bundle.at("/entry/1/resource/subject"));
        assertThat(enc.at("/meta/extension/0/url").asText()).isEqualTo(PhiFieldEncryptor.HEADER_EXTENSION_URL);
        ObjectNode dec = phi.decrypt(enc);
        assertThat(dec).isEqualTo(bundle);
        assertThat(dec.at("/entry/1/resource/valueQuantity/value").decimalValue().toPlainString())
                .isEqualTo(bundle.at("/entry/1/resource/valueQuantity/value").decimalValue().toPlainString());
    }

    @Test
    void valuesAreBoundToResourceAndPath() {
        PhiFieldEncryptor phi = phi("Patient.name", "Patient.birthDate");
        ObjectNode a = phi.encrypt(SyntheticFhir.json(SyntheticFhir.patient(new Random(3), 1)));

        ObjectNode moved = a.deepCopy(); // birthDate ciphertext pasted into name
        moved.set("name", moved.get("birthDate"));
        assertNotAuthentic(() -> phi.decrypt(moved));

        ObjectNode renamed = a.deepCopy(); // same data under another id
        renamed.put("id", "pat-2");
        assertNotAuthentic(() -> phi.decrypt(renamed));

        ObjectNode swappedIds = a.deepCopy(); // identifier values swapped between array positions
        JsonNode v0 = swappedIds.at("/identifier/0/value");
        ((ObjectNode) swappedIds.at("/identifier/0")).set("value", swappedIds.at("/identifier/1/value"));
        ((ObjectNode) swappedIds.at("/identifier/1")).set("value", v0);
        assertNotAuthentic(() -> phi.decrypt(swappedIds));

        ObjectNode noHeader = a.deepCopy();
        noHeader.remove("meta");
        assertNotAuthentic(() -> phi.decrypt(noHeader));

        ObjectNode tampered = a.deepCopy();
        String c = tampered.at("/birthDate/c4jEnc").asText();
        String flipped = c.substring(0, 12) + (c.charAt(12) == 'A' ? "B" : "A") + c.substring(13);
        ((ObjectNode) tampered.get("birthDate")).put("c4jEnc", flipped);
        assertNotAuthentic(() -> phi.decrypt(tampered));

        ObjectNode otherKek = a.deepCopy();
        assertNotAuthentic(() -> PhiFieldEncryptor.builder().kek(LocalKeyEncryptionKey.of("tenant-a", new byte[] {
            1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29,
            30, 31, 32})).build().decrypt(otherKek));
    }

    static void assertNotAuthentic(Runnable r) {
        assertThatThrownBy(r::run).isInstanceOf(CiphertextException.class)
                .hasMessageContaining("ciphertext is not authentic");
    }

    @Test
    void blindIndexIsDeterministicPerFieldAndSearchable() {
        PhiFieldEncryptor phi = phi("Patient.name");
        JsonNode p1 = SyntheticFhir.json(SyntheticFhir.patient(new Random(4), 1));
        ObjectNode e1 = phi.encrypt(p1);
        ObjectNode e2 = phi.encrypt(p1);
        assertThat(e1.at("/identifier/0/value/c4jEnc")).isNotEqualTo(e2.at("/identifier/0/value/c4jEnc"));
        assertThat(e1.at("/identifier/0/value/c4jBi")).isEqualTo(e2.at("/identifier/0/value/c4jBi"));
        String query = phi.blindIndex("Patient.identifier.value", p1.at("/identifier/0/value"));
        assertThat(e1.at("/identifier/0/value/c4jBi").asText()).isEqualTo(query).hasSize(22);
        // another key gives other tokens
        PhiFieldEncryptor other = PhiFieldEncryptor.builder().kek(KEK)
                .blindIndex(BlindIndexKey.of(new byte[32]), 16, List.of("Patient.identifier.value")).build();
        assertThat(other.blindIndex("Patient.identifier.value", new TextNode("MRN-1")))
                .isNotEqualTo(phi.blindIndex("Patient.identifier.value", new TextNode("MRN-1")));
        assertThat(BLIND.toString()).doesNotContain("00000");
    }

    @Test
    void selectorValidationAndMisuse() {
        assertThatThrownBy(() -> FieldSelector.parse("patient name")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> FieldSelector.parse("Patient.id")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> FieldSelector.parse("/resourceType")).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> PhiFieldEncryptor.builder().build()).isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> PhiFieldEncryptor.builder().kek(KEK).build().encrypt(
                SyntheticFhir.json("{\"resourceType\":\"Patient\"}"))).isInstanceOf(ConfigurationException.class);
        PhiFieldEncryptor phi = phi("Patient.name");
        assertThatThrownBy(() -> phi.encrypt(SyntheticFhir.json("{\"a\":1}")))
                .isInstanceOf(ConfigurationException.class);
        ObjectNode once = phi.encrypt(SyntheticFhir.json(SyntheticFhir.patient(new Random(5), 1)));
        assertThatThrownBy(() -> phi.encrypt(once)).isInstanceOf(ConfigurationException.class);
        // missing fields are skipped; overlapping selectors encrypt the outer value once
        JsonNode p = SyntheticFhir.json("{\"resourceType\":\"Patient\",\"id\":\"x\",\"name\":[{\"given\":[\"A\"]}]}");
        PhiFieldEncryptor overlap = phi("Patient.name", "Patient.name.given", "Patient.photo");
        assertThat(overlap.decrypt(overlap.encrypt(p))).isEqualTo(p);
    }

    @Property(tries = 100)
    void anyJsonValueRoundTrips(@ForAll("values") String valueJson, @ForAll long seed) {
        ObjectNode r = (ObjectNode) SyntheticFhir.json("{\"resourceType\":\"Observation\",\"id\":\"o-" + seed
                + "\"}");
        r.set("valueX", SyntheticFhir.json(valueJson));
        PhiFieldEncryptor phi = PhiFieldEncryptor.builder().kek(KEK).fields("Observation.valueX").build();
        ObjectNode enc = phi.encrypt(r);
        assertThat(enc.get("valueX").has(PhiFieldEncryptor.ENC)).isTrue();
        assertThat(PhiFieldEncryptor.write(phi.decrypt(enc))).isEqualTo(PhiFieldEncryptor.write(r));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> values() {
        return net.jqwik.api.Arbitraries.oneOf(
                net.jqwik.api.Arbitraries.strings().ofMaxLength(40).map(s -> PhiFieldEncryptor.write(new TextNode(s))),
                net.jqwik.api.Arbitraries.bigDecimals().ofScale(3).map(d -> d.toPlainString()),
                net.jqwik.api.Arbitraries.longs().map(String::valueOf),
                net.jqwik.api.Arbitraries.of("true", "false", "null", "[]", "{}", "[1,\"a\",{\"b\":[null,2.50]}]",
                        "{\"system\":\"phone\",\"value\":\"555-0100\"}", "1e400", "-0.0"));
    }
}
