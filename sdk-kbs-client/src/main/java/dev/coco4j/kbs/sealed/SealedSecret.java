package dev.coco4j.kbs.sealed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.util.Base64URL;
import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import dev.coco4j.kbs.internal.Json;
import java.security.interfaces.ECPrivateKey;
import java.text.ParseException;
import java.util.Objects;
import java.util.Optional;

/**
 * A CoCo sealed secret: {@code sealed.<b64url(JWS header)>.<b64url(payload JSON)>.<b64url(signature)>}, an ES256
 * JWS (header {@code {"alg":"ES256","kid":...}}, raw R‖S signature over {@code header.payload}) with the
 * {@code sealed.} prefix. The payload ({@code version "0.1.0"}) is either {@code vault} (names a secret held
 * elsewhere, e.g. {@code {"type":"vault","provider":"kbs","name":"kbs:///repo/type/tag"}}) or {@code envelope}.
 * A sealed secret holds no secret itself; it is safe to print. Immutable.
 *
 * @param kid the key id from the header, or empty for an unverified legacy secret
 * @param payload the payload JSON
 * @param verified true if the ES256 signature was verified
 */
public record SealedSecret(Optional<String> kid, JsonNode payload, boolean verified) {
    /** The prefix of every sealed secret. */
    public static final String PREFIX = "sealed.";
    /** The only payload version. */
    public static final String VERSION = "0.1.0";

    /** Validates and copies. */
    public SealedSecret {
        Objects.requireNonNull(kid, "kid");
        payload = Objects.requireNonNull(payload, "payload").deepCopy();
    }

    /** {@return a copy of the payload JSON} */
    @Override
    public JsonNode payload() {
        return payload.deepCopy();
    }

    /**
     * The payload {@code type} ({@code vault} or {@code envelope}).
     *
     * @return the payload's {@code type} text, or an empty string if it has none (not possible after parsing)
     */
    public String type() {
        return payload.path("type").asText("");
    }

    /**
     * Parses and verifies a signed sealed secret: ES256 only, with the key {@code keys} resolves for its kid.
     *
     * @param sealed the sealed secret text {@code sealed.<header>.<payload>.<signature>}; not null, surrounding white
     *     space ignored
     * @param keys resolves the header's {@code kid} to a P-256 public key; not null
     * @return the verified secret, with its kid and {@code verified == true}
     * @throws CiphertextException with {@link Reason#CIPHERTEXT_INVALID} if malformed, or
     *     {@link Reason#SIGNATURE_INVALID} if the signature does not verify under the kid's key
     */
    public static SealedSecret verify(String sealed, VerificationKeyResolver keys) {
        JWSObject jws = parseJws(sealed);
        if (!JWSAlgorithm.ES256.equals(jws.getHeader().getAlgorithm())) {
            throw invalid(Reason.SIGNATURE_INVALID, "sealed secret alg is not ES256");
        }
        String kid = jws.getHeader().getKeyID();
        if (kid == null || kid.isEmpty()) {
            throw invalid(Reason.SIGNATURE_INVALID, "sealed secret has no kid");
        }
        try {
            if (!jws.verify(new ECDSAVerifier(keys.resolve(kid)))) {
                throw invalid(Reason.SIGNATURE_INVALID, "sealed secret signature does not verify for kid '" + kid
                        + "'");
            }
        } catch (JOSEException e) {
            throw invalid(Reason.SIGNATURE_INVALID, "sealed secret signature does not verify for kid '" + kid + "'");
        }
        return new SealedSecret(Optional.of(kid), payload(jws.getPayload().toString()), true);
    }

    /**
     * Parses a sealed secret WITHOUT verifying it (CDH's {@code SKIP_SEALED_SECRET_VERIFICATION=true}), accepting the
     * legacy {@code sealed.fakejwsheader.<payload>.fakesignature} form. Insecure: anyone can forge such a secret;
     * use only where the caller has said so explicitly.
     *
     * @param sealed the sealed secret text {@code sealed.<header>.<payload>.<signature>}; not null, surrounding white
     *     space ignored; neither header nor signature is checked
     * @param allowUnsigned must be {@code true}: the caller's explicit consent to skip verification
     * @return the parsed secret, with an empty kid and {@code verified == false}
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code allowUnsigned} is false
     * @throws CiphertextException ({@link Reason#CIPHERTEXT_INVALID}) if it is not four dot-separated parts or the
     *     payload is not a version {@value #VERSION} {@code vault} or {@code envelope} JSON object
     */
    public static SealedSecret parseUnverified(String sealed, boolean allowUnsigned) {
        if (!allowUnsigned) {
            throw new ConfigurationException(Reason.CONFIGURATION,
                    "unverified sealed secrets must be allowed explicitly");
        }
        String[] parts = split(sealed);
        return new SealedSecret(Optional.empty(), payload(new Base64URL(parts[2]).decodeToString()), false);
    }

