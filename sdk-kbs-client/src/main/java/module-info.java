/**
 * coco4j Trustee KBS client: the KBS protocol model shared with servers ({@code dev.coco4j.kbs.protocol}), the RCAR
 * handshake and resources as JWE ({@code dev.coco4j.kbs}), evidence serialisers ({@code dev.coco4j.kbs.evidence}),
 * attestation-token verification ({@code dev.coco4j.kbs.token}), sealed secrets ({@code dev.coco4j.kbs.sealed}),
 * a KBS-released envelope KEK ({@code dev.coco4j.kbs.envelope}), the in-guest CDH/AA REST client
 * ({@code dev.coco4j.kbs.cdh}) and a KBS administration client ({@code dev.coco4j.kbs.admin}).
 */
module dev.coco4j.kbs {
    requires transitive dev.coco4j.core;
    requires transitive com.fasterxml.jackson.databind;
    requires com.nimbusds.jose.jwt;
    requires org.bouncycastle.provider;
    requires okhttp3;

    exports dev.coco4j.kbs;
    exports dev.coco4j.kbs.protocol;
    exports dev.coco4j.kbs.evidence;
    exports dev.coco4j.kbs.token;
    exports dev.coco4j.kbs.sealed;
    exports dev.coco4j.kbs.envelope;
    exports dev.coco4j.kbs.cdh;
    exports dev.coco4j.kbs.admin;
    exports dev.coco4j.kbs.internal to dev.coco4j.testkit, dev.coco4j.cli;

    uses dev.coco4j.kbs.evidence.EvidenceSerializer;
}
