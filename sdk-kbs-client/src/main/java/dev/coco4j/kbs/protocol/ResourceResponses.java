package dev.coco4j.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import dev.coco4j.kbs.internal.Json;
import java.text.ParseException;

/**
 * KBS resource responses: the resource bytes encrypted to the TEE public key as a JWE in flattened JSON serialisation
 * (RFC 7516 §7.2.2), without an {@code aad} member, always {@code enc A256GCM}:
 * <pre>{"protected":"b64url(header)","encrypted_key":"...","iv":"...","ciphertext":"...","tag":"..."}</pre>
 * Key management follows the JWK's {@code alg}: {@code ECDH-ES+A256KW} (P-256, P-521), {@code RSA-OAEP-256}, or the
 * deprecated {@code RSA1_5}. This class is the server side (a mock or embedded KBS); the client decrypts with
 * {@link dev.coco4j.kbs.KbsClient}.
 */
public final class ResourceResponses {
    private ResourceResponses() {
    }

    /**
     * Encrypts {@code plaintext} to the {@code tee-pubkey} JWK.
     *
     * @return the flattened JWE JSON object
     * @throws MalformedMessageException if the JWK is malformed or names an algorithm Trustee does not serve
     */
    public static ObjectNode encrypt(JsonNode teePubkey, byte[] plaintext) {
        JWK jwk;
        try {
            jwk = JWK.parse(Json.write(teePubkey));
        } catch (ParseException e) {
            throw new MalformedMessageException("tee-pubkey is not a valid JWK");
        }
        if (jwk.isPrivate()) {
            throw new MalformedMessageException("tee-pubkey must be a public key");
        }
        String alg = jwk.getAlgorithm() == null ? "" : jwk.getAlgorithm().getName();
        try {
            JWEAlgorithm jweAlg;
            JWEEncrypter encrypter;
            if (jwk instanceof ECKey ec && JWEAlgorithm.ECDH_ES_A256KW.getName().equals(alg)
                    && (Curve.P_256.equals(ec.getCurve()) || Curve.P_521.equals(ec.getCurve()))) {
                jweAlg = JWEAlgorithm.ECDH_ES_A256KW;
                encrypter = new ECDHEncrypter(ec);
            } else if (jwk instanceof RSAKey rsa && (JWEAlgorithm.RSA_OAEP_256.getName().equals(alg)
                    || "RSA1_5".equals(alg))) {
                jweAlg = JWEAlgorithm.parse(alg);
                encrypter = new RSAEncrypter(rsa);
            } else {
                throw new MalformedMessageException("unsupported tee-pubkey (kty " + jwk.getKeyType() + ", alg "
                        + alg + ")");
            }
            JWEObject jwe = new JWEObject(new JWEHeader(jweAlg, EncryptionMethod.A256GCM), new Payload(plaintext));
            jwe.encrypt(encrypter);
            ObjectNode o = Json.object();
            o.put("protected", jwe.getHeader().toBase64URL().toString());
            o.put("encrypted_key", jwe.getEncryptedKey().toString());
            o.put("iv", jwe.getIV().toString());
            o.put("ciphertext", jwe.getCipherText().toString());
            o.put("tag", jwe.getAuthTag().toString());
            return o;
        } catch (JOSEException e) {
            throw new MalformedMessageException("cannot encrypt to tee-pubkey: " + e.getMessage());
        }
    }
}
