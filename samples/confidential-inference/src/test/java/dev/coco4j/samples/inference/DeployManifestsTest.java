package dev.coco4j.samples.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.coco4j.kbs.InitData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Validates {@code deploy/}: the Kubernetes manifests against the schema, the init-data annotation, the Dockerfile. */
class DeployManifestsTest {
    static final Path DEPLOY = Path.of("../../deploy");
    static final String ANNOTATION = "io.katacontainers.config.hypervisor.cc_init_data";
    static final String KBS_URL = "https://kbs.coco-system.svc.cluster.local:8080";

    static List<JsonNode> documents() throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        YAMLMapper yaml = new YAMLMapper(new YAMLFactory());
        try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(f.toFile())) {
                    while (it.hasNext()) {
                        JsonNode d = it.next();
                        if (d != null && !d.isNull() && !d.isMissingNode()) {
                            docs.add(d);
                        }
                    }
                }
            }
        }
        return docs;
    }

    static MiniSchema schema() throws IOException {
        try (var in = DeployManifestsTest.class.getResourceAsStream("/deploy-schema.json")) {
            return new MiniSchema(new ObjectMapper().readTree(in));
        }
    }

    static JsonNode pod() throws IOException {
        return documents().stream().filter(d -> d.path("kind").asText().equals("Pod")).findFirst().orElseThrow();
    }

    @Test
    void everyManifestMatchesTheSchema() throws IOException {
        List<JsonNode> docs = documents();
        assertThat(docs).extracting(d -> d.path("kind").asText()).contains("Pod", "Secret", "ConfigMap");
        MiniSchema schema = schema();
        for (JsonNode d : docs) {
            assertThat(schema.validate(d.path("kind").asText(), d)).as(d.path("kind") + " " + d.path("metadata"))
                    .isEmpty();
        }
    }

    @Test
    void theValidatorCatchesWhatItShould() throws IOException {
        MiniSchema schema = schema();
        ObjectNode pod = (ObjectNode) pod().deepCopy();
        ((ObjectNode) pod.get("spec")).put("runtimeClassName", "runc");
        ((ObjectNode) pod.get("spec")).put("hostNetwork", true);
        ((ObjectNode) pod.get("metadata")).remove("annotations");
        assertThat(schema.validate("Pod", pod)).containsExactlyInAnyOrder(
                "$.metadata: missing required field 'annotations'",
                "$.spec.runtimeClassName: \"runc\" is not one of [\"kata-qemu-snp\",\"kata-qemu-tdx\","
                        + "\"kata-qemu-nvidia-gpu-snp\",\"kata-qemu-nvidia-gpu-tdx\"]",
                "$.spec: unknown field 'hostNetwork'");
        assertThat(schema.validate("Deployment", pod)).containsExactly("$: no schema for kind 'Deployment'");
    }

    @Test
    void theInitDataAnnotationIsTheMeasuredTomlAndNamesTheKbs() throws IOException {
        byte[] gz = Base64.getDecoder().decode(pod().path("metadata").path("annotations").path(ANNOTATION).asText());
        byte[] toml;
        try (var in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            toml = in.readAllBytes();
        }
        // the annotation carries exactly deploy/init-data.toml (the bytes the host measures)
        assertThat(toml).isEqualTo(Files.readAllBytes(DEPLOY.resolve("init-data.toml")));
        InitData initData = InitData.parse(toml);
        assertThat(initData.algorithm().name()).containsIgnoringCase("384");
        String text = initData.text();
        assertThat(text).contains("version = \"0.1.0\"").contains("[data]").contains("\"aa.toml\" = '''")
                .contains("\"cdh.toml\" = '''");
        assertThat(text.lines().filter(l -> l.startsWith("url = ")).toList())
                .isNotEmpty().allMatch(l -> l.equals("url = \"" + KBS_URL + "\""));
        assertThat(initData.snpHostData()).hasSize(32);
        // ...and the workload is pointed at the same KBS
        List<String> args = new ArrayList<>();
        pod().path("spec").path("containers").get(0).path("args").forEach(a -> args.add(a.asText()));
        assertThat(args.get(args.indexOf("--kbs-url") + 1)).isEqualTo(KBS_URL);
    }

    @Test
    void theDockerfileRunsTheJarThisModuleBuilds() throws IOException {
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        assertThat(dockerfile).contains("-pl samples/confidential-inference -am")
                .contains("samples/confidential-inference/target/confidential-inference.jar")
                .contains("USER 10001");
        assertThat(Files.readString(Path.of("pom.xml"))).contains("<finalName>confidential-inference</finalName>")
                .contains("<mainClass>dev.coco4j.samples.inference.ConfidentialInference</mainClass>");
    }

    @Test
    void mainOnAMachineWithoutATeeSaysWhatItProbed() throws Exception {
        assumeThat(Path.of("/dev/sev-guest")).doesNotExist();
        assumeThat(Path.of("/sys/kernel/config/tsm/report")).doesNotExist();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ConfidentialInference.class.getName(),
                "--kbs-url", "https://127.0.0.1:1", "--cacert", "x", "--sealed-model-key-file", "x",
                "--verification-keys", "x", "--phi-key", "a/b/c", "--model", "x", "--in", "x", "--out", "x")
                .redirectErrorStream(false).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(err).isEqualTo(2);
        assertThat(err).startsWith("CONFIGURATION: no TEE found").contains("/sys/kernel/config/tsm/report")
                .contains("/dev/sev-guest").contains("/dev/tdx_guest").doesNotContain("Exception");
    }
}
