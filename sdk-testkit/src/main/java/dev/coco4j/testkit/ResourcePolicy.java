package dev.coco4j.testkit;

import java.util.Map;
import java.util.Objects;

/**
 * The embedded KBS's resource policy: the stand-in for Trustee's Rego {@code data.policy.allow}, as a Java predicate
 * over the verified attestation-token claims (the EAR payload: {@code submods.cpu0["ear.status"]}, the
 * annotated evidence, ...) and the requested resource. Anything but {@code true} denies, and a policy that throws
 * denies too (fail closed): the KBS then answers 401 {@code PolicyDeny} and sends no resource bytes.
 *
 * <p>Implementations must be thread-safe. For development and tests, not production.
 */
@FunctionalInterface
public interface ResourcePolicy {

    /**
     * Decides whether the holder of a token with these claims may read {@code path}.
     *
     * @param claims the verified token claims as JSON-like maps, lists, strings, numbers and booleans (a fresh copy
     *     per request, so changing it has no effect)
     * @param path the requested resource
     * @return true to release the resource
     */
    boolean allows(Map<String, Object> claims, ResourcePath path);

    /**
     * Releases every resource to every attested caller (Trustee's {@code allow_all.rego}).
     *
     * @return a stateless policy that allows every request, including one from {@code sample} evidence
     */
    static ResourcePolicy allowAll() {
        return (claims, path) -> true;
    }

    /**
     * Releases nothing (Trustee's {@code deny_all.rego}).
     *
     * @return a stateless policy that denies every request
     */
    static ResourcePolicy denyAll() {
        return (claims, path) -> false;
    }

    /**
     * Trustee's default resource policy: allow, unless any submodule's annotated evidence carries a {@code sample}
     * claim — evidence from the insecure {@code sample} attester is never good enough by default.
     *
     * @return a stateless policy; it also denies when the claims have no {@code submods} map, an empty one, or a
     *     submodule without annotated evidence
     */
    static ResourcePolicy trusteeDefault() {
        return (claims, path) -> {
            if (!(claims.get("submods") instanceof Map<?, ?> submods) || submods.isEmpty()) {
                return false;
            }
            for (Object appraisal : submods.values()) {
                if (!(appraisal instanceof Map<?, ?> a)
                        || !(a.get("ear.veraison.annotated-evidence") instanceof Map<?, ?> evidence)
                        || evidence.containsKey("sample")) {
                    return false;
                }
            }
            return true;
        };
    }

    /**
     * Allows only when every submodule's {@code ear.status} is {@code affirming} (Trustee's affirming.rego).
     *
     * @return a stateless policy; it denies when the claims have no {@code submods} map or an empty one
     */
    static ResourcePolicy affirmingOnly() {
        return (claims, path) -> {
            if (!(claims.get("submods") instanceof Map<?, ?> submods) || submods.isEmpty()) {
                return false;
            }
            return submods.values().stream()
                    .allMatch(a -> a instanceof Map<?, ?> m && "affirming".equals(m.get("ear.status")));
        };
    }

    /**
     * This policy, and then {@code other}: both must allow.
     *
     * @param other the second policy, not null; consulted only when this one allows
     * @return a policy that allows only if both allow (a throw from either denies, as for any policy)
     * @throws NullPointerException if {@code other} is null
     */
    default ResourcePolicy and(ResourcePolicy other) {
        Objects.requireNonNull(other, "other");
        return (claims, path) -> allows(claims, path) && other.allows(claims, path);
    }
}
