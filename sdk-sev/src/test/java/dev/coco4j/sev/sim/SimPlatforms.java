package dev.coco4j.sev.sim;

import dev.coco4j.sev.abi.SignerInfo.SigningKey;
import dev.coco4j.sev.abi.SnpProduct;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Platforms with default settings, created once per test JVM because each one generates five keys. */
final class SimPlatforms {
    private static final Map<String, SimulatedSnpPlatform> CACHE = new ConcurrentHashMap<>();

    private SimPlatforms() {
    }

    /** A VCEK-mode platform with its own simulated roots. */
    static SimulatedSnpPlatform vcek(SnpProduct product) {
        return get(product, SigningKey.VCEK);
    }

    /** A VLEK-mode platform under the same simulated roots as {@link #vcek(SnpProduct)}. */
    static SimulatedSnpPlatform vlek(SnpProduct product) {
        SimulatedSnpPlatform authority = vcek(product);
        return CACHE.computeIfAbsent(product + "/VLEK", k -> SimulatedSnpPlatform.builder().product(product)
                .signingKey(SigningKey.VLEK).sameAuthorityAs(authority).build());
    }

    private static SimulatedSnpPlatform get(SnpProduct product, SigningKey key) {
        return CACHE.computeIfAbsent(product + "/" + key,
                k -> SimulatedSnpPlatform.builder().product(product).signingKey(key).build());
    }
}
