package dev.coco4j.core;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The outcome of a successful verification: only ever built on a path that checked the signature, the chain to a
 * trusted root, and the collateral the TEE requires. A refusal is an {@link AttestationException}, never a result.
 *
 * @param tee the TEE whose evidence was verified
 * @param claims the verified fields in lower_snake_case, bytes as lower-case hex, in a stable order
 * @param tcbStatus the platform's TCB status, {@link TcbStatus#NOT_APPLICABLE} where the TEE has none
 * @param warnings conditions that did not refuse the evidence but that a caller should see (e.g. "revocation not
 *     checked")
 * @param verifiedAt the instant the verification was performed "as of"
 */
public record AttestationResult(TeeType tee, Map<String, Object> claims, TcbStatus tcbStatus, List<String> warnings,
                                Instant verifiedAt) {

    /** Copies the collections into unmodifiable ones, keeping the claims' order. */
    public AttestationResult {
        Objects.requireNonNull(tee, "tee");
        Objects.requireNonNull(tcbStatus, "tcbStatus");
        Objects.requireNonNull(verifiedAt, "verifiedAt");
        claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
        warnings = List.copyOf(warnings);
    }

    /**
     * A claim's value, or null.
     *
     * @param name the claim name in lower_snake_case, as in {@link #claims()}
     * @return the verified value of that claim, or null if the result has no such claim
     */
    public Object claim(String name) {
        return claims.get(name);
    }

    /**
     * A copy of this result with one more warning.
     *
     * @param warning the warning text to append after the existing ones; not null
     * @return a new result with the same claims and the warning added; this result is unchanged
     */
    public AttestationResult withWarning(String warning) {
        List<String> w = new java.util.ArrayList<>(warnings);
        w.add(warning);
        return new AttestationResult(tee, claims, tcbStatus, w, verifiedAt);
    }
}
