package dev.coco4j.testkit.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a test class against an {@link dev.coco4j.testkit.EmbeddedKbs} that {@link EmbeddedKbsExtension} starts once
 * for the class (HTTPS on a free loopback port, trusting a fresh simulated SEV-SNP platform) and stops after it.
 * Parameters of type {@link dev.coco4j.testkit.EmbeddedKbs}, {@link dev.coco4j.sev.sim.SimulatedSnpPlatform} and
 * {@link dev.coco4j.testkit.SimulatedSnpAttester} are injected.
 *
 * <pre>{@code
 * @EmbeddedKbsTest(resources = "default/key/app=c2VjcmV0")
 * class MyAppTest {
 *     @Test
 *     void releasesTheKey(EmbeddedKbs kbs, SimulatedSnpAttester attester) { ... }
 * }
 * }</pre>
 * For development and tests, not production.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EmbeddedKbsExtension.class)
public @interface EmbeddedKbsTest {

    /**
     * Resources to register, each {@code repo/type/tag=<standard base64 of the bytes>}.
     *
     * @return the resources, each {@code repo/type/tag=<standard base64>}; empty (default) for none. An entry
     *     without {@code =} or with invalid base64 fails the test class at start-up
     */
    String[] resources() default {};

    /**
     * Accept Trustee's {@code sample} evidence too (default false).
     *
     * @return true to accept {@code sample} evidence, as {@code EmbeddedKbs.Builder.allowSample(true)} does; false
     *     (default) to refuse it
     */
    boolean allowSample() default false;

    /**
     * Serve plain HTTP on loopback instead of HTTPS (default false).
     *
     * @return true for plain HTTP on the loopback address, false (default) for HTTPS with a fresh CA
     */
    boolean insecureHttp() default false;
}
