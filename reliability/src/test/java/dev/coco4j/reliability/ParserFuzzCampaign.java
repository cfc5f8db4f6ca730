package dev.coco4j.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.coco4j.azure.hcl.HclReport;
import dev.coco4j.azure.hcl.RuntimeClaims;
import dev.coco4j.azure.tpm.TpmsAttest;
import dev.coco4j.azure.verify.AzVtpmEvidence;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.envelope.EnvelopeCipher;
import dev.coco4j.core.envelope.LocalKeyEncryptionKey;
import dev.coco4j.core.envelope.internal.EnvelopeHeader;
import dev.coco4j.core.internal.Hex;
import dev.coco4j.core.phi.PhiFieldEncryptor;
import dev.coco4j.gpu.abi.GpuAttestationReport;
import dev.coco4j.gpu.abi.OpaqueData;
import dev.coco4j.gpu.abi.SpdmMeasurementRequest;
import dev.coco4j.gpu.rim.RimParser;
import dev.coco4j.gpu.verify.DeviceCertificateChain;
import dev.coco4j.kbs.InitData;
import dev.coco4j.kbs.internal.Json;
import dev.coco4j.kbs.protocol.Attestation;
import dev.coco4j.kbs.protocol.Challenge;
import dev.coco4j.kbs.protocol.ErrorInformation;
import dev.coco4j.kbs.protocol.KbsRequest;
import dev.coco4j.kbs.protocol.TokenResponse;
import dev.coco4j.kbs.sealed.SealedSecret;
import dev.coco4j.kbs.token.KbsTokenVerifier;
import dev.coco4j.sev.abi.SnpCertTable;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.tdx.abi.TdReport;
import dev.coco4j.tdx.abi.TdxQuote;
import dev.coco4j.tdx.verify.QeIdentity;
import dev.coco4j.tdx.verify.TcbInfo;
import dev.coco4j.tdx.verify.TdxCollateral;
import dev.coco4j.testkit.internal.SnpSerdeJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every parser of untrusted input gets mutated real inputs ({@link Mutator}, seeded) for a fixed budget per parser
 * (CI: 250 inputs, full: 5,000), plus jqwik-generated random bytes: only typed exceptions may escape
 * ({@link CocoException}; for the KBS wire records also their documented {@link KeyReleaseException} ({@link Reason#MALFORMED_EVIDENCE}), which the
 * client and the embedded KBS turn into a typed refusal), and no single call may allocate more than
 * 16 MiB + 64 bytes per input byte (measured per call with the thread's allocated-bytes counter).
 */
class ParserFuzzCampaign {
    static final ObjectMapper JSON = new ObjectMapper();
    static final long SEED = Long.getLong("coco4j.reliability.seed", 20261204L);

    record Target(String name, Supplier<List<byte[]>> seeds, Function<byte[], Object> parse, Set<Class<?>> alsoTyped) {
    }

    static byte[] v(String path) {
        return Campaigns.vector(path);
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** The {@code member} object of a PCS body, as the raw bytes it was signed over. */
    static byte[] rawMember(byte[] body, String member) {
        String s = text(body);
        int start = s.indexOf('{', s.indexOf("\"" + member + "\""));
        int depth = 0;
        for (int i = start; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return utf8(s.substring(start, i + 1));
            }
        }
        throw new IllegalArgumentException("no " + member);
    }

    static List<byte[]> gpuReports() {
        List<byte[]> out = new ArrayList<>();
        for (String f : List.of("nvtrust-lgv-samples-2023/attestationReport.txt",
                "nvtrust-lgv-samples/hopperAttestationReport.txt", "trustee-testdata/hopperAttestationReport.txt",
                "trustee-testdata/hopper_coco_report1.txt", "nvat-testdata/hopperAttestationReport.txt",
                "nvat-testdata/sample_attestation_data__gpu__blackwellAttestationReport.txt")) {
            try {
                byte[] r = Hex.rawOrHex(v("gpu/" + f));
                GpuAttestationReport.parse(r);
                out.add(r);
            } catch (RuntimeException e) {
                // not in the raw/hex form this parser takes: not a seed
            }
        }
        assertThat(out).isNotEmpty();
        return out;
    }

    /** The real Azure HCL reports (Milan v2/v3, Genoa v3). */
    static List<byte[]> hclReports() {
        return Stream.of("milan_v2", "milan_v3", "genoa_v3")
                .map(n -> v("azure/sev/azure_" + n + "_hcl_report.bin")).toList();
    }

    /** GHCB certificate tables (VCEK, ASK, ARK) built from the real Genoa and Milan certificates. */
    static List<byte[]> certTables() {
        List<byte[]> out = new ArrayList<>();
        for (String[] p : new String[][] {{"genoa/oak_genoa_v5_vcek.der", "roots/genoa_vcek_cert_chain.pem"},
            {"milan/gsg_milan_v2_vcek.der", "roots/milan_vcek_cert_chain.pem"}}) {
            var chain = Certificates.parseAll(v("sev/" + p[1]));
            try {
                out.add(new SnpCertTable(List.of(new SnpCertTable.Entry(SnpCertTable.VCEK, v("sev/" + p[0])),
                        new SnpCertTable.Entry(SnpCertTable.ASK, chain.get(0).getEncoded()),
                        new SnpCertTable.Entry(SnpCertTable.ARK, chain.get(1).getEncoded()))).toBytes());
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    static final String TDX_A = "tdx/phala-dcap-qvl/extracted_fmspcb0c06f000000_2025-06-19/";

    static List<Target> targets() {
        String[] quotes = {"phala-dcap-qvl/quote_v4_fmspcb0c06f000000_uptodate.dat",
            "phala-dcap-qvl/quote_v5_tdx15_fmspc90c06f000000_no_matching_tcb.dat",
            "google-go-tdx-guest/quote_v4_fmspc50806f000000_spr_e4.dat",
            "google-go-tdx-guest/quote_v5_tdx15_fmspc90c06f000000.dat",
            "trustee/quote_v4_fmspc00a06d080000_70byte_pad.dat", "trustee/quote_v4_fmspc50806f000000.dat",
            "trustee/quote_v5_tdx15_fmspc90c06f000000.dat"};
        byte[] kek = new byte[32];
        new java.security.SecureRandom().nextBytes(kek);
        EnvelopeCipher envelope = EnvelopeCipher.builder().kek(LocalKeyEncryptionKey.of("fuzz", kek))
                .context(Map.of("tenant", "fuzz")).build();
        PhiFieldEncryptor phi = PhiFieldEncryptor.builder().kek(LocalKeyEncryptionKey.of("fuzz", kek))
                .fields("Patient.name", "Patient.birthDate", "Patient.identifier.value").build();
        KbsTokenVerifier ear = KbsTokenVerifier.builder()
                .trustAnchors(Certificates.parseAll(v("kbs/trustee/token/as-cert-chain.pem")))
                .clock(Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC)).build();
        JsonNode earTokens = read(v("kbs/derived/ear-tokens.json"));
        JsonNode sealed = read(v("kbs/derived/sealed-secrets.json"));
        return List.of(
                new Target("SnpReport.parse", () -> SnpBitFlipCampaign.VECTORS.stream()
                        .map(x -> Hex.rawOrHex(v("sev/" + x.report()))).toList(), SnpReport::parse, Set.of()),
                new Target("SnpCertTable.parse", ParserFuzzCampaign::certTables, SnpCertTable::parse, Set.of()),
                new Target("TdxQuote.parse", () -> Stream.of(quotes).map(q -> v("tdx/" + q)).toList(),
                        TdxQuote::parse, Set.of()),
                new Target("TdReport.parse", () -> List.of(v("tdx/google-go-tdx-guest/tdreport_1024.dat")),
                        TdReport::parse, Set.of()),
                new Target("TcbInfo.parse", () -> List.of(rawMember(v(TDX_A + "tcbinfo_pcs_body.json"), "tcbInfo"),
                        rawMember(v("tdx/trustee/tcbinfo_tdx_fmspc00a06d080000_issued2025-10-27.json"), "tcbInfo")),
                        TcbInfo::parse, Set.of()),
                new Target("QeIdentity.parse", () -> List.of(rawMember(v(TDX_A + "qeidentity_pcs_body.json"),
                        "enclaveIdentity")), QeIdentity::parse, Set.of()),
                new Target("TdxCollateral.fromPcs (TCB Info body)", () -> List.of(v(TDX_A + "tcbinfo_pcs_body.json")),
                        b -> TdxCollateral.fromPcs(b, v(TDX_A + "tcb_signing_chain.pem"),
                                v(TDX_A + "qeidentity_pcs_body.json"), v(TDX_A + "tcb_signing_chain.pem"),
                                v(TDX_A + "pckcrl_platform.der"), v(TDX_A + "pckcrl_issuer_chain.pem"),
                                v(TDX_A + "rootcacrl.der")), Set.of()),
                new Target("TdxCollateral.fromBundleJson", () -> List.of(
                        v("tdx/phala-dcap-qvl/collateral_fmspcb0c06f000000_2025-06-19.json")),
                        TdxCollateral::fromBundleJson, Set.of()),
                new Target("GpuAttestationReport.parse", ParserFuzzCampaign::gpuReports, GpuAttestationReport::parse,
                        Set.of()),
                new Target("SpdmMeasurementRequest.parse", ParserFuzzCampaign::gpuReports,
                        SpdmMeasurementRequest::parse, Set.of()),
                new Target("OpaqueData.parse", () -> gpuReports().stream()
                        .map(r -> GpuAttestationReport.parse(r).opaqueData().raw()).toList(), OpaqueData::parse,
                        Set.of()),
                new Target("DeviceCertificateChain.parse", () -> List.of(v("gpu/nvtrust-lgv-samples/hopperCertChain.txt"),
                        v("gpu/nvtrust-lgv-samples-2023/gpuAkCertChain.txt")), DeviceCertificateChain::parse, Set.of()),
                new Target("RimParser.parse (SWID XML)", () -> List.of(
                        v("gpu/nvtrust-lgv-samples/Driver_RIM_test_no_gpu.swidtag"),
                        v("gpu/nvtrust-lgv-samples/1010_0200_882_96005E0001_test_no_gpu.swidtag")),
                        RimParser::parse, Set.of()),
                new Target("KBS Challenge", () -> List.of(v("kbs/derived/rcar-sample-challenge.json")),
                        b -> Challenge.fromJson(Json.parse(b, "challenge")), Set.of()),
                new Target("KBS Attestation", () -> List.of(v("kbs/derived/rcar-sample-attestation.json")),
                        b -> Attestation.fromJson(Json.parse(b, "attestation")), Set.of()),
                new Target("KBS Request", () -> List.of(v("kbs/derived/rcar-sample-request.json")),
                        b -> KbsRequest.fromJson(Json.parse(b, "request")), Set.of()),
                new Target("KBS TokenResponse", () -> List.of(utf8("{\"token\":\""
                        + earTokens.path("valid_until_2100").asText() + "\"}")),
                        b -> TokenResponse.fromJson(Json.parse(b, "token")), Set.of()),
                new Target("KBS ErrorInformation", () -> List.of(utf8("{\"type\":\"https://github.com/"
                        + "confidential-containers/kbs/errors/PolicyDeny\",\"detail\":\"Access denied by policy\"}")),
                        b -> ErrorInformation.fromJson(Json.parse(b, "error")), Set.of()),
                new Target("EAR token (KbsTokenVerifier.verify)", () -> List.of(
                        utf8(earTokens.path("valid_until_2100").asText()), utf8(earTokens.path("expired").asText())),
                        b -> ear.verify(text(b)), Set.of()),
                new Target("SealedSecret.parseUnverified", () -> List.of(
                        utf8(sealed.path("valid_signed_by_test_key").asText()),
                        utf8(sealed.path("legacy_unsigned_accepted_only_with_SKIP_SEALED_SECRET_VERIFICATION_true")
                                .asText())), b -> SealedSecret.parseUnverified(text(b), true), Set.of()),
                new Target("InitData.parse (TOML)", () -> List.of(utf8("algorithm = \"sha384\"\nversion = \"0.1.0\"\n\n"
                        + "[data]\n\"policy.rego\" = '''\npackage agent_policy\ndefault AddARPNeighborsRequest := true\n'''\n")),
                        InitData::parse, Set.of()),
                new Target("KBS SNP evidence (SnpSerdeJson.decode)", () -> List.of(
                        v("kbs/trustee/evidence/snp-evidence.json")), b -> SnpSerdeJson.decode(read(b)), Set.of()),
                new Target("EnvelopeHeader.parse", () -> List.of(envelope.encrypt(new byte[100]),
                        envelope.encrypt(new byte[70_000])), b -> EnvelopeHeader.parse(b, 0, b.length), Set.of()),
                new Target("HclReport.parse (Azure)", ParserFuzzCampaign::hclReports, HclReport::parse, Set.of()),
                new Target("RuntimeClaims.parse (Azure HCL)", () -> hclReports().stream()
                        .map(r -> HclReport.parse(r).variableData()).toList(), RuntimeClaims::parse, Set.of()),
                new Target("AzVtpmEvidence.parse (az-snp-vtpm)", () -> List.of(
                        v("azure/kbs/az-snp-vtpm-evidence-v1.json")),
                        b -> AzVtpmEvidence.parse(TeeType.AZ_SNP_VTPM, b), Set.of()),
                new Target("AzVtpmEvidence.parse (az-tdx-vtpm)", () -> List.of(
                        v("azure/kbs/az-tdx-vtpm-evidence-v1.json")),
                        b -> AzVtpmEvidence.parse(TeeType.AZ_TDX_VTPM, b), Set.of()),
                new Target("TpmsAttest.parse (TPM2 quote)", () -> Stream.of("snp", "tdx")
                        .map(t -> AzVtpmEvidence.parse(t.equals("snp") ? TeeType.AZ_SNP_VTPM : TeeType.AZ_TDX_VTPM,
                                v("azure/kbs/az-" + t + "-vtpm-evidence-v1.json")).quote().message()).toList(),
                        TpmsAttest::parse, Set.of()),
                new Target("PhiFieldEncryptor.decrypt (FHIR JSON)", () -> List.of(utf8(phi.encrypt(
                        "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"name\":[{\"family\":\"Doe\",\"given\":[\"Jane\"]}],"
                                + "\"birthDate\":\"1970-01-01\",\"identifier\":[{\"system\":\"urn:mrn\",\"value\":\"12345\"}]}"))),
                        b -> phi.decrypt(text(b)), Set.of()));
    }

    /** JSON the campaign itself reads (seeds, the SNP evidence input): Jackson errors become typed here. */
    static JsonNode read(byte[] b) {
        try {
            JsonNode n = JSON.readTree(b);
            if (n == null) {
                throw new dev.coco4j.core.AttestationException(dev.coco4j.core.Reason.MALFORMED_EVIDENCE, "empty");
            }
            return n;
        } catch (java.io.IOException e) {
            throw new dev.coco4j.core.AttestationException(dev.coco4j.core.Reason.MALFORMED_EVIDENCE, "not JSON");
        }
    }

    /** Runs one input; returns null when only a typed exception (or nothing) came out, else the failure. */
    static String run(Target t, byte[] input, long[] maxAlloc) {
        long before = Campaigns.allocated();
        String failure = null;
        try {
            t.parse().apply(input);
        } catch (CocoException e) {
            // typed: fine
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            if (!t.alsoTyped().contains(e.getClass())) {
                failure = e.getClass().getName() + ": " + e.getMessage() + " at " + (e.getStackTrace().length > 0
                        ? e.getStackTrace()[0] : "?") + " for input " + HexFormat.of().formatHex(input, 0,
                        Math.min(input.length, 64)) + (input.length > 64 ? "… (" + input.length + " bytes)" : "");
            }
        }
        long used = Campaigns.allocated() - before;
        maxAlloc[0] = Math.max(maxAlloc[0], used);
        long bound = (16L << 20) + 64L * input.length;
        if (failure == null && used > bound) {
            failure = "allocated " + used + " bytes (bound " + bound + ") for a " + input.length + "-byte input";
        }
        return failure;
    }

    @TestFactory
    Stream<DynamicTest> everyParserRefusesMutatedInputWithTypedErrorsInBoundedMemory() {
        int budget = Campaigns.full() ? 5_000 : 250;
        List<Target> targets = targets();
        return targets.stream().map(t -> DynamicTest.dynamicTest(t.name(), () -> {
            long started = System.nanoTime();
            List<byte[]> seeds = t.seeds().get();
            Mutator m = new Mutator(SEED ^ t.name().hashCode());
            List<String> failures = new ArrayList<>();
            long[] maxAlloc = {0};
            for (byte[] s : seeds) {
                String f = run(t, s, maxAlloc);
                if (f != null) {
                    failures.add("seed: " + f);
                }
            }
            for (int i = 0; i < budget; i++) {
                String f = run(t, m.next(seeds), maxAlloc);
                if (f != null && failures.size() < 20) {
                    failures.add(f);
                }
            }
            long ms = (System.nanoTime() - started) / 1_000_000;
            Campaigns.record("fuzz " + t.name(), budget + " mutated inputs from " + seeds.size() + " real seed(s)"
                    + " (seed " + SEED + "); untyped exceptions or over-allocations " + failures.size()
                    + "; max allocation per call " + (maxAlloc[0] >> 10) + " KiB (" + ms + " ms)");
            assertThat(failures).as(t.name()).isEmpty();
        }));
    }

    /** Random bytes (jqwik: empty, tiny, edge and large arrays) into every parser: typed errors only. */
    @Property(tries = 150)
    void randomBytesIntoEveryParser(@ForAll @Size(max = 8192) byte[] input) {
        long[] maxAlloc = {0};
        for (Target t : TARGETS) {
            String f = run(t, input, maxAlloc);
            assertThat(f).as(t.name()).isNull();
        }
    }

    static final List<Target> TARGETS = targets();
}
