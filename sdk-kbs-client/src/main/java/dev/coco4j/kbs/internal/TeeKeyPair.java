package dev.coco4j.kbs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.TeeKeyAlgorithm;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.text.ParseException;
import java.util.Iterator;
import java.util.Set;
import javax.security.auth.DestroyFailedException;
import javax.security.auth.Destroyable;

/**
 * An ephemeral TEE key pair and its public JWK, serialised once: {@link #publicJwk()} is the tree sent in
 * {@code runtime-data} and hashed into the report data, so both are the same bytes. Decrypts KBS resource responses
 * (flattened JWE). The private key lives only as a JCA key; {@link #destroy()} destroys it where the provider can
 * and drops the reference. Never printed.
 */
public final class TeeKeyPair implements Destroyable {
    private static final System.Logger LOG = System.getLogger(TeeKeyPair.class.getName());
    private static final Set<String> JWE_MEMBERS = Set.of("protected", "encrypted_key", "iv", "ciphertext", "tag");

    private final TeeKeyAlgorithm algorithm;
    private final String publicJwkJson;
    private final JsonNode publicJwk;
    private volatile PrivateKey privateKey;
    /** The ECDH-ES decrypter for {@link #privateKey}, made on first use (nimbus decrypters are thread-safe). */
    private volatile ECDHDecrypter ecdh;

    private TeeKeyPair(TeeKeyAlgorithm algorithm, PublicKey pub, PrivateKey priv) {
        this.algorithm = algorithm;
        JWK jwk = switch (algorithm) {
            case EC_P256, EC_P521 -> new ECKey.Builder(algorithm == TeeKeyAlgorithm.EC_P256 ? Curve.P_256 : Curve.P_521,
                    (ECPublicKey) pub).algorithm(JWEAlgorithm.ECDH_ES_A256KW).build();
            case RSA_OAEP_256 -> new RSAKey.Builder((RSAPublicKey) pub).algorithm(JWEAlgorithm.RSA_OAEP_256).build();
        };
        this.publicJwkJson = jwk.toJSONString();
        this.publicJwk = Json.parse(publicJwkJson, "tee-pubkey");
        this.privateKey = priv;
    }

