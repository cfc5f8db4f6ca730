package dev.coco4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.CocoException;
import dev.coco4j.kbs.KbsClient;
import dev.coco4j.kbs.KbsSecret;
import dev.coco4j.kbs.evidence.InsecureSampleAttester;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;

/** EmbeddedKbs presenting a caller-supplied TLS key and certificate ({@code kbs serve --tls-cert/--tls-key}). */
class EmbeddedKbsTlsIdentityTest {

    static X509Certificate selfSigned(KeyPair kp) throws Exception {
        Instant now = Instant.now();
        X500Principal dn = new X500Principal("CN=test kbs");
        JcaX509v3CertificateBuilder cb = new JcaX509v3CertificateBuilder(dn, BigInteger.TEN,
                Date.from(now.minus(1, ChronoUnit.DAYS)), Date.from(now.plus(1, ChronoUnit.DAYS)), dn, kp.getPublic());
        cb.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        return new JcaX509CertificateConverter().getCertificate(
                cb.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    }

    @Test
    void presentsTheGivenCertificate() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        X509Certificate cert = selfSigned(kp);
        try (EmbeddedKbs kbs = EmbeddedKbs.builder().tlsIdentity(kp.getPrivate(), List.of(cert)).allowSample(true)
                .resourcePolicy(ResourcePolicy.allowAll()).resource("default/key/app", new byte[] {7}).start()) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("given", cert);
            try (KbsClient c = KbsClient.builder().baseUrl("https://127.0.0.1:" + kbs.port()).trustStore(trust)
                    .attester(new InsecureSampleAttester()).build();
                 KbsSecret s = c.getResource("default/key/app")) {
                assertThat(s.bytes()).containsExactly(7);
            }
            // the generated CA does not vouch for the given certificate
            KeyStore generated = KeyStore.getInstance("PKCS12");
            generated.load(null, null);
            generated.setCertificateEntry("ca", kbs.caCertificate());
            try (KbsClient c = KbsClient.builder().baseUrl("https://127.0.0.1:" + kbs.port()).trustStore(generated)
                    .attester(new InsecureSampleAttester()).retries(1, java.time.Duration.ofMillis(1)).build()) {
                assertThatThrownBy(() -> c.getResource("default/key/app")).isInstanceOf(CocoException.class)
                        .satisfies(e -> assertThat(((CocoException) e).reason().name()).isEqualTo("TLS_UNTRUSTED"));
            }
        }
    }
}
