/**
 * coco4j core: the vocabulary shared by every TEE module ({@link dev.coco4j.core.Evidence},
 * {@link dev.coco4j.core.AttestationResult}, {@link dev.coco4j.core.Reason} and its exception family), the
 * {@link dev.coco4j.core.spi.Attester} and {@link dev.coco4j.core.spi.Verifier} service interfaces, crypto helpers,
 * collateral fetching and the configfs-tsm client.
 */
module dev.coco4j.core {
    requires org.bouncycastle.provider;
    requires com.fasterxml.jackson.databind;
    requires transitive okhttp3;

    exports dev.coco4j.core;
    exports dev.coco4j.core.spi;
    exports dev.coco4j.core.crypto;
    exports dev.coco4j.core.collateral;
    exports dev.coco4j.core.tsm;
    exports dev.coco4j.core.envelope;
    exports dev.coco4j.core.phi;
    exports dev.coco4j.core.reference;
    exports dev.coco4j.core.internal to dev.coco4j.sev, dev.coco4j.tdx, dev.coco4j.gpu, dev.coco4j.kbs, dev.coco4j.testkit, dev.coco4j.cli,
            dev.coco4j.azure;

    uses dev.coco4j.core.spi.Attester;
    uses dev.coco4j.core.spi.Verifier;
}
