/**
 * coco4j Trustee KBS client: the RCAR handshake, runtime-data binding, resources as JWE, tokens, sealed secrets, the
 * in-guest CDH/AA REST client and the KBS admin client.
 */
module dev.coco4j.kbs {
    requires transitive dev.coco4j.core;
    requires transitive com.fasterxml.jackson.databind;
    requires com.nimbusds.jose.jwt;
    requires okhttp3;

    exports dev.coco4j.kbs;
    exports dev.coco4j.kbs.protocol;
    exports dev.coco4j.kbs.evidence;

    uses dev.coco4j.kbs.evidence.EvidenceSerializer;
    // exports dev.coco4j.kbs.sealed;
    exports dev.coco4j.kbs.token;
    exports dev.coco4j.kbs.internal to dev.coco4j.testkit, dev.coco4j.cli;
}