    /**
     * Generates a fresh key pair.
     *
     * @param algorithm the algorithm; not null
     * @return a new live key pair (EC P-256, EC P-521, or RSA 3072 with exponent 65537)
     * @throws IllegalStateException if the JDK cannot generate the key
     */
    public static TeeKeyPair generate(TeeKeyAlgorithm algorithm) {
        try {
            KeyPairGenerator g;
            switch (algorithm) {
                case EC_P256, EC_P521 -> {
                    g = KeyPairGenerator.getInstance("EC");
                    g.initialize(new ECGenParameterSpec(algorithm == TeeKeyAlgorithm.EC_P256 ? "secp256r1"
                            : "secp521r1"));
                }
                case RSA_OAEP_256 -> {
                    g = KeyPairGenerator.getInstance("RSA");
                    g.initialize(new RSAKeyGenParameterSpec(3072, RSAKeyGenParameterSpec.F4));
                }
                default -> throw new IllegalStateException();
            }
            KeyPair kp = g.generateKeyPair();
            return new TeeKeyPair(algorithm, kp.getPublic(), kp.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK cannot generate a " + algorithm + " key", e);
        }
    }

    /**
     * Wraps an existing key pair (tests, fixtures, a passport-mode key obtained elsewhere).
     *
     * @param algorithm the algorithm the key pair is for; not null, must match the key type (not checked)
     * @param keyPair the key pair; not null, kept by reference (the private key is destroyed with this object)
     * @return a new live key pair
     */
    public static TeeKeyPair of(TeeKeyAlgorithm algorithm, KeyPair keyPair) {
        return new TeeKeyPair(algorithm, keyPair.getPublic(), keyPair.getPrivate());
    }

    /**
     * The algorithm.
     *
     * @return the algorithm, never null
     */
    public TeeKeyAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * The public JWK tree (a copy of the one parsed from {@link #publicJwkJson()}).
     *
     * @return a fresh copy of the public JWK tree on every call
     */
    public JsonNode publicJwk() {
        return publicJwk.deepCopy();
    }

    /**
     * The public JWK text, serialised once.
     *
     * @return the public JWK JSON text, the same on every call
     */
    public String publicJwkJson() {
        return publicJwkJson;
    }

    /**
     * Decrypts a flattened-JSON JWE resource response. Accepts only {@code enc A256GCM} with {@code ECDH-ES+A256KW}
     * for EC keys, {@code RSA-OAEP-256} or (with a warning) {@code RSA1_5} for RSA keys; refuses {@code aad},
     * unprotected headers and unknown members. The GCM AAD is the received {@code protected} text.
     *
     * @param response the flattened JWE JSON object from the KBS; null is refused as malformed
     * @return a new array with the decrypted resource bytes; the caller owns and should zero it
     * @throws IllegalStateException if the key pair is destroyed
     * @throws CiphertextException with {@link Reason#CIPHERTEXT_INVALID} if the response is malformed, uses another
     *     algorithm, or does not decrypt (wrong key, altered ciphertext or tag)
     */
    public byte[] decrypt(JsonNode response) {
        PrivateKey key = privateKey;
        if (key == null) {
            throw new IllegalStateException("TEE key destroyed");
        }
        if (response == null || !response.isObject()) {
            throw invalid("resource response is not a JSON object", null);
        }
        for (Iterator<String> it = response.fieldNames(); it.hasNext(); ) {
            String n = it.next();
            if (!JWE_MEMBERS.contains(n)) {
                throw invalid("resource response has unexpected member '" + n + "'", null);
            }
        }
        Base64URL[] parts = new Base64URL[5];
        String[] names = {"protected", "encrypted_key", "iv", "ciphertext", "tag"};
        for (int i = 0; i < 5; i++) {
            JsonNode v = response.get(names[i]);
            if (v == null || !v.isTextual()) {
                throw invalid("resource response lacks '" + names[i] + "'", null);
            }
            parts[i] = new Base64URL(v.textValue());
        }
        try {
            // The parsed header keeps the received base64url text, which nimbus uses as the GCM AAD.
            JWEObject jwe = new JWEObject(parts[0], parts[1], parts[2], parts[3], parts[4]);
            JWEHeader h = jwe.getHeader();
            if (!EncryptionMethod.A256GCM.equals(h.getEncryptionMethod())) {
                throw invalid("resource response uses enc " + h.getEncryptionMethod() + ", not A256GCM", null);
            }
            JWEDecrypter decrypter = decrypterFor(h.getAlgorithm(), key);
            jwe.decrypt(decrypter);
            return jwe.getPayload().toBytes();
        } catch (ParseException e) {
            throw invalid("resource response header is malformed", e);
        } catch (JOSEException e) {
            throw invalid("resource response does not decrypt with this session's TEE key", e);
        }
    }

    private JWEDecrypter decrypterFor(JWEAlgorithm alg, PrivateKey key) throws JOSEException {
        switch (algorithm) {
            case EC_P256, EC_P521 -> {
                if (!JWEAlgorithm.ECDH_ES_A256KW.equals(alg)) {
                    throw invalid("resource response uses alg " + alg + " for an EC TEE key", null);
                }
                ECDHDecrypter d = ecdh;
                if (d == null) {
                    d = JoseCrypto.decrypter((ECPrivateKey) key);
                    ecdh = d;
                }
                return d;
            }
            case RSA_OAEP_256 -> {
                if (JWEAlgorithm.RSA_OAEP_256.equals(alg)) {
                    return new RSADecrypter(key);
                }
                if ("RSA1_5".equals(alg.getName())) {
                    LOG.log(System.Logger.Level.WARNING,
                            "KBS resource response uses deprecated RSA1_5 key transport; accepted");
                    return new RSADecrypter(key);
                }
                throw invalid("resource response uses alg " + alg + " for an RSA TEE key", null);
            }
            default -> throw new IllegalStateException();
        }
    }

    private static CiphertextException invalid(String detail, Throwable cause) {
        return new CiphertextException(Reason.CIPHERTEXT_INVALID, detail, cause);
    }

    @Override
    public void destroy() {
        PrivateKey k = privateKey;
        privateKey = null;
        ecdh = null;
        if (k != null && !k.isDestroyed()) {
            try {
                k.destroy();
            } catch (DestroyFailedException e) {
                // The JDK's software keys do not implement destroy(); the reference is dropped above.
            }
        }
    }

    @Override
    public boolean isDestroyed() {
        return privateKey == null;
    }

    @Override
    public String toString() {
        return "TeeKeyPair[" + algorithm + ", private key not shown" + (isDestroyed() ? ", destroyed" : "") + "]";
    }
}
