package dev.coco4j.azure.tpm;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.RawEcdsaVerifier;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Verifies a {@link TpmQuote} against an attestation key, in this order: the signature over the {@code TPMS_ATTEST}
 * message (refused with {@link Reason#SIGNATURE_INVALID}), its structure ({@link Reason#MALFORMED_EVIDENCE}), the
 * nonce in {@code extraData} ({@link Reason#NONCE_MISMATCH}) and the PCR digest over the reported PCR values
 * ({@link Reason#PCR_DIGEST_MISMATCH}). The PCR digest is computed with the signature's hash algorithm over the
 * values concatenated in selection order, as TPM2_Quote does.
 *
 * <p>Signature forms: for an RSA key, bare signature bytes of the modulus length are RSASSA-PKCS1-v1_5 with SHA-256
 * (the Azure vTPM's form); a marshalled {@code TPMT_SIGNATURE} is verified with the scheme and hash it names
 * (RSASSA, RSAPSS with a salt of the digest length or the maximum, ECDSA). The key type must match the scheme.
 * SHA-1 is refused.
 */
public final class TpmQuoteVerifier {
    private TpmQuoteVerifier() {
    }

    /**
     * Verifies the quote and requires its {@code extraData} to equal {@code expectedNonce} exactly.
     *
     * @param quote          the quote with the PCR values it claims, not {@code null}
     * @param attestationKey the attestation key's public key (RSA or EC), already trusted by the caller (e.g. bound
     *                       by a hardware report); not {@code null}
     * @param expectedNonce  the exact nonce the quote must carry (compared in constant time), not {@code null}
     * @return the verified message and the PCR values by bank and index
     * @throws NullPointerException if an argument is {@code null}
     * @throws AttestationException with the reason of the first failed check
     */
    public static VerifiedTpmQuote verify(TpmQuote quote, PublicKey attestationKey, byte[] expectedNonce) {
        java.util.Objects.requireNonNull(expectedNonce, "expectedNonce");
        return verifyInternal(quote, attestationKey, expectedNonce);
    }

    /**
     * Verifies the signature and PCR digest but not the nonce; the caller takes over freshness (and should say so).
     *
     * @param quote          the quote with the PCR values it claims, not {@code null}
     * @param attestationKey the attestation key's public key (RSA or EC), already trusted by the caller; not
     *                       {@code null}
     * @return the verified message and the PCR values by bank and index; its {@code extraData} is unchecked
     * @throws NullPointerException if an argument is {@code null}
     * @throws AttestationException with the reason of the first failed check
     */
    public static VerifiedTpmQuote verifyIgnoringNonce(TpmQuote quote, PublicKey attestationKey) {
        return verifyInternal(quote, attestationKey, null);
    }

    private static VerifiedTpmQuote verifyInternal(TpmQuote quote, PublicKey ak, byte[] expectedNonce) {
        java.util.Objects.requireNonNull(quote, "quote");
        java.util.Objects.requireNonNull(ak, "attestationKey");
        byte[] message = quote.message();
        int hashAlg = verifySignature(message, quote.signature(), ak);
        TpmsAttest attest = TpmsAttest.parse(message);
        if (expectedNonce != null && !MessageDigest.isEqual(attest.extraData(), expectedNonce)) {
            throw new AttestationException(Reason.NONCE_MISMATCH, "the TPM quote's nonce (extraData, "
                    + attest.extraData().length + " bytes) differs from the expected " + expectedNonce.length
                    + "-byte nonce");
        }
        List<byte[]> values = quote.pcrs();
        Map<Integer, Map<Integer, byte[]>> byBank = new LinkedHashMap<>();
        int k = 0;
        for (PcrSelection sel : attest.pcrSelections()) {
            int size = TpmAlg.digestSize(sel.hashAlg());
            Map<Integer, byte[]> bank = byBank.computeIfAbsent(sel.hashAlg(), b -> new LinkedHashMap<>());
            for (int index : sel.indices()) {
                if (k >= values.size()) {
                    throw new AttestationException(Reason.PCR_DIGEST_MISMATCH, "the quote selects more PCRs than the "
                            + values.size() + " values given");
                }
                byte[] v = values.get(k++);
                if (v.length != size) {
                    throw new AttestationException(Reason.MALFORMED_EVIDENCE, "PCR " + index + " value is "
                            + v.length + " bytes, " + size + " expected");
                }
                if (bank.put(index, v) != null) {
                    throw new AttestationException(Reason.MALFORMED_EVIDENCE, "PCR " + index + " selected twice");
                }
            }
        }
        if (k != values.size()) {
            throw new AttestationException(Reason.PCR_DIGEST_MISMATCH, values.size()
                    + " PCR values given, but the quote selects " + k);
        }
        byte[] computed = TpmAlg.digest(hashAlg, values.toArray(byte[][]::new));
        if (!MessageDigest.isEqual(computed, attest.pcrDigest())) {
            throw new AttestationException(Reason.PCR_DIGEST_MISMATCH,
                    "the digest of the reported PCR values differs from the quote's pcrDigest");
        }
        return new VerifiedTpmQuote(attest, byBank);
    }

    /** Verifies and returns the signature's hash algorithm. */
    static int verifySignature(byte[] message, byte[] signature, PublicKey ak) {
        if (ak instanceof RSAPublicKey rsa && signature.length == (rsa.getModulus().bitLength() + 7) / 8) {
            if (!jca("SHA256withRSA", null, ak, message, signature)) {
                throw invalid();
            }
            return TpmAlg.SHA256;
        }
        TpmSignature sig;
        try {
            sig = TpmSignature.parse(signature);
        } catch (AttestationException e) {
            throw new AttestationException(Reason.SIGNATURE_INVALID, "the TPM quote signature is neither a bare "
                    + "RSA signature of the key's size nor a TPMT_SIGNATURE: " + e.detail(), e);
        }
        int hash = sig.hashAlg();
        String jcaHash = TpmAlg.jcaName(hash);
        String shortHash = jcaHash.replace("-", "");
        boolean ok = switch (sig.sigAlg()) {
            case TpmAlg.RSASSA -> ak instanceof RSAPublicKey
                    && jca(shortHash + "withRSA", null, ak, message, sig.rsa());
            case TpmAlg.RSAPSS -> ak instanceof RSAPublicKey rsa && pss(rsa, jcaHash, message, sig.rsa());
            case TpmAlg.ECDSA -> ak instanceof ECPublicKey && ecdsa(ak, hash, message, sig);
            default -> false;
        };
        if (!ok) {
            throw invalid();
        }
        return hash;
    }

    private static boolean pss(RSAPublicKey key, String hash, byte[] message, byte[] sig) {
        int hLen = TpmAlg.digestSize(switch (hash) {
            case "SHA-384" -> TpmAlg.SHA384;
            case "SHA-512" -> TpmAlg.SHA512;
            default -> TpmAlg.SHA256;
        });
        int emLen = (key.getModulus().bitLength() - 1 + 7) / 8;
        for (int salt : new int[] {hLen, emLen - hLen - 2}) {
            PSSParameterSpec spec = new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), salt, 1);
            if (salt >= 0 && jca("RSASSA-PSS", spec, key, message, sig)) {
                return true;
            }
        }
        return false;
    }

    private static boolean ecdsa(PublicKey key, int hash, byte[] message, TpmSignature sig) {
        RawEcdsaVerifier.Hash h = switch (hash) {
            case TpmAlg.SHA384 -> RawEcdsaVerifier.Hash.SHA384;
            case TpmAlg.SHA512 -> RawEcdsaVerifier.Hash.SHA512;
            default -> RawEcdsaVerifier.Hash.SHA256;
        };
        try {
            return RawEcdsaVerifier.forKey(key, h).verify(message, sig.r(), sig.s(), ByteOrder.BIG_ENDIAN);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean jca(String alg, PSSParameterSpec spec, PublicKey key, byte[] message, byte[] sig) {
        try {
            Signature s = Signature.getInstance(alg);
            if (spec != null) {
                s.setParameter(spec);
            }
            s.initVerify(key);
            s.update(message);
            return s.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static AttestationException invalid() {
        return new AttestationException(Reason.SIGNATURE_INVALID,
                "the TPM quote signature does not verify with the attestation key");
    }
}
