package dev.coco4j.core;

import java.util.List;
import java.util.Objects;

/**
 * Root of coco4j's single exception family. Unchecked, sealed, and always carrying a stable {@link Reason}. Messages
 * never contain key material, secrets or PHI.
 *
 * <p>Subtypes say which stage refused: {@link AttestationException} (evidence rejected or unparseable),
 * {@link CollateralException} (collateral or a service unavailable), {@link KeyReleaseException} (a secret was not
 * released), {@link CiphertextException} (a ciphertext is not authentic) and {@link ConfigurationException} (misuse).
 */
public abstract sealed class CocoException extends RuntimeException
        permits AttestationException, CollateralException, KeyReleaseException, CiphertextException,
                ConfigurationException {

    /** The first failure's reason. */
    private final Reason reason;
    /** Every failed check, in the order found; never empty. */
    private final List<Failure> failures;

    /**
     * One failed check: its reason and a human-readable detail.
     *
     * @param reason the stable reason of this check; not null
     * @param detail human-readable detail for logs and the CLI, without secrets; not null
     */
    public record Failure(Reason reason, String detail) {
        /**
         * Checks the components.
         *
         * @throws NullPointerException if an argument is null
         */
        public Failure {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        @Override
        public String toString() {
            return reason + ": " + detail;
        }
    }

    /**
     * Creates the exception with one failure and its cause (may be null).
     *
     * @param reason the stable reason of the single failed check; not null
     * @param detail human-readable detail of the failure, without secrets; not null
     * @param cause the underlying exception, or null for none
     */
    protected CocoException(Reason reason, String detail, Throwable cause) {
        this(List.of(new Failure(reason, detail)), cause);
    }

    /**
     * Creates the exception with every failed check (at least one) and a cause (may be null).
     *
     * @param failures every failed check in the order found; at least one, no null elements; copied
     * @param cause the underlying exception, or null for none
     * @throws IllegalArgumentException if {@code failures} is empty
     */
    protected CocoException(List<Failure> failures, Throwable cause) {
        super(message(failures), cause);
        if (failures.isEmpty()) {
            throw new IllegalArgumentException("at least one failure");
        }
        this.failures = List.copyOf(failures);
        this.reason = this.failures.getFirst().reason();
    }

    private static String message(List<Failure> failures) {
        if (failures.size() == 1) {
            return failures.getFirst().toString();
        }
        StringBuilder sb = new StringBuilder(failures.getFirst().toString());
        sb.append(" (").append(failures.size() - 1).append(" more: ");
        for (int i = 1; i < failures.size(); i++) {
            if (i > 1) {
                sb.append("; ");
            }
            sb.append(failures.get(i));
        }
        return sb.append(')').toString();
    }

    /**
     * The primary reason: the first failed check.
     *
     * @return the reason of the first failed check; never null
     */
    public Reason reason() {
        return reason;
    }

    /**
     * Every failed check, in the order they were found; the first one is {@link #reason()}.
     *
     * @return an unmodifiable list of at least one failure, first one primary
     */
    public List<Failure> failures() {
        return failures;
    }

    /**
     * The detail of the primary failure, without the reason prefix.
     *
     * @return the first failure's detail text; never null
     */
    public String detail() {
        return failures.getFirst().detail();
    }
}
