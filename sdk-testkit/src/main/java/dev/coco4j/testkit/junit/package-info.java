/**
 * JUnit Jupiter support for the embedded KBS: {@link dev.coco4j.testkit.junit.EmbeddedKbsTest} starts an
 * {@link dev.coco4j.testkit.EmbeddedKbs} per test class that trusts a fresh
 * {@link dev.coco4j.sev.sim.SimulatedSnpPlatform}, and injects both (plus a
 * {@link dev.coco4j.testkit.SimulatedSnpAttester}) into test methods and constructors. Needs JUnit Jupiter on the test
 * path (an optional dependency of the testkit). For development and tests, not production.
 */
package dev.coco4j.testkit.junit;
