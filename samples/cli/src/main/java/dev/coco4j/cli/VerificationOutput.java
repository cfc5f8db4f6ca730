package dev.coco4j.cli;

import dev.coco4j.core.AttestationResult;
import dev.coco4j.core.CocoException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The output of every {@code verify} command, per CLI.md: on success the human summary or, with {@code --json}, one
 * object {@code {"accepted": true, "tee", "warnings", "claims"}}; on refusal with {@code --json} the object
 * {@code {"accepted": false, "tee", "reason", "detail", "warnings": [], "claims": {}}} before the exception goes on
 * to the shared failure handler (which prints {@code <REASON>: detail} on stderr and sets the exit code).
 */
final class VerificationOutput {
    private VerificationOutput() {
    }

    /** Runs {@code verification} and prints its result; returns exit code 0 or rethrows the refusal. */
    static int run(PrintWriter out, boolean json, String tee, Supplier<AttestationResult> verification,
                   BiConsumer<PrintWriter, AttestationResult> human) {
        try {
            AttestationResult result = verification.get();
            if (json) {
                Json.print(out, accepted(tee, result));
            } else {
                human.accept(out, result);
            }
            out.flush();
            return 0;
        } catch (CocoException e) {
            if (json) {
                Json.print(out, refused(tee, e));
            }
            throw e;
        }
    }

    static Map<String, Object> accepted(String tee, AttestationResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accepted", true);
        m.put("tee", tee);
        m.put("warnings", r.warnings());
        m.put("claims", r.claims());
        return m;
    }

    static Map<String, Object> refused(String tee, CocoException e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("accepted", false);
        m.put("tee", tee);
        m.put("reason", e.reason().name());
        m.put("detail", Failures.oneLine(e.detail()));
        m.put("warnings", List.of());
        m.put("claims", Map.of());
        return m;
    }
}
