/**
 * coco4j testkit: an embeddable KBS speaking the Trustee protocol on a loopback port, verifying evidence with this
 * SDK, and JUnit 5 extensions to run attest, release and decrypt in an application's tests. For development and
 * tests, not production.
 */
module dev.coco4j.testkit {
    requires transitive dev.coco4j.core;
    requires transitive dev.coco4j.kbs;
    requires transitive dev.coco4j.sev;
    requires transitive dev.coco4j.tdx;
    requires transitive dev.coco4j.gpu;
    requires transitive dev.coco4j.azure;
    requires com.nimbusds.jose.jwt;
    requires com.fasterxml.jackson.databind;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires jdk.httpserver;
    requires static org.junit.jupiter.api;

    exports dev.coco4j.testkit;
    exports dev.coco4j.testkit.junit;
}
