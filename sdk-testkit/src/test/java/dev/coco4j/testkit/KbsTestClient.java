package dev.coco4j.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWEObjectJSON;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Drives the Trustee protocol by hand over the JDK HttpClient, trusting only the KBS's generated CA. */
final class KbsTestClient {
    static final ObjectMapper JSON = new ObjectMapper();

    record Reply(int status, String body, Optional<String> cookie) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }

        String errorType() {
            return json().path("type").asText();
        }
    }

    private final HttpClient http;
    private final URI base;
    String cookie;

    KbsTestClient(EmbeddedKbs kbs) {
        this.base = kbs.baseUri();
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (kbs.isHttps()) {
            try {
                KeyStore ts = KeyStore.getInstance("PKCS12");
                ts.load(null, null);
                ts.setCertificateEntry("kbs-ca", kbs.caCertificate());
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(ts);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                b.sslContext(ctx);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }
        this.http = b.build();
    }

    Reply post(String path, String body) {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (cookie != null) {
            r.header("Cookie", "kbs-session-id=" + cookie);
        }
        return send(r.build());
    }

    Reply auth(String tee) {
        return post("kbs/v0/auth",
                "{\"version\":\"0.4.0\",\"tee\":\"" + tee + "\",\"extra-params\":{\"supported-hash-algorithms\":[\"sha384\"]}}");
    }

    Reply get(String path, String bearer) {
        HttpRequest.Builder r = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (cookie != null) {
            r.header("Cookie", "kbs-session-id=" + cookie);
        }
        if (bearer != null) {
            r.header("Authorization", "Bearer " + bearer);
        }
        return send(r.build());
    }

    Reply send(HttpRequest req) {
        try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            Optional<String> c = resp.headers().allValues("set-cookie").stream()
                    .filter(v -> v.startsWith("kbs-session-id="))
                    .map(v -> v.substring("kbs-session-id=".length(), v.indexOf(';')))
                    .findFirst();
            c.ifPresent(v -> cookie = v);
            return new Reply(resp.statusCode(), resp.body(), c);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The public half of a TEE key as the tee-pubkey JWK, with Trustee's alg. */
    static ObjectNode teePubkey(JWK key) {
        try {
            ObjectNode n = (ObjectNode) JSON.readTree(key.toPublicJWK().toJSONString());
            n.put("alg", key instanceof ECKey ? "ECDH-ES+A256KW" : "RSA-OAEP-256");
            return n;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static byte[] decrypt(String jwe, JWK key) throws Exception {
        JWEObjectJSON o = JWEObjectJSON.parse(jwe);
        o.decrypt(key instanceof ECKey ec ? new ECDHDecrypter(ec) : new RSADecrypter((RSAKey) key));
        return o.getPayload().toBytes();
    }
}
