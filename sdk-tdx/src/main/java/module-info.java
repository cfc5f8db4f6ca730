/**
 * coco4j Intel TDX: DCAP quote ABI ({@code abi}), verification ({@code verify}), policy ({@code validate}), Intel
 * PCS/PCCS collateral ({@code pcs}), guest quote retrieval ({@code guest}) and a simulator ({@code sim}).
 */
module dev.coco4j.tdx {
    requires transitive dev.coco4j.core;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires com.fasterxml.jackson.databind;
    requires okhttp3;

    exports dev.coco4j.tdx.abi;
    exports dev.coco4j.tdx.verify;
    exports dev.coco4j.tdx.validate;
    exports dev.coco4j.tdx.pcs;
    exports dev.coco4j.tdx.guest;
    exports dev.coco4j.tdx.sim;

    provides dev.coco4j.core.spi.Attester with dev.coco4j.tdx.guest.TdxAttester;
    provides dev.coco4j.core.spi.Verifier with dev.coco4j.tdx.validate.TdxEvidenceVerifier;
}
