package dev.coco4j.cli.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Random;

/**
 * Generates a realistic-looking but entirely fake FHIR R4 {@code Bundle} of Patients and Observations for the demo.
 * Nothing here is or was real patient data: names come from short built-in lists, identifiers use the example OID arc
 * {@code 2.999}, phone numbers the fictional {@code 555-01xx} range, and every value is drawn from a seeded PRNG, so
 * the same seed always yields the same bundle.
 */
public final class SyntheticFhir {
    /** The identifier system of the synthetic medical record numbers (an example OID, never assigned). */
    public static final String MRN_SYSTEM = "urn:oid:2.999.4.1";

    private static final List<String> GIVEN = List.of("Avery", "Jordan", "Riley", "Morgan", "Casey", "Quinn",
            "Rowan", "Emerson", "Harper", "Sawyer", "Finley", "Dakota", "Reese", "Skyler", "Parker", "Hayden");
    private static final List<String> FAMILY = List.of("Testerson", "Sampleton", "Fakeworth", "Mockridge",
            "Demoulin", "Placeholt", "Exampleby", "Stubbings", "Synthwell", "Dummond");
    private static final List<String> CITIES = List.of("Springfield", "Riverton", "Lakeside", "Fairview",
            "Greenville", "Madison");
    /** LOINC code, display, unit, UCUM code, minimum, spread, decimals. */
    private static final List<Object[]> VITALS = List.of(
            new Object[] {"8867-4", "Heart rate", "beats/minute", "/min", 55, 45, 0},
            new Object[] {"29463-7", "Body weight", "kg", "kg", 48, 60, 1},
            new Object[] {"4548-4", "Hemoglobin A1c/Hemoglobin.total in Blood", "%", "%", 4.6, 4.0, 1});

    private SyntheticFhir() {
    }

    /**
     * A {@code collection} Bundle with {@code patients} Patients, each followed by one Observation per vital sign
     * (heart rate, body weight, HbA1c).
     *
     * @param patients how many patients (at least 1)
     * @param seed the PRNG seed
     * @return a new, mutable Bundle with {@code patients} Patients and {@code 3 × patients} Observations, all fake; the
     *     same {@code patients} and {@code seed} always give an equal bundle
     * @throws IllegalArgumentException if {@code patients} is less than 1
     */
    public static ObjectNode bundle(int patients, long seed) {
        if (patients < 1) {
            throw new IllegalArgumentException("patients must be at least 1");
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        Random r = new Random(seed);
        ObjectNode bundle = f.objectNode().put("resourceType", "Bundle").put("id", "demo-bundle-" + seed)
                .put("type", "collection");
        ArrayNode entries = bundle.putArray("entry");
        for (int i = 1; i <= patients; i++) {
            String pid = "pat-%04d".formatted(i);
            ObjectNode p = f.objectNode().put("resourceType", "Patient").put("id", pid);
            p.putArray("identifier").addObject().put("system", MRN_SYSTEM)
                    .put("value", "MRN-%08d".formatted(10_000_000 + r.nextInt(90_000_000)));
            ObjectNode name = p.putArray("name").addObject().put("use", "official")
                    .put("family", FAMILY.get(r.nextInt(FAMILY.size())));
            name.putArray("given").add(GIVEN.get(r.nextInt(GIVEN.size())));
            p.putArray("telecom").addObject().put("system", "phone")
                    .put("value", "555-01%02d".formatted(r.nextInt(100))).put("use", "home");
            p.put("gender", r.nextBoolean() ? "female" : "male");
            p.put("birthDate", LocalDate.of(1940, 1, 1).plusDays(r.nextInt(365 * 60)).toString());
            p.putArray("address").addObject().put("city", CITIES.get(r.nextInt(CITIES.size())))
                    .put("postalCode", "%05d".formatted(r.nextInt(100_000))).put("country", "US");
            entries.addObject().put("fullUrl", "urn:uuid:" + pid).set("resource", p);

            for (int v = 0; v < VITALS.size(); v++) {
                Object[] vital = VITALS.get(v);
                String oid = "obs-%04d-%d".formatted(i, v + 1);
                ObjectNode o = f.objectNode().put("resourceType", "Observation").put("id", oid)
                        .put("status", "final");
                ObjectNode coding = o.putObject("code").putArray("coding").addObject();
                coding.put("system", "http://loinc.org").put("code", (String) vital[0])
                        .put("display", (String) vital[1]);
                o.putObject("subject").put("reference", "Patient/" + pid);
                o.put("effectiveDateTime", LocalDate.of(2025, 1, 1).plusDays(r.nextInt(300)) + "T09:30:00Z");
                double value = ((Number) vital[4]).doubleValue() + r.nextDouble() * ((Number) vital[5]).doubleValue();
                o.putObject("valueQuantity")
                        .put("value", BigDecimal.valueOf(value).setScale((Integer) vital[6],
                                java.math.RoundingMode.HALF_UP))
                        .put("unit", (String) vital[2]).put("system", "http://unitsofmeasure.org")
                        .put("code", (String) vital[3]);
                entries.addObject().put("fullUrl", "urn:uuid:" + oid).set("resource", o);
            }
        }
        return bundle;
    }
}
