package dev.coco4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import dev.coco4j.core.Reason;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EmbeddedKbsProtocolTest {
    static final String PATH = "kbs/v0/resource/default/key/app";
    static final byte[] SECRET = "the-resource-bytes".getBytes(StandardCharsets.UTF_8);
    static SimulatedSnpPlatform sim;
    static ECKey teeKey;

    @BeforeAll
    static void platform() throws Exception {
        sim = SimulatedSnpPlatform.builder().build();
        teeKey = new ECKeyGenerator(Curve.P_256).generate();
    }

    static EmbeddedKbs.Builder snpKbs() {
        return EmbeddedKbs.builder().trustSnpRoots(sim.trustRoots()).resource("default/key/app", SECRET);
    }

    /** auth + attest with simulated SNP evidence; returns the token. */
    static String attestSnp(KbsTestClient c) {
        KbsTestClient.Reply ch = c.auth("snp");
        assertThat(ch.status()).isEqualTo(200);
        KbsTestClient.Reply t = c.post("kbs/v0/attest", Flows.snpAttestation(sim, ch.json().get("nonce").asText(),
                teeKey));
        assertThat(t.status()).as(t.body()).isEqualTo(200);
        return t.json().get("token").asText();
    }

    @Test
    void snpHappyPathOverHttpsReleasesTheResourceEncryptedToTheTeeKey() throws Exception {
        List<KbsEvent> events = new CopyOnWriteArrayList<>();
        try (EmbeddedKbs kbs = snpKbs().listener(events::add).start()) {
            assertThat(kbs.baseUri().getScheme()).isEqualTo("https");
            KbsTestClient c = new KbsTestClient(kbs);
            KbsTestClient.Reply ch = c.auth("snp");
            assertThat(ch.status()).isEqualTo(200);
            assertThat(ch.cookie()).get().asString().matches("[0-9a-f]{32}");
            String nonce = ch.json().get("nonce").asText();
            assertThat(java.util.Base64.getDecoder().decode(nonce)).hasSize(32);
            assertThat(ch.json().get("extra-params").asText()).isEmpty();

            KbsTestClient.Reply t = c.post("kbs/v0/attest", Flows.snpAttestation(sim, nonce, teeKey));
            assertThat(t.status()).as(t.body()).isEqualTo(200);
            String token = t.json().get("token").asText();
            SignedJWT jwt = SignedJWT.parse(token);
            assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
            assertThat(jwt.getHeader().getJWK().getX509CertChain()).hasSize(2);
            assertThat(jwt.getJWTClaimsSet().getExpirationTime()).isAfter(jwt.getJWTClaimsSet().getIssueTime());
            JsonNode claims = KbsTestClient.JSON.readTree(jwt.getPayload().toString());
            assertThat(claims.at("/submods/cpu0/ear.veraison.annotated-evidence/runtime_data_claims/tee-pubkey/x")
                    .asText()).isEqualTo(teeKey.getX().toString());
            assertThat(claims.at("/submods/cpu0/ear.status").asText()).isEqualTo("affirming");
            assertThat(claims.path("eat_profile").asText()).contains("confidential-containers/Trustee");

            KbsTestClient.Reply r = c.get(PATH, null);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().has("aad")).isFalse();
            assertThat(r.json().has("protected")).isTrue();
            assertThat(KbsTestClient.decrypt(r.body(), teeKey)).isEqualTo(SECRET);

            // Passport style: the token alone, no cookie.
            KbsTestClient other = new KbsTestClient(kbs);
            KbsTestClient.Reply p = other.get(PATH, token);
            assertThat(p.status()).isEqualTo(200);
            assertThat(KbsTestClient.decrypt(p.body(), teeKey)).isEqualTo(SECRET);

            // Events: ids and outcomes, never the nonce, cookie or token.
            assertThat(events).hasAtLeastOneElementOfType(KbsEvent.AttestationAccepted.class)
                    .hasAtLeastOneElementOfType(KbsEvent.ResourceReleased.class);
            assertThat(events.toString()).doesNotContain(nonce).doesNotContain(c.cookie).doesNotContain(token);
            assertThat(kbs.toString()).doesNotContain(kbs.adminToken());
        }
    }

    @Test
    void rsaTeeKeyGetsRsaOaep256() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        try (EmbeddedKbs kbs = snpKbs().start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            String nonce = c.auth("snp").json().get("nonce").asText();
            assertThat(c.post("kbs/v0/attest", Flows.snpAttestation(sim, nonce, rsa)).status()).isEqualTo(200);
            KbsTestClient.Reply r = c.get(PATH, null);
            String header = new String(java.util.Base64.getUrlDecoder().decode(r.json().get("protected").asText()),
                    StandardCharsets.UTF_8);
            assertThat(header).contains("RSA-OAEP-256").contains("A256GCM");
            assertThat(KbsTestClient.decrypt(r.body(), rsa)).isEqualTo(SECRET);
        }
    }

    @Test
    void sampleOverHttpWhenAllowed() throws Exception {
        try (EmbeddedKbs kbs = EmbeddedKbs.builder().insecureHttp(true).allowSample(true)
                .resourcePolicy(ResourcePolicy.allowAll()).resource("default/key/app", SECRET).start()) {
            assertThat(kbs.baseUri().getScheme()).isEqualTo("http");
            KbsTestClient c = new KbsTestClient(kbs);
            String nonce = c.auth("sample").json().get("nonce").asText();
            KbsTestClient.Reply t = c.post("kbs/v0/attest", Flows.sampleAttestation(nonce, teeKey));
            assertThat(t.status()).as(t.body()).isEqualTo(200);
            assertThat(KbsTestClient.decrypt(c.get(PATH, null).body(), teeKey)).isEqualTo(SECRET);
        }
    }

    @Test
    void sampleRefusedWhenNotAllowed() {
        List<KbsEvent> events = new CopyOnWriteArrayList<>();
        try (EmbeddedKbs kbs = EmbeddedKbs.builder().insecureHttp(true).listener(events::add)
                .resourcePolicy(ResourcePolicy.allowAll()).resource("default/key/app", SECRET).start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            String nonce = c.auth("sample").json().get("nonce").asText();
            KbsTestClient.Reply t = c.post("kbs/v0/attest", Flows.sampleAttestation(nonce, teeKey));
            assertThat(t.status()).isEqualTo(401);
            assertThat(t.errorType()).endsWith("/errors/AttestationError");
            assertThat(t.json().get("detail").asText()).isEqualTo("Attestation error: RCAR handshake Attest failed");
            // No token: the session cannot read resources.
            KbsTestClient.Reply r = c.get(PATH, null);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.errorType()).endsWith("/errors/TokenNotFound");
            assertThat(events).contains(new KbsEvent.AttestationRefused(
                    ((KbsEvent.AuthIssued) events.getFirst()).session(), "sample", Reason.POLICY_VIOLATION));
        }
    }

    @Test
    void trusteeDefaultPolicyDeniesSampleEvidence() {
        try (EmbeddedKbs kbs = EmbeddedKbs.builder().insecureHttp(true).allowSample(true)
                .resource("default/key/app", SECRET).start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            String nonce = c.auth("sample").json().get("nonce").asText();
            assertThat(c.post("kbs/v0/attest", Flows.sampleAttestation(nonce, teeKey)).status()).isEqualTo(200);
            KbsTestClient.Reply r = c.get(PATH, null);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.errorType()).isEqualTo("https://github.com/confidential-containers/kbs/errors/PolicyDeny");
            assertThat(r.json().get("detail").asText()).isEqualTo("Access denied by policy");
        }
    }

    @Test
    void plainHttpOnlyOnLoopback() throws Exception {
        java.net.InetAddress any = java.net.InetAddress.getByName("0.0.0.0");
        assertThatThrownBy(() -> EmbeddedKbs.builder().bindAddress(any).insecureHttp(true).start())
                .isInstanceOf(dev.coco4j.core.ConfigurationException.class);
    }

    @Test
    void wrongNonceIsRefused() {
        List<KbsEvent> events = new CopyOnWriteArrayList<>();
        try (EmbeddedKbs kbs = snpKbs().listener(events::add).start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            c.auth("snp");
            String otherNonce = java.util.Base64.getEncoder().encodeToString(new byte[32]);
            KbsTestClient.Reply t = c.post("kbs/v0/attest", Flows.snpAttestation(sim, otherNonce, teeKey));
            assertThat(t.status()).isEqualTo(401);
            assertThat(t.errorType()).endsWith("/errors/AttestationError");
            assertThat(events).anyMatch(e -> e instanceof KbsEvent.AttestationRefused a
                    && a.reason() == Reason.NONCE_MISMATCH);
            assertThat(c.get(PATH, null).status()).isEqualTo(401);
        }
    }

    @Test
    void evidenceNotBindingTheRuntimeDataIsRefused() throws Exception {
        List<KbsEvent> events = new CopyOnWriteArrayList<>();
        try (EmbeddedKbs kbs = snpKbs().listener(events::add).start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            String nonce = c.auth("snp").json().get("nonce").asText();
            // Evidence bound to one key, runtime data naming another: a key swap must not pass.
            ECKey swapped = new ECKeyGenerator(Curve.P_256).generate();
            String bound = Flows.snpAttestation(sim, nonce, teeKey);
            JsonNode body = KbsTestClient.JSON.readTree(bound);
            ((com.fasterxml.jackson.databind.node.ObjectNode) body.get("runtime-data"))
                    .set("tee-pubkey", KbsTestClient.teePubkey(swapped));
            KbsTestClient.Reply t = c.post("kbs/v0/attest", body.toString());
            assertThat(t.status()).isEqualTo(401);
            assertThat(events).anyMatch(e -> e instanceof KbsEvent.AttestationRefused a
                    && a.reason() == Reason.REPORT_DATA_MISMATCH);
        }
    }

    @Test
    void wrongNonceInChallengeFaultMakesAttestationFail() {
        try (EmbeddedKbs kbs = snpKbs().start()) {
            kbs.faults().wrongNonceInChallenge(1);
            KbsTestClient c = new KbsTestClient(kbs);
            String nonce = c.auth("snp").json().get("nonce").asText();
            assertThat(c.post("kbs/v0/attest", Flows.snpAttestation(sim, nonce, teeKey)).status()).isEqualTo(401);
            // The fault is consumed: the next handshake works.
            attestSnp(new KbsTestClient(kbs));
        }
    }

    @Test
    void expiredSessionIsRefused() {
        MutableClock clock = new MutableClock(Instant.now());
        try (EmbeddedKbs kbs = snpKbs().clock(clock).sessionTimeout(Duration.ofMinutes(1)).start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            String nonce = c.auth("snp").json().get("nonce").asText();
            clock.advance(Duration.ofMinutes(2));
            KbsTestClient.Reply t = c.post("kbs/v0/attest", Flows.snpAttestation(sim, nonce, teeKey));
            assertThat(t.status()).isEqualTo(401);
            assertThat(t.errorType()).endsWith("/errors/AttestationError");
        }
    }

    @Test
    void attestWithoutSessionIsRefused() {
        try (EmbeddedKbs kbs = snpKbs().start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            String nonce = java.util.Base64.getEncoder().encodeToString(new byte[32]);
            assertThat(c.post("kbs/v0/attest", Flows.snpAttestation(sim, nonce, teeKey)).status()).isEqualTo(401);
        }
    }

    @Test
    void policyDenySendsNoBytes() {
        List<KbsEvent> events = new CopyOnWriteArrayList<>();
        try (EmbeddedKbs kbs = snpKbs().resourcePolicy(ResourcePolicy.denyAll()).listener(events::add).start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            attestSnp(c);
            KbsTestClient.Reply r = c.get(PATH, null);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.errorType()).endsWith("/errors/PolicyDeny");
            assertThat(r.json().has("ciphertext")).isFalse();
            assertThat(events).anyMatch(e -> e instanceof KbsEvent.ResourceDenied d
                    && d.reason() == Reason.KEY_RELEASE_DENIED);
            // A policy over claims and path; a throwing policy denies too.
            kbs.resourcePolicy((claims, path) -> path.tag().equals("app"));
            assertThat(c.get(PATH, null).status()).isEqualTo(200);
            kbs.resourcePolicy((claims, path) -> {
                throw new IllegalStateException("boom");
            });
            assertThat(c.get(PATH, null).errorType()).endsWith("/errors/PolicyDeny");
        }
    }

    @Test
    void missingResourceIsTrusteesPluginInternalError() {
        try (EmbeddedKbs kbs = snpKbs().start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            attestSnp(c);
            KbsTestClient.Reply r = c.get("kbs/v0/resource/default/key/missing", null);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.errorType()).endsWith("/errors/PluginInternalError");
            assertThat(r.json().get("detail").asText()).isEqualTo("Plugin internal error");
        }
    }

    @Test
    void invalidPathsAndUnknownPluginsAre404() {
        try (EmbeddedKbs kbs = snpKbs().start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            KbsTestClient.Reply bad = c.get("kbs/v0/resource/default/key", null);
            assertThat(bad.status()).isEqualTo(404);
            assertThat(bad.errorType()).endsWith("/errors/InvalidRequestPath");
            assertThat(c.get("kbs/v0/resource/default/..key/x", null).status()).isEqualTo(404);
            KbsTestClient.Reply plugin = c.get("kbs/v0/foo/bar", null);
            assertThat(plugin.status()).isEqualTo(404);
            assertThat(plugin.errorType()).endsWith("/errors/PluginNotFound");
            assertThat(plugin.json().get("detail").asText()).isEqualTo("Plugin foo not found");
        }
    }

    @Test
    void tokenReuse() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        try (EmbeddedKbs kbs = snpKbs().clock(clock).tokenLifetime(Duration.ofMinutes(5)).start();
             EmbeddedKbs otherKbs = snpKbs().start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            String token = attestSnp(c);
            // A second /attest on an attested session returns the stored token, without re-verifying.
            KbsTestClient.Reply again = c.post("kbs/v0/attest", "{}");
            assertThat(again.json().get("token").asText()).isEqualTo(token);
            // The token works as a bearer on a fresh connection while valid ...
            assertThat(new KbsTestClient(kbs).get(PATH, token).status()).isEqualTo(200);
            // ... but not at another KBS, which did not sign it ...
            KbsTestClient.Reply foreign = new KbsTestClient(otherKbs).get(PATH, token);
            assertThat(foreign.status()).isEqualTo(401);
            assertThat(foreign.errorType()).endsWith("/errors/TokenVerifierError");
            // ... nor tampered with ...
            String[] parts = token.split("\\.");
            String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
            assertThat(new KbsTestClient(kbs).get(PATH, tampered).errorType()).endsWith("/errors/TokenVerifierError");
            // ... nor after it expired.
            clock.advance(Duration.ofMinutes(6));
            KbsTestClient.Reply expired = new KbsTestClient(kbs).get(PATH, token);
            assertThat(expired.status()).isEqualTo(401);
            assertThat(expired.errorType()).endsWith("/errors/TokenVerifierError");
        }
    }

    @Test
    void simulatorEvidenceIsRefusedUnlessItsRootsAreTrusted() {
        List<KbsEvent> events = new CopyOnWriteArrayList<>();
        try (EmbeddedKbs kbs = EmbeddedKbs.builder().listener(events::add).resource("default/key/app", SECRET)
                .start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            String nonce = c.auth("snp").json().get("nonce").asText();
            KbsTestClient.Reply t = c.post("kbs/v0/attest", Flows.snpAttestation(sim, nonce, teeKey));
            assertThat(t.status()).isEqualTo(401);
            assertThat(t.body()).doesNotContain("token");
            assertThat(events).anyMatch(e -> e instanceof KbsEvent.AttestationRefused a
                    && a.reason() == Reason.CHAIN_INVALID);
            assertThat(c.get(PATH, null).errorType()).endsWith("/errors/TokenNotFound");
        }
    }

    @Test
    void protocolVersionMismatchIsTrusteesError() throws Exception {
        String stale = Files.readString(Path.of("src/test/resources/vectors/kbs/trustee/evidence/"
                + "cca-kbs-request-v0.2.0.json"));
        try (EmbeddedKbs kbs = snpKbs().start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            KbsTestClient.Reply r = c.post("kbs/v0/auth", stale);
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.errorType()).isEqualTo("https://github.com/confidential-containers/kbs/errors/AttestationError");
            assertThat(r.json().get("detail").asText()).isEqualTo("Attestation error: RCAR handshake Auth failed: "
                    + "KBS Client Protocol Version Mismatch: expect =0.4.0 while the request is 0.2.0");
            assertThat(r.cookie()).isEmpty();
        }
    }

    @Test
    void errorBodiesMatchTheVectors() throws Exception {
        JsonNode vectors = KbsTestClient.JSON.readTree(
                Path.of("src/test/resources/vectors/kbs/derived/error-bodies.json").toFile());
        try (EmbeddedKbs kbs = snpKbs().resourcePolicy(ResourcePolicy.denyAll()).start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            KbsTestClient.Reply version = c.post("kbs/v0/auth",
                    "{\"version\":\"0.1.1\",\"tee\":\"snp\",\"extra-params\":\"\"}");
            KbsTestClient.Reply noToken = c.get(PATH, null);
            attestSnp(c);
            KbsTestClient.Reply deny = c.get(PATH, null);
            KbsTestClient.Reply plugin = c.get("kbs/v0/foo/x", null);
            List<KbsTestClient.Reply> replies = List.of(version, noToken, deny, plugin);
            for (KbsTestClient.Reply r : replies) {
                boolean found = false;
                for (JsonNode ex : vectors.get("examples")) {
                    if (ex.get("status").asInt() == r.status() && ex.get("body").equals(r.json())) {
                        found = true;
                    }
                }
                assertThat(found).as("vector for " + r.body()).isTrue();
            }
        }
    }

    @Test
    void adminEndpointsNeedTheAdminToken() {
        try (EmbeddedKbs kbs = snpKbs().start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            java.net.http.HttpRequest.Builder put = java.net.http.HttpRequest.newBuilder(
                            kbs.baseUri().resolve("kbs/v0/resource/default/key/new"))
                    .header("Content-Type", "application/octet-stream")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(SECRET));
            KbsTestClient.Reply refused = c.send(put.copy().header("Authorization", "Bearer wrong").build());
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.errorType()).endsWith("/errors/AdminAuthInitialization");
            assertThat(c.send(put.header("Authorization", "Bearer " + kbs.adminToken()).build()).status())
                    .isEqualTo(200);
            attestSnp(c);
            assertThat(c.get("kbs/v0/resource/default/key/new", null).status()).isEqualTo(200);
            KbsTestClient.Reply del = c.send(java.net.http.HttpRequest.newBuilder(
                            kbs.baseUri().resolve("kbs/v0/resource/default/key/new")).DELETE()
                    .header("Authorization", "Bearer " + kbs.adminToken()).build());
            assertThat(del.status()).isEqualTo(200);
            assertThat(c.get("kbs/v0/resource/default/key/new", null).errorType())
                    .endsWith("/errors/PluginInternalError");
        }
    }

    @Test
    void faults() throws Exception {
        try (EmbeddedKbs kbs = snpKbs().start()) {
            KbsTestClient c = new KbsTestClient(kbs);
            kbs.faults().serviceUnavailable(2);
            assertThat(c.auth("snp").status()).isEqualTo(503);
            assertThat(c.auth("snp").status()).isEqualTo(503);
            attestSnp(c);

            kbs.faults().corruptJweTag(1);
            KbsTestClient.Reply corrupt = c.get(PATH, null);
            assertThat(corrupt.status()).isEqualTo(200);
            assertThatThrownBy(() -> KbsTestClient.decrypt(corrupt.body(), teeKey)).isNotNull();

            kbs.faults().encryptToOtherKey(1);
            KbsTestClient.Reply other = c.get(PATH, null);
            assertThatThrownBy(() -> KbsTestClient.decrypt(other.body(), teeKey)).isNotNull();

            kbs.faults().malformedJson(1);
            KbsTestClient.Reply malformed = c.get(PATH, null);
            assertThatThrownBy(() -> KbsTestClient.JSON.readTree(malformed.body())).isNotNull();

            kbs.faults().delayResponses(Duration.ofMillis(300));
            long t0 = System.nanoTime();
            assertThat(KbsTestClient.decrypt(c.get(PATH, null).body(), teeKey)).isEqualTo(SECRET);
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            kbs.faults().reset();
            assertThat(kbs.faults().toString()).contains("unavailable=0");
        }
    }

    /** A clock tests can move forward. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant start) {
            this.now = start;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
