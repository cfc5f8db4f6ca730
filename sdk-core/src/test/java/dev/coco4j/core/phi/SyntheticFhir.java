package dev.coco4j.core.phi;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Random;

/** Realistic but entirely fake FHIR R4 Patients, Observations and Bundles (no real PHI). */
final class SyntheticFhir {
    private static final String[] GIVEN = {"Avery", "Jordan", "Mika", "Noor", "Rowan", "Sasha", "Tamsin", "Yuki"};
    private static final String[] FAMILY = {"Testerson", "Fakely", "Synthia", "Mockwell", "Placeholder", "Sampleton"};
    private static final String[] CITY = {"Springfield", "Riverton", "Lakeside", "Fairview"};

    private SyntheticFhir() {
    }

    static String patient(Random r, int n) {
        String given = GIVEN[r.nextInt(GIVEN.length)];
        String family = FAMILY[r.nextInt(FAMILY.length)];
        return """
            {"resourceType":"Patient","id":"pat-%d",
             "meta":{"versionId":"1","lastUpdated":"2026-01-0%dT10:00:00Z"},
             "identifier":[{"system":"urn:oid:2.999.1.1","value":"MRN-%08d"},
                           {"system":"urn:example:insurance","value":"INS-%06d","period":{"start":"2024-01-01"}}],
             "active":true,
             "name":[{"use":"official","family":"%s","given":["%s","Q."]}],
             "telecom":[{"system":"phone","value":"555-01%02d","use":"home"}],
             "gender":"%s","birthDate":"19%02d-0%d-1%d","deceasedBoolean":false,
             "address":[{"line":["%d Example Street"],"city":"%s","postalCode":"0%04d"}],
             "multipleBirthInteger":1}
            """.formatted(n, 1 + r.nextInt(9), r.nextInt(100_000_000), r.nextInt(1_000_000), family, given,
                r.nextInt(100), r.nextBoolean() ? "female" : "male", 40 + r.nextInt(60), 1 + r.nextInt(9),
                r.nextInt(10), 1 + r.nextInt(999), CITY[r.nextInt(CITY.length)], r.nextInt(10_000));
    }

    static String observation(Random r, int n, int patient) {
        return """
            {"resourceType":"Observation","id":"obs-%d","status":"final",
             "code":{"coding":[{"system":"http://loinc.org","code":"4548-4","display":"Hemoglobin A1c"}]},
             "subject":{"reference":"Patient/pat-%d"},
             "effectiveDateTime":"2026-02-%02dT08:30:00Z",
             "valueQuantity":{"value":%d.%d0,"unit":"%%","system":"http://unitsofmeasure.org","code":"%%"},
             "note":[{"text":"synthetic note %d"}]}
            """.formatted(n, patient, 1 + r.nextInt(28), 4 + r.nextInt(6), r.nextInt(10), r.nextInt(1000));
    }

    static String bundle(Random r, int patients) {
        StringBuilder sb = new StringBuilder("{\"resourceType\":\"Bundle\",\"id\":\"bundle-1\",\"type\":\"collection\","
                + "\"entry\":[");
        for (int i = 0; i < patients; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"fullUrl\":\"urn:uuid:p").append(i).append("\",\"resource\":").append(patient(r, i))
                    .append("},{\"resource\":").append(observation(r, i, i)).append('}');
        }
        return sb.append("]}").toString();
    }

    static JsonNode json(String s) {
        return PhiFieldEncryptor.read(s);
    }
}
