package dev.coco4j.sev.verify;

import static dev.coco4j.sev.verify.RealVectorVerificationTest.assertRefused;
import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import dev.coco4j.sev.abi.GuestPolicy;
import dev.coco4j.sev.abi.SignerInfo;
import dev.coco4j.sev.abi.SnpProduct;
import dev.coco4j.sev.abi.SnpReport;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.sev.validate.SnpPolicy;
import dev.coco4j.sev.validate.SnpPolicyValidator;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The simulator's evidence verifies only when its roots are passed explicitly, for every product and version. */
class SimulatorVerificationTest {
    static final ReportData NONCE = ReportData.ofHex("c0c04a11");
    static final Map<SnpProduct, SimulatedSnpPlatform> ROOTS = new EnumMap<>(SnpProduct.class);

    static synchronized SimulatedSnpPlatform platform(SnpProduct p, int version, SignerInfo.SigningKey key) {
        SimulatedSnpPlatform authority = ROOTS.computeIfAbsent(p, q -> SimulatedSnpPlatform.builder().product(q)
                .build());
        return SimulatedSnpPlatform.builder().product(p).reportVersion(version).signingKey(key)
                .sameAuthorityAs(authority).build();
    }

    @ParameterizedTest
    @CsvSource({"MILAN,2,VCEK", "MILAN,3,VCEK", "MILAN,5,VLEK", "GENOA,3,VCEK", "GENOA,5,VCEK", "GENOA,5,VLEK",
        "TURIN,3,VCEK", "TURIN,5,VCEK", "TURIN,5,VLEK"})
    void simulatedEvidenceVerifiesWithItsRootsOnly(SnpProduct product, int version, SignerInfo.SigningKey key) {
        SimulatedSnpPlatform sim = platform(product, version, key);
        var evidence = sim.evidence(NONCE);

        // Default trust = AMD's pinned roots: the simulator's chain is refused.
        assertRefused(() -> SnpReportVerifier.builder().build().verify(evidence), Reason.CHAIN_INVALID);

        SnpReportVerifier withSimRoots = SnpReportVerifier.builder().trustRoots(sim.trustRoots()).build();
        VerifiedSnpReport v = version == 2
                ? withSimRoots.verify(SnpReport.parse(evidence.data()), SnpCollateral.none()
                        .withCertTable(sim.certTable()))
                : withSimRoots.verify(evidence);
        assertThat(v.product()).isEqualTo(product);
        assertThat(v.endorsementKey().kind().name()).isEqualTo(key.name());
        assertThat(v.report().reportData()).isEqualTo(NONCE.toByteArray());
        SnpPolicyValidator.validate(v, SnpPolicy.builder().reportData(NONCE.toByteArray()).build());
    }

    @Test
    void anotherSimulatorsRootsDoNotVerify() {
        SimulatedSnpPlatform a = platform(SnpProduct.GENOA, 5, SignerInfo.SigningKey.VCEK);
        SimulatedSnpPlatform stranger = SimulatedSnpPlatform.builder().product(SnpProduct.GENOA).build();
        assertRefused(() -> SnpReportVerifier.builder().trustRoots(stranger.trustRoots()).build()
                .verify(a.evidence(NONCE)), Reason.CHAIN_INVALID);
    }

    @Test
    void aValidlySignedDebugGuestVerifiesButPolicyRefusesIt() {
        SimulatedSnpPlatform sim = platform(SnpProduct.MILAN, 3, SignerInfo.SigningKey.VCEK);
        SnpReport debug = sim.report(NONCE, b -> b.policy(SimulatedSnpPlatform.DEFAULT_POLICY | GuestPolicy.DEBUG));
        VerifiedSnpReport v = SnpReportVerifier.builder().trustRoots(sim.trustRoots()).build()
                .verify(debug, SnpCollateral.ofEndorsementKey(sim.vcek()));
        assertThat(v.report().policy().debug()).isTrue();
        assertRefused(() -> SnpPolicyValidator.validate(v, SnpPolicy.defaults()), Reason.POLICY_VIOLATION);
    }

