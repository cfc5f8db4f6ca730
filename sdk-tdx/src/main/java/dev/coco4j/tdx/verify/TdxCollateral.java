package dev.coco4j.tdx.verify;

import com.fasterxml.jackson.databind.JsonNode;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.CollateralException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.core.internal.Hex;
import dev.coco4j.tdx.internal.RawJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The collateral one TDX quote is verified with: the PCK CRL and its issuer chain, the Intel SGX Root CA CRL, and TCB
 * Info and QE Identity as the exact signed JSON bytes with their r‖s signatures and issuer chains. Nothing here is
 * trusted yet: {@link TdxQuoteVerifier} checks every signature, chain and validity window. Immutable.
 *
 * <p>Loadable from the CLI's bundle JSON ({@link #fromBundleJson(byte[])}: fields {@code pck_crl_issuer_chain},
 * {@code root_ca_crl}, {@code pck_crl}, {@code tcb_info_issuer_chain}, {@code tcb_info}, {@code tcb_info_signature},
 * {@code qe_identity_issuer_chain}, {@code qe_identity}, {@code qe_identity_signature}; CRLs hex DER, tcb_info and
 * qe_identity the raw signed JSON text, signatures hex r‖s), from the CLI's directory form
 * ({@link #fromDirectory(Path)}), or from Intel PCS response bodies ({@link #fromPcs}).
 *
 * @param pckCrlIssuerChain the PCK CRL issuer chain (PCK CA, root)
 * @param rootCaCrl the Intel SGX Root CA CRL
 * @param pckCrl the PCK CRL of the quote's PCK CA
 * @param tcbInfoIssuerChain TCB Signing certificate, root
 * @param tcbInfoJson exact bytes of the {@code tcbInfo} value
 * @param tcbInfoSignature 64-byte r‖s
 * @param qeIdentityIssuerChain TCB Signing certificate, root
 * @param qeIdentityJson exact bytes of the {@code enclaveIdentity} value
 * @param qeIdentitySignature 64-byte r‖s
 */
public record TdxCollateral(List<X509Certificate> pckCrlIssuerChain, X509CRL rootCaCrl, X509CRL pckCrl,
                            List<X509Certificate> tcbInfoIssuerChain, byte[] tcbInfoJson, byte[] tcbInfoSignature,
                            List<X509Certificate> qeIdentityIssuerChain, byte[] qeIdentityJson,
                            byte[] qeIdentitySignature) {

    /** File names of the directory form. */
    public static final String TCB_INFO_FILE = "tcb_info.json";
    /** QE Identity PCS body. */
    public static final String QE_IDENTITY_FILE = "qe_identity.json";
    /** TCB Info issuer chain. */
    public static final String TCB_INFO_CHAIN_FILE = "tcb_info_issuer_chain.pem";
    /** QE Identity issuer chain. */
    public static final String QE_IDENTITY_CHAIN_FILE = "qe_identity_issuer_chain.pem";
    /** PCK CRL. */
    public static final String PCK_CRL_FILE = "pck_crl.der";
    /** PCK CRL issuer chain. */
    public static final String PCK_CRL_CHAIN_FILE = "pck_crl_issuer_chain.pem";
    /** Root CA CRL. */
    public static final String ROOT_CA_CRL_FILE = "root_ca_crl.der";

    /** Checks presence, copies arrays and lists. */
    public TdxCollateral {
        pckCrlIssuerChain = List.copyOf(pckCrlIssuerChain);
        Objects.requireNonNull(rootCaCrl, "rootCaCrl");
        Objects.requireNonNull(pckCrl, "pckCrl");
        tcbInfoIssuerChain = List.copyOf(tcbInfoIssuerChain);
        tcbInfoJson = tcbInfoJson.clone();
        tcbInfoSignature = sig(tcbInfoSignature, "tcb_info_signature");
        qeIdentityIssuerChain = List.copyOf(qeIdentityIssuerChain);
        qeIdentityJson = qeIdentityJson.clone();
        qeIdentitySignature = sig(qeIdentitySignature, "qe_identity_signature");
    }

    private static byte[] sig(byte[] s, String what) {
        if (s == null || s.length != 64) {
            throw invalid(what + " must be 64 bytes (r||s)");
        }
        return s.clone();
    }

    /** {@return a copy of exact bytes of the {@code tcbInfo} value} */
    @Override
    public byte[] tcbInfoJson() {
        return tcbInfoJson.clone();
    }

    /** {@return a copy of 64-byte r‖s} */
    @Override
    public byte[] tcbInfoSignature() {
        return tcbInfoSignature.clone();
    }

    /** {@return a copy of exact bytes of the {@code enclaveIdentity} value} */
    @Override
    public byte[] qeIdentityJson() {
        return qeIdentityJson.clone();
    }

    /** {@return a copy of 64-byte r‖s} */
    @Override
    public byte[] qeIdentitySignature() {
        return qeIdentitySignature.clone();
    }

    /**
     * Parses the CLI bundle JSON (dcap-qvl's QuoteCollateralV3 shape).
     *
     * @param json the UTF-8 bundle JSON object with the nine fields listed on the class, not null
     * @return the collateral, not yet verified
     * @throws CollateralException COLLATERAL_INVALID if a field is missing or malformed
     */
    public static TdxCollateral fromBundleJson(byte[] json) {
        try {
            JsonNode n = Json.MAPPER.readTree(json);
            if (n == null || !n.isObject()) {
                throw invalid("the collateral bundle is not a JSON object");
            }
            return new TdxCollateral(chain(str(n, "pck_crl_issuer_chain")), crl(str(n, "root_ca_crl"), "root_ca_crl"),
                    crl(str(n, "pck_crl"), "pck_crl"), chain(str(n, "tcb_info_issuer_chain")),
                    str(n, "tcb_info").getBytes(StandardCharsets.UTF_8), hex(str(n, "tcb_info_signature")),
                    chain(str(n, "qe_identity_issuer_chain")), str(n, "qe_identity").getBytes(StandardCharsets.UTF_8),
                    hex(str(n, "qe_identity_signature")));
        } catch (CocoException e) {
            throw e instanceof CollateralException ce ? ce : invalid(e.detail());
        } catch (Exception e) {
            throw new CollateralException(Reason.COLLATERAL_INVALID, "the collateral bundle is not valid JSON", e);
        }
    }

    /**
     * Reads the CLI directory form: {@value #TCB_INFO_FILE} and {@value #QE_IDENTITY_FILE} as Intel PCS returns them
     * ({@code {"tcbInfo":...,"signature":...}}), {@value #TCB_INFO_CHAIN_FILE}, {@value #QE_IDENTITY_CHAIN_FILE},
     * {@value #PCK_CRL_FILE}, {@value #PCK_CRL_CHAIN_FILE}, {@value #ROOT_CA_CRL_FILE}. CRLs may be DER, PEM or hex.
     *
     * @param dir the directory holding the seven files, not null
     * @return the collateral, not yet verified
     * @throws CollateralException COLLATERAL_UNAVAILABLE for a missing file, COLLATERAL_INVALID for a bad one
     */
    public static TdxCollateral fromDirectory(Path dir) {
        return fromPcs(read(dir, TCB_INFO_FILE), read(dir, TCB_INFO_CHAIN_FILE), read(dir, QE_IDENTITY_FILE),
                read(dir, QE_IDENTITY_CHAIN_FILE), read(dir, PCK_CRL_FILE), read(dir, PCK_CRL_CHAIN_FILE),
                read(dir, ROOT_CA_CRL_FILE));
    }

    /**
     * Builds collateral from Intel PCS (or PCCS) response bodies and issuer-chain header values (already URL-decoded
     * PEM).
     *
     * @param tcbInfoBody the TCB Info response body, {@code {"tcbInfo":...,"signature":...}}; the {@code tcbInfo} bytes
     *     are kept exactly as served, since the signature covers them
     * @param tcbInfoIssuerChainPem the TCB Info issuer chain, PEM, signer first
     * @param qeIdentityBody the QE Identity response body, {@code {"enclaveIdentity":...,"signature":...}}; kept
     *     exactly like {@code tcbInfoBody}
     * @param qeIdentityIssuerChainPem the QE Identity issuer chain, PEM, signer first
     * @param pckCrl the PCK CRL as DER, PEM or hex
     * @param pckCrlIssuerChainPem the PCK CRL issuer chain, PEM, signer first
     * @param rootCaCrl the Intel SGX Root CA CRL as DER, PEM or hex
     * @return the collateral, not yet verified
     * @throws CollateralException COLLATERAL_INVALID if anything is malformed
     */
    public static TdxCollateral fromPcs(byte[] tcbInfoBody, byte[] tcbInfoIssuerChainPem, byte[] qeIdentityBody,
                                        byte[] qeIdentityIssuerChainPem, byte[] pckCrl, byte[] pckCrlIssuerChainPem,
                                        byte[] rootCaCrl) {
        try {
            SignedMember t = signedMember(tcbInfoBody, "tcbInfo");
            SignedMember q = signedMember(qeIdentityBody, "enclaveIdentity");
            return new TdxCollateral(chainBytes(pckCrlIssuerChainPem), crlBytes(rootCaCrl, "root CA CRL"),
                    crlBytes(pckCrl, "PCK CRL"), chainBytes(tcbInfoIssuerChainPem), t.raw, t.signature,
                    chainBytes(qeIdentityIssuerChainPem), q.raw, q.signature);
        } catch (CollateralException e) {
            throw e;
        } catch (CocoException e) {
            throw invalid(e.detail());
        }
    }

    private record SignedMember(byte[] raw, byte[] signature) {
    }

    private static SignedMember signedMember(byte[] body, String member) {
        try {
            var members = RawJson.topLevelMembers(body);
            var span = members.get(member);
            var sigSpan = members.get("signature");
            if (span == null || sigSpan == null) {
                throw invalid("the PCS body lacks \"" + member + "\" or \"signature\"");
            }
            byte[] raw = java.util.Arrays.copyOfRange(body, span.start(), span.end());
            if (raw.length == 0 || raw[0] != '{') {
                throw invalid("\"" + member + "\" is not a JSON object");
            }
            String sigText = Json.MAPPER.readTree(java.util.Arrays.copyOfRange(body, sigSpan.start(), sigSpan.end()))
                    .asText();
            return new SignedMember(raw, hex(sigText));
        } catch (CollateralException e) {
            throw e;
        } catch (Exception e) {
            throw new CollateralException(Reason.COLLATERAL_INVALID, "the PCS " + member + " body is malformed: "
                    + e.getMessage(), e);
        }
    }

    private static byte[] read(Path dir, String name) {
        try {
            return Files.readAllBytes(dir.resolve(name));
        } catch (NoSuchFileException e) {
            throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE, "the collateral directory lacks " + name);
        } catch (IOException e) {
            throw new CollateralException(Reason.COLLATERAL_UNAVAILABLE, "cannot read " + dir.resolve(name), e);
        }
    }

    private static String str(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw invalid("the collateral bundle lacks the string field \"" + field + "\"");
        }
        return v.asText();
    }

    private static List<X509Certificate> chain(String pem) {
        return chainBytes(pem.getBytes(StandardCharsets.US_ASCII));
    }

    private static List<X509Certificate> chainBytes(byte[] pem) {
        try {
            return Certificates.parseAll(pem);
        } catch (CocoException e) {
            throw invalid("an issuer chain holds no parseable certificate");
        }
    }

    private static X509CRL crl(String hex, String what) {
        return crlBytes(hex.getBytes(StandardCharsets.US_ASCII), what);
    }

    private static X509CRL crlBytes(byte[] derPemOrHex, String what) {
        try {
            return Certificates.parseCrl(Hex.rawOrHex(derPemOrHex));
        } catch (CocoException e) {
            throw invalid(what + " is not a DER, PEM or hex CRL");
        }
    }

    // Intel writes signatures as 128 lower-case hex digits; anything else (other case, spaces) is refused, so every
    // change to the text changes the signature
    private static byte[] hex(String s) {
        if (s.length() != 128 || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw invalid("a signature is not 128 lower-case hex digits");
        }
        return java.util.HexFormat.of().parseHex(s);
    }

    private static CollateralException invalid(String detail) {
        return new CollateralException(Reason.COLLATERAL_INVALID, detail);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TdxCollateral c && java.util.Arrays.equals(tcbInfoJson, c.tcbInfoJson)
                && java.util.Arrays.equals(qeIdentityJson, c.qeIdentityJson) && pckCrl.equals(c.pckCrl)
                && rootCaCrl.equals(c.rootCaCrl) && tcbInfoIssuerChain.equals(c.tcbInfoIssuerChain)
                && qeIdentityIssuerChain.equals(c.qeIdentityIssuerChain)
                && pckCrlIssuerChain.equals(c.pckCrlIssuerChain)
                && java.util.Arrays.equals(tcbInfoSignature, c.tcbInfoSignature)
                && java.util.Arrays.equals(qeIdentitySignature, c.qeIdentitySignature);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(tcbInfoJson);
    }

    @Override
    public String toString() {
        return "TdxCollateral[tcbInfo " + tcbInfoJson.length + " bytes, qeIdentity " + qeIdentityJson.length
                + " bytes]";
    }
}
