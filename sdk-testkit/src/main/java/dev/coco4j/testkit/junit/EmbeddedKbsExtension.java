package dev.coco4j.testkit.junit;

import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import dev.coco4j.testkit.EmbeddedKbs;
import dev.coco4j.testkit.SimulatedSnpAttester;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit Jupiter extension behind {@link EmbeddedKbsTest}: before all tests of a class it builds a
 * {@link SimulatedSnpPlatform} and starts an {@link EmbeddedKbs} trusting that platform's roots instead of AMD's, registers the annotation's resources, and
 * closes the KBS when the class's extension store is closed. Usable with {@code @ExtendWith} alone too (then with the
 * annotation's defaults). Resolves parameters of type {@link EmbeddedKbs}, {@link SimulatedSnpPlatform} and
 * {@link SimulatedSnpAttester}. Fault injection and listeners set by one test are visible to the next: call
 * {@code kbs.faults().reset()} where that matters. For development and tests, not production.
 */
public final class EmbeddedKbsExtension implements BeforeAllCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(EmbeddedKbsExtension.class);

    /** Created by JUnit. */
    public EmbeddedKbsExtension() {
    }

    private record Fixture(SimulatedSnpPlatform platform, SimulatedSnpAttester attester, EmbeddedKbs kbs)
            implements AutoCloseable {
        @Override
        public void close() {
            kbs.close();
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        fixture(context);
    }

    private Fixture fixture(ExtensionContext context) {
        ExtensionContext classContext = context;
        while (classContext.getTestMethod().isPresent() && classContext.getParent().isPresent()) {
            classContext = classContext.getParent().get();
        }
        Class<?> testClass = classContext.getRequiredTestClass();
        return classContext.getStore(NS).computeIfAbsent(testClass, c -> start(testClass), Fixture.class);
    }

    private static Fixture start(Class<?> testClass) {
        Optional<EmbeddedKbsTest> cfg = Optional.ofNullable(testClass.getAnnotation(EmbeddedKbsTest.class));
        SimulatedSnpPlatform platform = SimulatedSnpPlatform.builder().build();
        EmbeddedKbs.Builder b = EmbeddedKbs.builder()
                .trustSnpRoots(platform.trustRoots())
                .allowSample(cfg.map(EmbeddedKbsTest::allowSample).orElse(false))
                .insecureHttp(cfg.map(EmbeddedKbsTest::insecureHttp).orElse(false));
        for (String r : cfg.map(EmbeddedKbsTest::resources).orElse(new String[0])) {
            int eq = r.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("@EmbeddedKbsTest resources are repo/type/tag=<base64>");
            }
            b.resource(r.substring(0, eq), Base64.getDecoder().decode(r.substring(eq + 1)));
        }
        return new Fixture(platform, new SimulatedSnpAttester(platform), b.start());
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> t = parameter.getParameter().getType();
        return t == EmbeddedKbs.class || t == SimulatedSnpPlatform.class || t == SimulatedSnpAttester.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Fixture f = fixture(context);
        Class<?> t = parameter.getParameter().getType();
        if (t == EmbeddedKbs.class) {
            return f.kbs();
        }
        if (t == SimulatedSnpPlatform.class) {
            return f.platform();
        }
        if (t == SimulatedSnpAttester.class) {
            return f.attester();
        }
        throw new ParameterResolutionException("unsupported parameter " + t);
    }
}
