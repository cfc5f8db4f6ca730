/**
 * coco4j NVIDIA GPU confidential computing: SPDM measurement report ABI ({@code abi}), device chain, OCSP and report
 * verification ({@code verify}), reference integrity manifests ({@code rim}), NVIDIA's remote attestation service
 * ({@code nras}), evidence collection through NVML ({@code guest}) and a simulator ({@code sim}).
 */
module dev.coco4j.gpu {
    requires transitive dev.coco4j.core;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires com.fasterxml.jackson.databind;
    requires java.xml.crypto;
    requires okhttp3;
    requires com.nimbusds.jose.jwt;

    exports dev.coco4j.gpu.abi;
    exports dev.coco4j.gpu.verify;
    exports dev.coco4j.gpu.rim;
    exports dev.coco4j.gpu.validate;
    exports dev.coco4j.gpu.sim;
    exports dev.coco4j.gpu.guest;
    exports dev.coco4j.gpu.nras;

    provides dev.coco4j.core.spi.Attester with dev.coco4j.gpu.guest.GpuAttester;
    provides dev.coco4j.core.spi.Verifier with dev.coco4j.gpu.validate.GpuEvidenceVerifier;
}