    /**
     * Creates a signed vault sealed secret naming a KBS resource ({@code coco4j seal}).
     *
     * @param kbsResource the {@code kbs:///repo/type/tag} URI the secret lives at
     * @param signingKey an EC P-256 private key
     * @param kid the key id verifiers resolve ({@code kbs:///...} or a file name)
     * @return the sealed secret text {@code sealed.<header>.<payload>.<signature>}
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if {@code kbsResource} is not
     *     {@code kbs:///repo/type/tag}, the key is not P-256, or signing fails
     */
    public static String sealVault(String kbsResource, ECPrivateKey signingKey, String kid) {
        if (!kbsResource.startsWith("kbs:///") || kbsResource.substring(7).split("/", -1).length != 3) {
            throw new ConfigurationException(Reason.CONFIGURATION, "vault name must be kbs:///repo/type/tag");
        }
        ObjectNode p = Json.object();
        p.put("version", VERSION);
        p.put("type", "vault");
        p.put("name", kbsResource);
        p.put("provider", "kbs");
        p.putObject("provider_settings");
        p.putObject("annotations");
        return seal(p, signingKey, kid);
    }

    /**
     * Signs any payload (ES256, header {@code alg}+{@code kid}) into a sealed secret.
     *
     * @param payload the payload JSON, serialised as is (not checked for version or type); not null
     * @param signingKey an EC P-256 private key; not null
     * @param kid the key id written into the header; not null
     * @return the sealed secret text {@code sealed.<header>.<payload>.<signature>}
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if the key is not P-256 or signing fails
     */
    public static String seal(JsonNode payload, ECPrivateKey signingKey, String kid) {
        Objects.requireNonNull(kid, "kid");
        if (signingKey.getParams().getCurve().getField().getFieldSize() != 256) {
            throw new ConfigurationException(Reason.CONFIGURATION, "sealed secrets are signed with EC P-256 keys");
        }
        try {
            JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(kid).build(),
                    new Payload(Json.write(payload)));
            jws.sign(new ECDSASigner(signingKey));
            return PREFIX + jws.serialize();
        } catch (JOSEException e) {
            throw new ConfigurationException(Reason.CONFIGURATION, "cannot sign the sealed secret", e);
        }
    }

    /**
     * Unseals a verified {@code vault} secret whose provider is {@code kbs}: fetches the named resource through the
     * KBS client (attesting as needed).
     *
     * @param client the KBS client to fetch the named resource with; not null, not closed
     * @return the released secret; the caller should close it after use
     * @throws CiphertextException ({@link Reason#CIPHERTEXT_INVALID}) if the vault name is not a {@code kbs:///} URI
     * @throws dev.coco4j.core.KeyReleaseException if the KBS does not release the resource
     * @throws ConfigurationException for unverified secrets, other types or providers (envelope unsealing is not
     *     done here)
     */
    public KbsSecret unseal(KbsClient client) {
        if (!verified) {
            throw new ConfigurationException(Reason.CONFIGURATION, "refusing to unseal an unverified sealed secret; "
                    + "use unsealUnverified where skipping verification is intended");
        }
        return fetch(client);
    }

    /**
     * Unseals without requiring verification (for secrets parsed with {@link #parseUnverified}). Insecure.
     *
     * @param client the KBS client to fetch the named resource with; not null, not closed
     * @return the released secret; the caller should close it after use
     * @throws ConfigurationException ({@link Reason#CONFIGURATION}) if it is not a {@code vault} secret with provider
     *     {@code kbs}
     * @throws CiphertextException ({@link Reason#CIPHERTEXT_INVALID}) if the vault name is not a {@code kbs:///} URI
     * @throws dev.coco4j.core.KeyReleaseException if the KBS does not release the resource
     */
    public KbsSecret unsealUnverified(KbsClient client) {
        return fetch(client);
    }

    private KbsSecret fetch(KbsClient client) {
        if (!"vault".equals(type()) || !"kbs".equals(payload.path("provider").asText())) {
            throw new ConfigurationException(Reason.CONFIGURATION, "only vault sealed secrets with provider kbs are "
                    + "unsealed here (got type '" + type() + "', provider '" + payload.path("provider").asText() + "')");
        }
        String name = payload.path("name").asText("");
        if (!name.startsWith("kbs:///")) {
            throw invalid(Reason.CIPHERTEXT_INVALID, "vault name is not a kbs:/// URI");
        }
        return client.getResource(name);
    }

    private static JWSObject parseJws(String sealed) {
        String[] parts = split(sealed);
        try {
            return new JWSObject(new Base64URL(parts[1]), new Base64URL(parts[2]), new Base64URL(parts[3]));
        } catch (ParseException e) {
            throw invalid(Reason.CIPHERTEXT_INVALID, "sealed secret header is not a JWS header");
        }
    }

    private static String[] split(String sealed) {
        Objects.requireNonNull(sealed, "sealed");
        String[] parts = sealed.strip().split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("sealed")) {
            throw invalid(Reason.CIPHERTEXT_INVALID, "not a sealed secret (sealed.<header>.<payload>.<signature>)");
        }
        return parts;
    }

    private static JsonNode payload(String json) {
        JsonNode p;
        try {
            p = Json.parse(json, "sealed-secret payload");
        } catch (KeyReleaseException e) {
            throw invalid(Reason.CIPHERTEXT_INVALID, e.getMessage());
        }
        if (!p.isObject() || !VERSION.equals(p.path("version").asText())) {
            throw invalid(Reason.CIPHERTEXT_INVALID, "sealed-secret payload version is not " + VERSION);
        }
        String type = p.path("type").asText("");
        if (!type.equals("vault") && !type.equals("envelope")) {
            throw invalid(Reason.CIPHERTEXT_INVALID, "sealed-secret payload type '" + type + "' is unknown");
        }
        return p;
    }

    private static CiphertextException invalid(Reason r, String detail) {
        return new CiphertextException(r, detail);
    }

}
