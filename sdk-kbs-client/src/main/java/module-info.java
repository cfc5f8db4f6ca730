/**
 * coco4j Trustee KBS client: the RCAR handshake, runtime-data binding, resources as JWE, tokens, sealed secrets, the
 * in-guest CDH/AA REST client and the KBS admin client.
 */
module dev.coco4j.kbs {
    requires transitive dev.coco4j.core;
    requires com.nimbusds.jose.jwt;
    requires com.fasterxml.jackson.databind;
    requires okhttp3;
}
