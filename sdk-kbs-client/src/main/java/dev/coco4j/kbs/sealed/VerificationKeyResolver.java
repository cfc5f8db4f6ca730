package dev.coco4j.kbs.sealed;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import dev.coco4j.core.CiphertextException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPublicKey;
import java.text.ParseException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Resolves the {@code kid} of a sealed secret to its ES256 (P-256) verification key, as CoCo's CDH does: a
 * {@code kbs:///repo/type/tag} kid is fetched from the KBS as a public JWK; any other kid is a file name in a
 * directory of JWK files.
 */
@FunctionalInterface
public interface VerificationKeyResolver {

    /**
     * The verification key for {@code kid}.
     *
     * @param kid the key id from the sealed secret's header; not null
     * @return the P-256 public key, never null
     * @throws CiphertextException with {@link Reason#SIGNATURE_INVALID} if there is no usable key for it
     */
    ECPublicKey resolve(String kid);

    /**
     * Keys from JWK files named by kid in {@code dir}; kids with path separators or dot-dot are refused.
     *
     * @param dir the directory holding one JWK file per kid; not null, not read until a kid is resolved
     * @return a resolver reading {@code dir/<kid>} on every call (no caching); a missing file, or a kid that is not a
     *     plain file name, is {@link Reason#SIGNATURE_INVALID}, an unreadable file {@link Reason#CONFIGURATION}
     */
    static VerificationKeyResolver directory(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Pattern safe = Pattern.compile("^[A-Za-z0-9_][A-Za-z0-9_.-]*$");
        return kid -> {
            if (!safe.matcher(kid).matches() || kid.contains("..")) {
                throw new CiphertextException(Reason.SIGNATURE_INVALID, "sealed-secret kid is not a safe file name");
            }
            Path f = dir.resolve(kid).normalize();
            if (!f.startsWith(dir.normalize()) || !Files.isRegularFile(f)) {
                throw new CiphertextException(Reason.SIGNATURE_INVALID, "no verification key for kid '" + kid + "'");
            }
            try {
                return publicKey(Files.readString(f, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ConfigurationException(Reason.CONFIGURATION, "cannot read verification key " + f, e);
            }
        };
    }

    /**
     * Keys fetched from a KBS: the kid must be a {@code kbs:///repo/type/tag} URI whose resource is a public JWK.
     *
     * @param client the KBS client to fetch the key resource with; not null, kept by reference and not closed
     * @return a resolver fetching the key on every call (no caching); a kid that is not {@code kbs:///} is
     *     {@link Reason#SIGNATURE_INVALID}, and release failures propagate as the client's exceptions
     */
    static VerificationKeyResolver kbs(KbsClient client) {
        Objects.requireNonNull(client, "client");
        return kid -> {
            if (!kid.startsWith("kbs:///")) {
                throw new CiphertextException(Reason.SIGNATURE_INVALID, "kid '" + kid + "' is not a kbs:/// URI");
            }
            try (KbsSecret s = client.getResource(kid)) {
                return publicKey(new String(s.bytes(), StandardCharsets.UTF_8));
            }
        };
    }

    /**
     * Parses a P-256 JWK (public part used; a private member, if present, is ignored).
     *
     * @param jwkJson the JWK JSON text; not null
     * @return the public key of the JWK
     * @throws CiphertextException with {@link Reason#SIGNATURE_INVALID} if it is not a P-256 EC JWK
     */
    static ECPublicKey publicKey(String jwkJson) {
        try {
            JWK jwk = JWK.parse(jwkJson);
            if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve())) {
                throw new CiphertextException(Reason.SIGNATURE_INVALID, "verification key is not an EC P-256 JWK");
            }
            return ec.toECPublicKey();
        } catch (ParseException | JOSEException e) {
            throw new CiphertextException(Reason.SIGNATURE_INVALID, "verification key is not a valid JWK");
        }
    }
}
