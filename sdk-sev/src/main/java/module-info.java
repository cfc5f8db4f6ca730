/**
 * coco4j AMD SEV-SNP: report ABI ({@code abi}), authenticity ({@code verify}), policy ({@code validate}), AMD KDS
 * ({@code kds}), guest report retrieval ({@code guest}) and a simulator ({@code sim}).
 */
module dev.coco4j.sev {
    requires transitive dev.coco4j.core;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires okhttp3;

    exports dev.coco4j.sev.abi;
    exports dev.coco4j.sev.verify;
    exports dev.coco4j.sev.validate;
    exports dev.coco4j.sev.kds;
    exports dev.coco4j.sev.guest;
    exports dev.coco4j.sev.sim;

    provides dev.coco4j.core.spi.Attester with dev.coco4j.sev.guest.SnpAttester;
    provides dev.coco4j.core.spi.Verifier with dev.coco4j.sev.validate.SnpEvidenceVerifier;
}
