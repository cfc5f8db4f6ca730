package dev.coco4j.core.spi;

import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TeeType;
import java.util.ServiceLoader;

/** Finds {@link Verifier} implementations through {@link ServiceLoader}. */
public final class Verifiers {
    private Verifiers() {
    }

    /**
     * The verifier for a TEE.
     *
     * @param tee the TEE type; not null
     * @return the first installed verifier for {@code tee}
     * @throws ConfigurationException if no installed module verifies that TEE
     */
    public static Verifier forTee(TeeType tee) {
        for (Verifier v : ServiceLoader.load(Verifier.class, Verifiers.class.getClassLoader())) {
            if (v.teeType() == tee) {
                return v;
            }
        }
        throw new ConfigurationException(Reason.CONFIGURATION, "no verifier installed for " + tee.id());
    }
}
