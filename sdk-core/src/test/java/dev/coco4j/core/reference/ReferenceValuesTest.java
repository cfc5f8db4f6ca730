package dev.coco4j.core.reference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ReferenceValuesTest {
    static final String M = "ab".repeat(48);
    static final String MRTD = "cd".repeat(48);

    static String doc(String workloadBody) {
        return "{\"version\":1,\"workloads\":{\"app\":" + workloadBody + "}}";
    }

    static ReferenceValues parse(String json) {
        return ReferenceValues.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    static Reason refusal(String json) {
        return catchThrowableOfType(ConfigurationException.class, () -> parse(json)).reason();
    }

    @Test
    void readsEveryPlatformAndWritesTheSameDocumentBack() {
        String json = doc("{\"snp\":{\"measurement\":\"" + M.toUpperCase() + "\"},"
                + "\"tdx\":{\"mr_td\":\"" + MRTD + "\",\"rtmrs\":{\"2\":\"" + "01".repeat(48) + "\"}},"
                + "\"gpu\":{\"driver_versions\":[\"535.86.10\"],\"vbios_versions\":[\"96.00.5E.00.01\"]}}");
        ReferenceValues rv = parse(json);
        WorkloadReference w = rv.workload("app");
        assertThat(w.requireSnp().measurement()).isEqualTo(M);
        assertThat(w.snpHostData()).isEmpty();
        assertThat(w.requireTdx().rtmrs()).containsOnlyKeys(2);
        assertThat(w.requireGpu().driverVersions()).containsExactly("535.86.10");
        assertThat(ReferenceValues.parse(rv.toJson().getBytes(StandardCharsets.UTF_8)).workloads())
                .isEqualTo(rv.workloads());
    }

    @Test
    void theInitDataDigestIsBoundToHostDataAndMrConfigId() throws Exception {
        byte[] toml = "version = \"0.1.0\"\nalgorithm = \"sha384\"\n[data]\n\"aa.toml\" = '''\n'''\n"
                .getBytes(StandardCharsets.UTF_8);
        String d = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-384").digest(toml));
        WorkloadReference w = parse(doc("{\"init_data_digest\":\"" + d + "\",\"snp\":{\"measurement\":\"" + M
                + "\"},\"tdx\":{\"mr_td\":\"" + MRTD + "\"}}")).workload("app");
        assertThat(w.snpHostData()).contains(d.substring(0, 64));
        assertThat(w.tdxMrConfigId()).contains(d);

        String sha256 = "11".repeat(32);
        WorkloadReference w256 = new WorkloadReference("x", Optional.of(sha256), Optional.empty(),
                Optional.of(new TdxReference(MRTD, Map.of(), Optional.empty())), Optional.empty());
        assertThat(w256.tdxMrConfigId()).contains(sha256 + "00".repeat(16));
    }

    @Test
    void aPinnedHostDataThatContradictsTheInitDataDigestIsRefused() {
        String d = "22".repeat(32);
        assertThat(refusal(doc("{\"init_data_digest\":\"" + d + "\",\"snp\":{\"measurement\":\"" + M
                + "\",\"host_data\":\"" + "23".repeat(32) + "\"}}"))).isEqualTo(Reason.CONFIGURATION);
        assertThat(parse(doc("{\"init_data_digest\":\"" + d + "\",\"snp\":{\"measurement\":\"" + M
                + "\",\"host_data\":\"" + d + "\"}}")).workload("app").snpHostData()).contains(d);
    }

    @Test
    void failsClosedOnUnknownFieldsWrongTypesAndBadValues() {
        for (String bad : List.of(
                "{\"version\":1,\"workloads\":{},\"extra\":1}",
                "{\"version\":2,\"workloads\":{}}",
                "{\"workloads\":{}}",
                "[]",
                "not json",
                doc("{\"snp\":{\"measurement\":\"" + M + "\",\"measurment\":\"" + M + "\"}}"),
                doc("{\"snp\":{\"measurement\":\"" + M.substring(2) + "\"}}"),
                doc("{\"snp\":{\"measurement\":\"" + "zz".repeat(48) + "\"}}"),
                doc("{\"snp\":{\"host_data\":\"" + "00".repeat(32) + "\"}}"),
                doc("{\"snp\":{\"measurement\":48}}"),
                doc("{\"tdx\":{\"mr_td\":\"" + MRTD + "\",\"rtmrs\":{\"4\":\"" + MRTD + "\"}}}"),
                doc("{\"gpu\":{\"driver_versions\":[],\"vbios_versions\":[\"1\"]}}"),
                doc("{\"init_data_digest\":\"00\",\"snp\":{\"measurement\":\"" + M + "\"}}"),
                doc("{}"),
                doc("{\"sgx\":{}}"))) {
            assertThat(refusal(bad)).as(bad).isEqualTo(Reason.CONFIGURATION);
        }
    }

    @Test
    void anUnknownWorkloadOrAMissingPlatformIsAConfigurationError() {
        ReferenceValues rv = parse(doc("{\"snp\":{\"measurement\":\"" + M + "\"}}"));
        assertThat(catchThrowableOfType(ConfigurationException.class, () -> rv.workload("other")).detail())
                .contains("other").contains("app");
        assertThat(catchThrowableOfType(ConfigurationException.class, () -> rv.workload("app").requireTdx())
                .reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(rv.names()).isEqualTo(Set.of("app"));
    }

    @Property(tries = 300)
    void randomBytesAreATypedErrorOrADocument(@ForAll @Size(max = 200) byte[] junk) {
        try {
            assertThat(ReferenceValues.parse(junk).workloads()).isNotNull();
        } catch (CocoException e) {
            assertThat(e.reason()).isEqualTo(Reason.CONFIGURATION);
        }
    }
}
