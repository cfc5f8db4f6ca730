package dev.coco4j.gpu.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.coco4j.core.Reason;
import dev.coco4j.core.crypto.Certificates;
import dev.coco4j.gpu.Vectors;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The verified-chain cache must never let a call pass that a fresh verifier would refuse. */
class ChainCacheTest {
    static final byte[] REPORT = Vectors.report("nvtrust-lgv-samples/hopperAttestationReport.txt");
    static final byte[] CHAIN = Vectors.bytes("nvtrust-lgv-samples/hopperCertChain.txt");
    static final String NVAT = "nvat-testdata/";
    static final Instant AT = Vectors.PINNED;

    @Test
    void aRepeatedChainIsVerifiedOnceAndStillGivesTheSameResult() {
        GpuReportVerifier v = GpuReportVerifier.builder().offline(true).build();
        VerifiedGpuReport first = v.verify(REPORT, CHAIN, Vectors.NONCE_931D, AT);
        VerifiedGpuReport second = v.verify(REPORT, CHAIN.clone(), Vectors.NONCE_931D, AT);
        assertThat(v.cachedChains()).isEqualTo(1);
        assertThat(second.fwidChecked()).isEqualTo(first.fwidChecked()).isTrue();
        assertThat(second.architecture()).isEqualTo(first.architecture());
        assertThat(second.warnings()).isEqualTo(first.warnings());
    }

    @Test
    void expiryIsDecidedPerCallEvenForACachedChain() {
        GpuReportVerifier v = GpuReportVerifier.builder().offline(true).build();
        v.verify(REPORT, CHAIN, Vectors.NONCE_931D, AT);
        RealVectorVerificationTest.assertReason(() -> v.verify(REPORT, CHAIN, Vectors.NONCE_931D,
                Instant.parse("2019-01-01T00:00:00Z")), Reason.CERT_EXPIRED);
        RealVectorVerificationTest.assertReason(() -> v.verify(REPORT, CHAIN, Vectors.NONCE_931D,
                Instant.parse("9999-12-31T23:59:59Z").plusSeconds(3600)), Reason.CERT_EXPIRED);
        v.verify(REPORT, CHAIN, Vectors.NONCE_931D, AT);
    }

    @Test
    void reportChecksStillRunOnACachedChain() {
        GpuReportVerifier v = GpuReportVerifier.builder().offline(true).build();
        byte[] chain = Vectors.bytes(NVAT + "sample_attestation_data__gpu__hopperCertChainExpired.txt");
        v.verify(Vectors.report(NVAT + "sample_attestation_data__gpu__hopperAttestationReportExpired.txt"), chain,
                Vectors.NONCE_931D, AT);
        assertThat(v.cachedChains()).isEqualTo(1);
        RealVectorVerificationTest.assertReason(() -> v.verify(Vectors.report(NVAT
                + "sample_attestation_data__gpu__hopperAttestationReportInvalidSignature.txt"), chain,
                Vectors.NONCE_931D, AT), Reason.SIGNATURE_INVALID);
        RealVectorVerificationTest.assertReason(() -> v.verify(Vectors.report(NVAT
                + "sample_attestation_data__gpu__hopperAttestationReportExpired.txt"), chain, new byte[32], AT),
                Reason.NONCE_MISMATCH);
        GpuReportVerifier blackwellOnly = GpuReportVerifier.builder().offline(true)
                .expectedArchitecture(GpuArchitecture.BLACKWELL).build();
        RealVectorVerificationTest.assertReason(() -> blackwellOnly.verify(REPORT, CHAIN, Vectors.NONCE_931D, AT),
                Reason.POLICY_VIOLATION);
    }

    @Test
    void theCallerMutatingItsArrayAfterwardsDoesNotPoisonTheCache() {
        GpuReportVerifier v = GpuReportVerifier.builder().offline(true).build();
        byte[] mine = CHAIN.clone();
        v.verify(REPORT, mine, Vectors.NONCE_931D, AT);
        // corrupt a base64 character inside the leaf certificate's signature area
        int at = new String(mine, java.nio.charset.StandardCharsets.US_ASCII).indexOf("-----END CERTIFICATE-----") - 10;
        mine[at] = (byte) (mine[at] == 'A' ? 'B' : 'A');
        try {
            v.verify(REPORT, mine, Vectors.NONCE_931D, AT);
            throw new AssertionError("a corrupted leaf was accepted");
        } catch (dev.coco4j.core.CocoException e) {
            assertThat(e.reason()).isIn(Reason.CHAIN_INVALID, Reason.MALFORMED_EVIDENCE, Reason.SIGNATURE_INVALID);
        }
        v.verify(REPORT, CHAIN, Vectors.NONCE_931D, AT);
    }

    @Test
    void anotherTrustRootNeverReusesAChainVerifiedUnderNvidias() {
        X509Certificate other = Certificates.parseAll(Vectors.bytes(NVAT + "trusted_certs__rim_root.crt")).getFirst();
        GpuReportVerifier nvidia = GpuReportVerifier.builder().offline(true).build();
        nvidia.verify(REPORT, CHAIN, Vectors.NONCE_931D, AT);
        GpuReportVerifier otherRoot = GpuReportVerifier.builder().offline(true).trustRoots(GpuTrustRoots.of(other))
                .build();
        RealVectorVerificationTest.assertReason(() -> otherRoot.verify(REPORT, CHAIN, Vectors.NONCE_931D, AT),
                Reason.CHAIN_INVALID);
        assertThat(otherRoot.cachedChains()).isZero();
    }

    @Test
    void ocspIsAskedOnEveryCallWithACachedChain() {
        AtomicInteger asked = new AtomicInteger();
        GpuReportVerifier v = GpuReportVerifier.builder().ocspClient((cert, path, at) -> {
            asked.incrementAndGet();
            return new OcspResult(OcspStatus.GOOD, -1, at, null);
        }).build();
        v.verify(REPORT, CHAIN, Vectors.NONCE_931D, AT);
        v.verify(REPORT, CHAIN, Vectors.NONCE_931D, AT);
        assertThat(asked.get()).isEqualTo(6);
        GpuReportVerifier revoked = GpuReportVerifier.builder().ocspClient((cert, path, at) -> asked.get() > 6
                ? new OcspResult(OcspStatus.REVOKED, 1, at, null) : new OcspResult(OcspStatus.GOOD, -1, at, null))
                .build();
        revoked.verify(REPORT, CHAIN, Vectors.NONCE_931D, AT);
        asked.set(7);
        RealVectorVerificationTest.assertReason(() -> revoked.verify(REPORT, CHAIN, Vectors.NONCE_931D, AT),
                Reason.REVOKED);
    }

    @Test
    void theCacheIsBounded() {
        GpuReportVerifier v = GpuReportVerifier.builder().offline(true).build();
        for (int i = 0; i < GpuReportVerifier.CHAIN_CACHE_LIMIT + 3; i++) {
            byte[] padded = new byte[CHAIN.length + i + 1];
            System.arraycopy(CHAIN, 0, padded, 0, CHAIN.length);
            java.util.Arrays.fill(padded, CHAIN.length, padded.length, (byte) '\n');
            v.verify(REPORT, padded, Vectors.NONCE_931D, AT);
            assertThat(v.cachedChains()).isLessThanOrEqualTo(GpuReportVerifier.CHAIN_CACHE_LIMIT);
        }
    }
}
