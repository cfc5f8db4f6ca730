/** JMH benchmarks for coco4j (not published). */
module dev.coco4j.benchmarks {
    requires dev.coco4j.sev;
    requires jmh.core;

    exports dev.coco4j.benchmarks;
    exports dev.coco4j.benchmarks.jmh_generated;
}
