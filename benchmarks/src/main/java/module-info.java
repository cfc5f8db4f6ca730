/** JMH benchmarks for coco4j (not published). Run from the shaded benchmarks.jar on the class path. */
module dev.coco4j.benchmarks {
    requires dev.coco4j.sev;
    requires dev.coco4j.tdx;
    requires dev.coco4j.gpu;
    requires dev.coco4j.kbs;
    requires dev.coco4j.testkit;
    requires jdk.httpserver;
    requires jmh.core;
    requires org.bouncycastle.provider;
    requires com.nimbusds.jose.jwt;
    requires com.fasterxml.jackson.databind;
    requires java.desktop;
    requires java.management;

    exports dev.coco4j.benchmarks;
    exports dev.coco4j.benchmarks.jmh_generated;
    exports dev.coco4j.benchmarks.report;
    opens vectors.sev;
    opens vectors.tdx;
    opens vectors.gpu;
}
