package dev.coco4j.core.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.Reason;
import java.security.KeyPair;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CertificateChainVerifierTest {
    static final SignatureRule PSS = SignatureRule.rsaPss("SHA-384", 48);
    static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    static KeyPair rootKeys;
    static KeyPair interKeys;
    static KeyPair leafKeys;
    static X509Certificate root;
    static X509Certificate inter;
    static X509Certificate leaf;

    @BeforeAll
    static void pki() throws Exception {
        rootKeys = TestPki.rsa();
        interKeys = TestPki.rsa();
        leafKeys = TestPki.ec("secp384r1");
        root = TestPki.cert("CN=Root", "CN=Root", rootKeys, TestPki.pss(rootKeys.getPrivate(), 48), true, 1,
                TestPki.T0, TestPki.T1);
        inter = TestPki.cert("CN=Inter", "CN=Root", interKeys, TestPki.pss(rootKeys.getPrivate(), 48), true, 2,
                TestPki.T0, TestPki.T1);
        leaf = TestPki.cert("CN=Leaf", "CN=Inter", leafKeys, TestPki.pss(interKeys.getPrivate(), 48), false, 0,
                TestPki.T0, Instant.parse("2026-06-01T00:00:00Z"));
    }

    @Test
    void aWellFormedPssChainVerifies() {
        CertificateChainVerifier.verifyChain(List.of(leaf, inter), root, PSS, NOW);
        CertificateChainVerifier.verifyChain(List.of(leaf, inter, root), root, PSS, NOW);
        assertThat(PSS.accepts(leaf)).isTrue();
    }

    @Test
    void theWrongPssParametersBreakTheRule() throws Exception {
        X509Certificate salt32 = TestPki.cert("CN=Leaf", "CN=Inter", leafKeys, TestPki.pss(interKeys.getPrivate(),
                32), false, 0, TestPki.T0, TestPki.T1);
        assertThat(PSS.accepts(salt32)).isFalse();
        assertRefused(() -> CertificateChainVerifier.verifyChain(List.of(salt32, inter), root, PSS, NOW),
                Reason.CHAIN_INVALID);
        X509Certificate pkcs1 = TestPki.cert("CN=Leaf", "CN=Inter", leafKeys, TestPki.sha256Rsa(
                interKeys.getPrivate()), false, 0, TestPki.T0, TestPki.T1);
        assertRefused(() -> CertificateChainVerifier.verifyChain(List.of(pkcs1, inter), root, PSS, NOW),
                Reason.CHAIN_INVALID);
        assertThat(SignatureRule.any().accepts(pkcs1)).isTrue();
    }

    @Test
    void aForeignIssuerOrANonCaIssuerIsRefused() throws Exception {
        KeyPair other = TestPki.rsa();
        X509Certificate forged = TestPki.cert("CN=Leaf", "CN=Inter", leafKeys, TestPki.pss(other.getPrivate(), 48),
                false, 0, TestPki.T0, TestPki.T1);
        assertRefused(() -> CertificateChainVerifier.verifyChain(List.of(forged, inter), root, PSS, NOW),
                Reason.CHAIN_INVALID);
        X509Certificate notCa = TestPki.cert("CN=Inter", "CN=Root", interKeys, TestPki.pss(rootKeys.getPrivate(), 48),
                false, 3, TestPki.T0, TestPki.T1);
        assertRefused(() -> CertificateChainVerifier.verifyChain(List.of(leaf, notCa), root, PSS, NOW),
                Reason.CHAIN_INVALID);
        assertRefused(() -> CertificateChainVerifier.verifyChain(List.of(leaf), root, PSS, NOW),
                Reason.CHAIN_INVALID);
    }

    @Test
    void validityIsCheckedAtTheGivenInstant() {
        assertRefused(() -> CertificateChainVerifier.verifyChain(List.of(leaf, inter), root, PSS,
                Instant.parse("2026-07-01T00:00:00Z")), Reason.CERT_EXPIRED);
        assertRefused(() -> CertificateChainVerifier.verifyChain(List.of(leaf, inter), root, PSS,
                Instant.parse("2024-07-01T00:00:00Z")), Reason.CERT_EXPIRED);
    }

    @Test
    void crlsAreVerifiedWindowedAndConsulted() throws Exception {
        X509CRL clean = TestPki.crl("CN=Root", TestPki.pss(rootKeys.getPrivate(), 48), TestPki.T0, TestPki.T1);
        CrlVerifier.check(clean, root, PSS, NOW, inter);
        X509CRL revoking = TestPki.crl("CN=Root", TestPki.pss(rootKeys.getPrivate(), 48), TestPki.T0, TestPki.T1, 2);
        assertRefused(() -> CrlVerifier.check(revoking, root, PSS, NOW, inter, leaf), Reason.REVOKED);
        assertRefused(() -> CrlVerifier.check(clean, root, PSS, Instant.parse("2031-01-01T00:00:00Z"), inter),
                Reason.COLLATERAL_EXPIRED);
        KeyPair other = TestPki.rsa();
        X509CRL forged = TestPki.crl("CN=Root", TestPki.pss(other.getPrivate(), 48), TestPki.T0, TestPki.T1);
        assertRefused(() -> CrlVerifier.check(forged, root, PSS, NOW, inter), Reason.COLLATERAL_INVALID);
        X509CRL wrongIssuer = TestPki.crl("CN=Inter", TestPki.pss(interKeys.getPrivate(), 48), TestPki.T0,
                TestPki.T1);
        assertRefused(() -> CrlVerifier.check(wrongIssuer, root, PSS, NOW, inter), Reason.COLLATERAL_INVALID);
        X509CRL pkcs1 = TestPki.crl("CN=Root", TestPki.sha256Rsa(rootKeys.getPrivate()), TestPki.T0, TestPki.T1);
        assertRefused(() -> CrlVerifier.check(pkcs1, root, PSS, NOW, inter), Reason.COLLATERAL_INVALID);
    }

    @Test
    void certificatesParseFromPemAndDerAndGarbageIsMalformed() throws Exception {
        String pem = Certificates.toPem(leaf) + Certificates.toPem(inter);
        assertThat(Certificates.parseAll(pem.getBytes())).containsExactly(leaf, inter);
        assertThat(Certificates.parse(root.getEncoded())).isEqualTo(root);
        assertRefused(() -> Certificates.parse(new byte[] {1, 2, 3}), Reason.MALFORMED_EVIDENCE);
        assertRefused(() -> Certificates.parseCrl(new byte[] {1, 2, 3}), Reason.MALFORMED_EVIDENCE);
        assertThat(Certificates.sha256Fingerprint(root)).hasSize(64);
    }

    static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable c, Reason r) {
        assertThatThrownBy(c).isInstanceOf(CocoException.class)
                .satisfies(e -> assertThat(e).isInstanceOfAny(AttestationException.class,
                        dev.coco4j.core.ConfigurationException.class)).extracting(e -> ((CocoException) e).reason())
                .isEqualTo(r);
    }
}
