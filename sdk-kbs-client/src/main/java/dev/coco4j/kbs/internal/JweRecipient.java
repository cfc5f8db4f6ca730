package dev.coco4j.kbs.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWECryptoParts;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.impl.AAD;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import dev.coco4j.core.KeyReleaseException;
import dev.coco4j.core.Reason;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECNamedDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.math.ec.ECConstantTimeMultiplier;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * A {@code tee-pubkey} parsed once, to which a KBS seals resources as flattened JWE JSON ({@code enc A256GCM}; key
 * management by the JWK's {@code alg}: {@code ECDH-ES+A256KW} on P-256/P-521, {@code RSA-OAEP-256}, {@code RSA1_5}).
 * Thread-safe; meant to be kept for the life of a session or token.
 *
 * <p>Every {@link #seal(byte[])} uses a fresh content key, IV and — for ECDH-ES — a fresh ephemeral key pair, exactly
 * as Trustee does. What is reused is only public: the recipient's point. From the second seal to the same EC key on,
 * the agreement Z = x(e·Q) multiplies the session's fixed TEE point Q through a comb table computed once for Q
 * ({@link FixedPointCombMultiplier}, the same regular, table-lookup algorithm Bouncy Castle uses for e·G), which costs
 * about a third of a generic scalar multiplication; the first seal uses the constant-time generic multiplier, so a
 * session that fetches one resource pays nothing for the table. The ephemeral key pair comes from Bouncy Castle's
 * lightweight generator on the named curve (its comb over G is precomputed once per process). The result is the same
 * Z that an ECDH key agreement gives (the x-coordinate, field-length big-endian), handed to nimbus-jose-jwt for the
 * key derivation, key wrap and content encryption.
 */
public final class JweRecipient {
    /** Seals after which the recipient's comb table is worth computing (its cost is about one multiplication). */
    static final int PRECOMPUTE_AFTER = 1;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ECNamedDomainParameters P_256 = domain(SECObjectIdentifiers.secp256r1);
    private static final ECNamedDomainParameters P_521 = domain(SECObjectIdentifiers.secp521r1);

    private final JWK jwk;
    private final JWEAlgorithm algorithm;
    private final JWEEncrypter encrypter;

    private JweRecipient(JWK jwk, JWEAlgorithm algorithm, JWEEncrypter encrypter) {
        this.jwk = jwk;
        this.algorithm = algorithm;
        this.encrypter = encrypter;
    }

    /**
     * Parses a {@code tee-pubkey} JWK tree.
     *
     * @param teePubkey the JWK as JSON
     * @return the recipient
     * @throws KeyReleaseException {@link Reason#MALFORMED_EVIDENCE} if it is not a valid public JWK or names an
     *     algorithm Trustee does not serve
     */
    public static JweRecipient parse(JsonNode teePubkey) {
        return of(JoseCrypto.parsePublicKey(teePubkey));
    }

    /**
     * A recipient for a parsed public JWK.
     *
     * @param jwk the key
     * @return the recipient
     * @throws KeyReleaseException {@link Reason#MALFORMED_EVIDENCE} if the key is private or names an algorithm Trustee
     *     does not serve
     */
    public static JweRecipient of(JWK jwk) {
        if (jwk.isPrivate()) {
            throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, "tee-pubkey must be a public key");
        }
        String alg = jwk.getAlgorithm() == null ? "" : jwk.getAlgorithm().getName();
        try {
            if (jwk instanceof ECKey ec && JWEAlgorithm.ECDH_ES_A256KW.getName().equals(alg)) {
                ECNamedDomainParameters domain = Curve.P_256.equals(ec.getCurve()) ? P_256
                        : Curve.P_521.equals(ec.getCurve()) ? P_521 : null;
                if (domain != null) {
                    return new JweRecipient(jwk, JWEAlgorithm.ECDH_ES_A256KW, new EphemeralEcdhEncrypter(ec, domain));
                }
            } else if (jwk instanceof RSAKey rsa && (JWEAlgorithm.RSA_OAEP_256.getName().equals(alg)
                    || "RSA1_5".equals(alg))) {
                return new JweRecipient(jwk, JWEAlgorithm.parse(alg), new RSAEncrypter(rsa));
            }
        } catch (JOSEException | IllegalArgumentException e) {
            throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, "tee-pubkey cannot be encrypted to (kty " + jwk.getKeyType() + ")");
        }
        throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, "unsupported tee-pubkey (kty " + jwk.getKeyType() + ", alg " + alg + ")");
    }

    /**
     * The public JWK.
     *
     * @return the public JWK this recipient seals to (immutable)
     */
    public JWK jwk() {
        return jwk;
    }

    /**
     * Encrypts {@code plaintext} to this key.
     *
     * @param plaintext the resource bytes
     * @return the flattened JWE JSON object (no {@code aad} member)
     * @throws KeyReleaseException {@link Reason#MALFORMED_EVIDENCE} if encryption fails
     */
    public ObjectNode seal(byte[] plaintext) {
        try {
            JWEObject jwe = new JWEObject(new JWEHeader(algorithm, EncryptionMethod.A256GCM), new Payload(plaintext));
            jwe.encrypt(encrypter);
            ObjectNode o = Json.object();
            o.put("protected", jwe.getHeader().toBase64URL().toString());
            o.put("encrypted_key", jwe.getEncryptedKey().toString());
            o.put("iv", jwe.getIV().toString());
            o.put("ciphertext", jwe.getCipherText().toString());
            o.put("tag", jwe.getAuthTag().toString());
            return o;
        } catch (JOSEException e) {
            throw new KeyReleaseException(Reason.MALFORMED_EVIDENCE, "cannot encrypt to tee-pubkey: " + e.getMessage());
        }
    }

    /** The encrypter (tests reach the ECDH agreement through it). */
    JWEEncrypter encrypter() {
        return encrypter;
    }

    @Override
    public String toString() {
        return "JweRecipient[" + algorithm + "]";
    }

    private static ECNamedDomainParameters domain(org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
        return new ECNamedDomainParameters(oid, CustomNamedCurves.getByOID(oid));
    }

    /**
     * nimbus's ECDH-ES encrypter with the agreement done here: a fresh ephemeral key pair per call on the named curve,
     * its public part as {@code epk} in the protected header, Z = x(e·Q), then nimbus's {@code encryptWithZ}.
     */
    static final class EphemeralEcdhEncrypter extends ECDHEncrypter {
        private final Curve curve;
        private final ECNamedDomainParameters domain;
        private final ECPoint recipient;
        private final AtomicInteger seals = new AtomicInteger();

        EphemeralEcdhEncrypter(ECKey key, ECNamedDomainParameters domain) throws JOSEException {
            super(key);
            this.curve = key.getCurve();
            this.domain = domain;
            // validatePoint refuses coordinates that are out of range or not on the curve
            this.recipient = domain.getCurve().validatePoint(key.getX().decodeToBigInteger(),
                    key.getY().decodeToBigInteger());
        }

        @Override
        public JWECryptoParts encrypt(JWEHeader header, byte[] clearText) throws JOSEException {
            return encrypt(header, clearText, AAD.compute(header));
        }

        @Override
        public JWECryptoParts encrypt(JWEHeader header, byte[] clearText, byte[] aad) throws JOSEException {
            ECKeyPairGenerator g = new ECKeyPairGenerator();
            g.init(new ECKeyGenerationParameters(domain, RANDOM));
            AsymmetricCipherKeyPair pair = g.generateKeyPair();
            BigInteger e = ((ECPrivateKeyParameters) pair.getPrivate()).getD();
            ECPoint epk = ((ECPublicKeyParameters) pair.getPublic()).getQ().normalize();
            byte[] z = agree(e);
            try {
                JWEHeader updated = new JWEHeader.Builder(header).ephemeralPublicKey(new ECKey.Builder(curve,
                        Base64URL.encode(epk.getAffineXCoord().getEncoded()),
                        Base64URL.encode(epk.getAffineYCoord().getEncoded())).build()).build();
                byte[] updatedAad = Arrays.equals(AAD.compute(header), aad) ? AAD.compute(updated) : aad;
                return encryptWithZ(updated, new SecretKeySpec(z, "AES"), clearText, updatedAad);
            } finally {
                Arrays.fill(z, (byte) 0);
            }
        }

        /** Z = the x-coordinate of e·Q, field-length big-endian (what an ECDH key agreement returns). */
        byte[] agree(BigInteger e) throws JOSEException {
            // the comb multiplier computes Q's table on first use and keeps it on the point (thread-safe in BC)
            ECMultiplier m = seals.getAndIncrement() >= PRECOMPUTE_AFTER ? new FixedPointCombMultiplier()
                    : new ECConstantTimeMultiplier();
            ECPoint s = m.multiply(recipient, e).normalize();
            if (s.isInfinity()) {
                throw new JOSEException("ECDH agreement is the point at infinity");
            }
            return s.getAffineXCoord().getEncoded();
        }
    }
}
