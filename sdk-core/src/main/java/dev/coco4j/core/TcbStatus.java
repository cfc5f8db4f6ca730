package dev.coco4j.core;

/**
 * The security status of a platform's trusted computing base as the vendor's collateral classifies it. SEV-SNP has no
 * vendor status list: a verified SNP report whose TCB matches its VCEK reports {@link #NOT_APPLICABLE} and policy
 * minimums decide.
 */
public enum TcbStatus {
    /** The TCB is current. */
    UP_TO_DATE,
    /** Current, but software mitigations for advisories are needed. */
    SW_HARDENING_NEEDED,
    /** Current, but platform configuration is needed. */
    CONFIGURATION_NEEDED,
    /** Current, but both configuration and software hardening are needed. */
    CONFIGURATION_AND_SW_HARDENING_NEEDED,
    /** An older TCB; an update is available. */
    OUT_OF_DATE,
    /** Older TCB and configuration needed. */
    OUT_OF_DATE_CONFIGURATION_NEEDED,
    /** The TCB has been revoked. */
    REVOKED,
    /** The TEE has no vendor TCB status (SEV-SNP). */
    NOT_APPLICABLE
}