    @Test
    void aReportedTcbAboveTheCertifiedOneIsATcbMismatch() {
        SimulatedSnpPlatform sim = platform(SnpProduct.TURIN, 5, SignerInfo.SigningKey.VCEK);
        SnpReport bumped = sim.report(NONCE, b -> b.reportedTcb(sim.tcb().raw() + (1L << 56)));
        assertRefused(() -> SnpReportVerifier.builder().trustRoots(sim.trustRoots()).build()
                .verify(bumped, SnpCollateral.ofEndorsementKey(sim.vcek())), Reason.TCB_MISMATCH);
        SnpReport belowCurrent = sim.report(NONCE, b -> b.currentTcb(sim.tcb().raw() - (1L << 56)));
        assertRefused(() -> SnpReportVerifier.builder().trustRoots(sim.trustRoots()).build()
                .verify(belowCurrent, SnpCollateral.ofEndorsementKey(sim.vcek())), Reason.TCB_MISMATCH);
    }

    @Test
    void aHostSuppliedArkInTheCertTableIsNeverTrusted() {
        // The evidence's table carries the simulator's ARK; verifying with AMD's roots must still fail.
        SimulatedSnpPlatform sim = platform(SnpProduct.GENOA, 5, SignerInfo.SigningKey.VCEK);
        assertThat(sim.certTable().find(dev.coco4j.sev.abi.SnpCertTable.ARK)).isPresent();
        assertRefused(() -> SnpReportVerifier.builder().build().verify(sim.evidence(NONCE)), Reason.CHAIN_INVALID);
    }

    @Test
    void revocationIsCheckedAgainstAnArkSignedCrl() {
        SimulatedSnpPlatform sim = platform(SnpProduct.GENOA, 5, SignerInfo.SigningKey.VCEK);
        java.time.Instant now = java.time.Instant.now();
        SnpReportVerifier v = SnpReportVerifier.builder().trustRoots(sim.trustRoots()).build();
        SnpReport r = sim.report(NONCE);
        SnpCollateral c = SnpCollateral.ofEndorsementKey(sim.vcek());

        VerifiedSnpReport clean = v.verify(r, c.withCrl(sim.crl(now.minusSeconds(60), now.plusSeconds(3600))));
        assertThat(clean.warnings()).isEmpty();
        assertRefused(() -> v.verify(r, c.withCrl(sim.crl(now.minusSeconds(60), now.plusSeconds(3600), sim.ask()))),
                Reason.REVOKED);
        assertRefused(() -> v.verify(r, c.withCrl(sim.crl(now.minusSeconds(7200), now.minusSeconds(3600)))),
                Reason.COLLATERAL_EXPIRED);
        SimulatedSnpPlatform stranger = SimulatedSnpPlatform.builder().product(SnpProduct.GENOA).build();
        assertRefused(() -> v.verify(r, c.withCrl(stranger.crl(now.minusSeconds(60), now.plusSeconds(3600)))),
                Reason.COLLATERAL_INVALID);
        // A fetcher is consulted only when online and no CRL was supplied.
        SnpReportVerifier fetching = SnpReportVerifier.builder().trustRoots(sim.trustRoots())
                .crlFetcher((p, k) -> sim.crl(now.minusSeconds(60), now.plusSeconds(3600), sim.ask())).build();
        assertRefused(() -> fetching.verify(r, c), Reason.REVOKED);
        SnpReportVerifier offline = SnpReportVerifier.builder().trustRoots(sim.trustRoots()).offline(true)
                .crlFetcher((p, k) -> {
                    throw new AssertionError("offline must not fetch");
                }).build();
        assertThat(offline.verify(r, c).warnings()).containsExactly(SnpReportVerifier.REVOCATION_NOT_CHECKED);
    }
}
