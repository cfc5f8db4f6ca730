package dev.coco4j.sev.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.crypto.CertificateChainVerifier;
import dev.coco4j.core.crypto.SignatureRule;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.abi.TcbVersion;
import java.io.IOException;
import java.math.BigInteger;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SimulatedChainTest {
    private static final String AMD = "1.3.6.1.4.1.3704.1.";
    private static final SignatureRule AMD_PSS = SignatureRule.rsaPss("SHA-384", 48);

    @ParameterizedTest
    @EnumSource(SnpProduct.class)
    void everyCertificateIsSignedByItsIssuerWithAmdsPssProfile(SnpProduct product) throws Exception {
        SimulatedSnpPlatform sim = SimPlatforms.vcek(product);
        sim.ark().verify(sim.ark().getPublicKey());
        sim.ask().verify(sim.ark().getPublicKey());
        sim.asvk().verify(sim.ark().getPublicKey());
        sim.vcek().verify(sim.ask().getPublicKey());
        sim.vlek().verify(sim.asvk().getPublicKey());
        for (X509Certificate c : new X509Certificate[] {sim.ark(), sim.ask(), sim.asvk(), sim.vcek(), sim.vlek()}) {
            assertThat(AMD_PSS.accepts(c)).as(c.getSubjectX500Principal().getName()).isTrue();
            assertThat(SignatureRule.rsaPss("SHA-384", 32).accepts(c)).isFalse();
            assertThat(SignatureRule.rsaPss("SHA-256", 48).accepts(c)).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(SnpProduct.class)
    void coreChainVerifierAcceptsTheChainOnlyUnderTheSimulatorsOwnArk(SnpProduct product) {
        SimulatedSnpPlatform sim = SimPlatforms.vcek(product);
        SimulatedSnpPlatform vlekSim = SimPlatforms.vlek(product);
        Instant now = Instant.now();
        CertificateChainVerifier.verifyChain(List.of(sim.vcek(), sim.ask()), sim.ark(), AMD_PSS, now);
        CertificateChainVerifier.verifyChain(List.of(vlekSim.vlek(), vlekSim.asvk(), vlekSim.ark()), sim.ark(),
                AMD_PSS, now);

        X509Certificate otherArk = SimPlatforms.vcek(product == SnpProduct.GENOA ? SnpProduct.MILAN
                : SnpProduct.GENOA).ark();
        assertThatThrownBy(() -> CertificateChainVerifier.verifyChain(List.of(sim.vcek(), sim.ask()), otherArk,
                AMD_PSS, now)).isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CHAIN_INVALID));
    }

    @Test
    void pssParametersAreExplicitInTheAlgorithmIdentifier() throws Exception {
        SimulatedSnpPlatform sim = SimPlatforms.vcek(SnpProduct.GENOA);
        AlgorithmIdentifier alg = Certificate.getInstance(sim.vcek().getEncoded()).getSignatureAlgorithm();
        assertThat(alg.getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_RSASSA_PSS);
        RSASSAPSSparams pss = RSASSAPSSparams.getInstance(alg.getParameters());
        assertThat(pss.getHashAlgorithm().getAlgorithm()).isEqualTo(NISTObjectIdentifiers.id_sha384);
        assertThat(pss.getMaskGenAlgorithm().getAlgorithm()).isEqualTo(PKCSObjectIdentifiers.id_mgf1);
        assertThat(AlgorithmIdentifier.getInstance(pss.getMaskGenAlgorithm().getParameters()).getAlgorithm())
                .isEqualTo(NISTObjectIdentifiers.id_sha384);
        assertThat(pss.getSaltLength()).isEqualTo(BigInteger.valueOf(48));
        assertThat(pss.getTrailerField()).isEqualTo(BigInteger.ONE);
    }

    @Test
    void aCertificateDoesNotVerifyUnderTheWrongIssuer() {
        SimulatedSnpPlatform sim = SimPlatforms.vcek(SnpProduct.GENOA);
        assertThatThrownBy(() -> sim.vcek().verify(sim.asvk().getPublicKey()))
                .isInstanceOf(SignatureException.class);
        assertThatThrownBy(() -> sim.vcek().verify(SimPlatforms.vcek(SnpProduct.MILAN).ask().getPublicKey()))
                .isInstanceOf(SignatureException.class);
    }

    @ParameterizedTest
    @EnumSource(SnpProduct.class)
    void namesAndCaShapeFollowAmdAndSaySimulated(SnpProduct product) {
        SimulatedSnpPlatform sim = SimPlatforms.vcek(product);
        String p = product.kdsName();
        assertThat(cn(sim.ark())).isEqualTo("ARK-" + p);
        assertThat(sim.ark().getIssuerX500Principal()).isEqualTo(sim.ark().getSubjectX500Principal());
        assertThat(cn(sim.ask())).isEqualTo("SEV-" + p);
        assertThat(cn(sim.asvk())).isEqualTo("SEV-VLEK-" + p);
        assertThat(cn(sim.vcek())).isEqualTo("SEV-VCEK");
        assertThat(cn(sim.vlek())).isEqualTo("SEV-VLEK");
        assertThat(sim.ask().getIssuerX500Principal()).isEqualTo(sim.ark().getSubjectX500Principal());
        assertThat(sim.asvk().getIssuerX500Principal()).isEqualTo(sim.ark().getSubjectX500Principal());
        assertThat(sim.vcek().getIssuerX500Principal()).isEqualTo(sim.ask().getSubjectX500Principal());
        assertThat(sim.vlek().getIssuerX500Principal()).isEqualTo(sim.asvk().getSubjectX500Principal());
        for (X509Certificate c : new X509Certificate[] {sim.ark(), sim.ask(), sim.asvk(), sim.vcek(), sim.vlek()}) {
            assertThat(c.getSubjectX500Principal().getName(X500Principal.RFC2253))
                    .contains("O=Simulated AMD (coco4j sim)", "OU=Engineering", "L=Santa Clara", "ST=CA", "C=US");
            assertThat(c.getVersion()).isEqualTo(3);
        }

        assertThat(sim.ark().getBasicConstraints()).isEqualTo(Integer.MAX_VALUE);
        assertThat(sim.ark().getKeyUsage()).containsExactly(false, false, false, false, false, true, true, false,
                false);
        assertThat(sim.ask().getBasicConstraints()).isZero();
        assertThat(sim.asvk().getBasicConstraints()).isZero();
        assertThat(sim.ask().getKeyUsage()[5]).isTrue();
        assertThat(sim.ark().getPublicKey()).isInstanceOf(RSAPublicKey.class);
        assertThat(((RSAPublicKey) sim.ask().getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
    }

    @ParameterizedTest
    @EnumSource(SnpProduct.class)
    void endorsementCertificatesCarryOnlyAmdExtensionsAndSerialZero(SnpProduct product) {
        SimulatedSnpPlatform sim = SimPlatforms.vcek(product);
        for (X509Certificate c : new X509Certificate[] {sim.vcek(), sim.vlek()}) {
            assertThat(c.getSerialNumber()).isZero();
            assertThat(c.getPublicKey()).isInstanceOfSatisfying(ECPublicKey.class,
                    k -> assertThat(k.getParams().getCurve().getField().getFieldSize()).isEqualTo(384));
            assertThat(c.getCriticalExtensionOIDs()).isEmpty();
            assertThat(c.getNonCriticalExtensionOIDs()).allMatch(oid -> oid.startsWith(AMD));
            assertThat(c.getBasicConstraints()).isEqualTo(-1);
            assertThat(c.getKeyUsage()).isNull();
        }
        boolean turin = product == SnpProduct.TURIN;
        Set<String> expected = new TreeSet<>(Set.of("1", "2", "3.1", "3.2", "3.3", "3.5", "3.6", "3.7", "3.8"));
        expected.add(turin ? "3.9" : "3.4");
        Set<String> vcek = new TreeSet<>(expected);
        vcek.add("4");
        Set<String> vlek = new TreeSet<>(expected);
        vlek.add("5");
        assertThat(suffixes(sim.vcek())).isEqualTo(vcek);
        assertThat(suffixes(sim.vlek())).isEqualTo(vlek);
    }

    @ParameterizedTest
    @EnumSource(SnpProduct.class)
    void vcekExtensionsBindTheReportsChipIdAndTcb(SnpProduct product) throws IOException {
        SimulatedSnpPlatform sim = SimPlatforms.vcek(product);
        SnpReport report = sim.report(ReportData.zero());
        TcbVersion tcb = report.reportedTcb(product);
        X509Certificate vcek = sim.vcek();

        byte[] hwId = extnValue(vcek, "4");
        int idLength = product == SnpProduct.TURIN ? 8 : 64;
        assertThat(hwId).hasSize(idLength).isEqualTo(Arrays.copyOf(report.chipId(), idLength));
        if (product == SnpProduct.TURIN) {
            assertThat(Arrays.copyOfRange(report.chipId(), 8, 64)).containsOnly(0);
        }

        assertThat(integer(vcek, "1")).isEqualTo(product == SnpProduct.TURIN ? 1 : 0);
        assertThat(ia5(vcek, "2")).isEqualTo(switch (product) {
            case MILAN -> "Milan-B0";
            case GENOA -> "Genoa";
            case TURIN -> "Turin";
        });
        assertThat(SnpProduct.fromProductName(ia5(vcek, "2"))).contains(product);
        assertThat(integer(vcek, "3.1")).isEqualTo(tcb.bootLoader());
        assertThat(integer(vcek, "3.2")).isEqualTo(tcb.tee());
        assertThat(integer(vcek, "3.3")).isEqualTo(tcb.snp());
        assertThat(integer(vcek, "3.8")).isEqualTo(tcb.microcode());
        assertThat(integer(vcek, "3.5")).isZero();
        assertThat(integer(vcek, "3.6")).isZero();
        assertThat(integer(vcek, "3.7")).isZero();
        if (product == SnpProduct.TURIN) {
            assertThat(integer(vcek, "3.9")).isEqualTo(tcb.fmc()).isEqualTo(1);
            assertThat(vcek.getExtensionValue(AMD + "3.4")).isNull();
        } else {
            assertThat(integer(vcek, "3.4")).isZero();
            assertThat(vcek.getExtensionValue(AMD + "3.9")).isNull();
        }
    }

    @Test
    void splsAreMinimalDerIntegers() throws IOException {
        SimulatedSnpPlatform sim = SimPlatforms.vcek(SnpProduct.MILAN);
        // default Milan microcode SPL 219 = 0xDB needs a leading zero byte to stay positive
        assertThat(HexFormat.of().formatHex(extnValue(sim.vcek(), "3.8"))).isEqualTo("020200db");
        assertThat(HexFormat.of().formatHex(extnValue(sim.vcek(), "3.2"))).isEqualTo("020100");
    }

    @Test
    void hwIdIsRawEvenWhenTheChipIdLooksLikeADerTag() throws IOException {
        byte[] chipId = new byte[64];
        chipId[0] = 0x04; // OCTET STRING tag
        chipId[1] = 0x3E; // a length that would fit
        Arrays.fill(chipId, 2, 64, (byte) 0x5A);
        SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().chipId(chipId)
                .sameAuthorityAs(SimPlatforms.vcek(SnpProduct.GENOA)).build();
        assertThat(extnValue(sim.vcek(), "4")).isEqualTo(chipId);
        assertThat(sim.report(ReportData.zero()).chipId()).isEqualTo(chipId);
    }

    @Test
    void vlekCarriesTheConfiguredCspIdAndNoHwId() throws IOException {
        SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().product(SnpProduct.MILAN)
                .signingKey(dev.coco4j.sev.abi.SignerInfo.SigningKey.VLEK).cspId("CN=cc.example.invalid")
                .sameAuthorityAs(SimPlatforms.vcek(SnpProduct.MILAN)).build();
        assertThat(ia5(sim.vlek(), "5")).isEqualTo("CN=cc.example.invalid");
        assertThat(sim.vlek().getExtensionValue(AMD + "4")).isNull();
        assertThat(sim.vcek().getExtensionValue(AMD + "5")).isNull();
        assertThat(ia5(SimPlatforms.vlek(SnpProduct.GENOA).vlek(), "5"))
                .isEqualTo(SimulatedSnpPlatform.DEFAULT_CSP_ID);
    }

    @Test
    void validityFollowsTheClock() {
        Instant now = Instant.parse("2026-03-01T12:00:00Z");
        SimulatedSnpPlatform sim = SimulatedSnpPlatform.builder().clock(Clock.fixed(now, ZoneOffset.UTC)).build();
        Instant dayBefore = Instant.parse("2026-02-28T12:00:00Z");
        for (X509Certificate c : new X509Certificate[] {sim.ark(), sim.ask(), sim.asvk(), sim.vcek(), sim.vlek()}) {
            assertThat(c.getNotBefore().toInstant()).isEqualTo(dayBefore);
        }
        assertThat(sim.vcek().getNotAfter().toInstant()).isEqualTo(Instant.parse("2033-03-01T12:00:00Z"));
        assertThat(sim.vlek().getNotAfter().toInstant()).isEqualTo(Instant.parse("2027-03-01T12:00:00Z"));
        assertThat(sim.ark().getNotAfter().toInstant()).isEqualTo(Instant.parse("2051-03-01T12:00:00Z"));
    }

    @Test
    void eachPlatformHasItsOwnRoot() {
        SimulatedSnpPlatform a = SimPlatforms.vcek(SnpProduct.GENOA);
        SimulatedSnpPlatform b = SimulatedSnpPlatform.builder().build();
        assertThat(b.ark().getPublicKey()).isNotEqualTo(a.ark().getPublicKey());
        assertThat(b.ark().getSerialNumber()).isNotEqualTo(a.ark().getSerialNumber());
        assertThat(b.chipId()).isNotEqualTo(a.chipId());
        assertThatThrownBy(() -> b.vcek().verify(a.ask().getPublicKey())).isInstanceOf(SignatureException.class);
        // same names, different keys: the chain of one simulator does not verify under another simulator's ARK
        assertThat(b.ark().getSubjectX500Principal()).isEqualTo(a.ark().getSubjectX500Principal());
        assertThatThrownBy(() -> CertificateChainVerifier.verifyChain(List.of(b.vcek(), b.ask()), a.ark(), AMD_PSS,
                Instant.now())).isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.CHAIN_INVALID));
    }

    private static String cn(X509Certificate c) {
        X500Name n = X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
        return n.getRDNs(BCStyle.CN)[0].getFirst().getValue().toString();
    }

    private static Set<String> suffixes(X509Certificate c) {
        Set<String> out = new TreeSet<>();
        for (String oid : c.getNonCriticalExtensionOIDs()) {
            out.add(oid.substring(AMD.length()));
        }
        return out;
    }

    /** The content of the extension's extnValue OCTET STRING. */
    private static byte[] extnValue(X509Certificate c, String suffix) {
        byte[] wrapped = c.getExtensionValue(AMD + suffix);
        assertThat(wrapped).as("extension " + suffix).isNotNull();
        return ASN1OctetString.getInstance(wrapped).getOctets();
    }

    private static int integer(X509Certificate c, String suffix) throws IOException {
        return ASN1Integer.getInstance(ASN1Primitive.fromByteArray(extnValue(c, suffix))).intValueExact();
    }

    private static String ia5(X509Certificate c, String suffix) throws IOException {
        return ASN1IA5String.getInstance(ASN1Primitive.fromByteArray(extnValue(c, suffix))).getString();
    }
}
