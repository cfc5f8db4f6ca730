package dev.coco4j.tdx.verify;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.TcbStatus;

/**
 * A TCB status as Intel's TCB Info and QE Identity name it, plus the TDX 1.5 relaunch results. {@link #jsonName()}
 * is the exact collateral string; {@link #toCore()} maps to the cross-TEE {@link TcbStatus}.
 */
public enum TdxTcbStatus {
    /** Current. */
    UP_TO_DATE("UpToDate", TcbStatus.UP_TO_DATE),
    /** Current, software mitigations needed. */
    SW_HARDENING_NEEDED("SWHardeningNeeded", TcbStatus.SW_HARDENING_NEEDED),
    /** Current, configuration needed. */
    CONFIGURATION_NEEDED("ConfigurationNeeded", TcbStatus.CONFIGURATION_NEEDED),
    /** Current, configuration and software hardening needed. */
    CONFIGURATION_AND_SW_HARDENING_NEEDED("ConfigurationAndSWHardeningNeeded",
            TcbStatus.CONFIGURATION_AND_SW_HARDENING_NEEDED),
    /** An update is available. */
    OUT_OF_DATE("OutOfDate", TcbStatus.OUT_OF_DATE),
    /** An update is available and configuration is needed. */
    OUT_OF_DATE_CONFIGURATION_NEEDED("OutOfDateConfigurationNeeded", TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED),
    /** Revoked: never acceptable. */
    REVOKED("Revoked", TcbStatus.REVOKED),
    /**
     * TDX 1.5: the platform's TDX module was updated in place; the TD runs on the old one and should be relaunched.
     * Maps to {@link TcbStatus#OUT_OF_DATE} in the cross-TEE vocabulary.
     */
    TD_RELAUNCH_ADVISED("TDRelaunchAdvised", TcbStatus.OUT_OF_DATE),
    /** As {@link #TD_RELAUNCH_ADVISED}, with configuration needed. */
    TD_RELAUNCH_ADVISED_CONFIGURATION_NEEDED("TDRelaunchAdvisedConfigurationNeeded",
            TcbStatus.OUT_OF_DATE_CONFIGURATION_NEEDED);

    private final String jsonName;
    private final TcbStatus core;

    TdxTcbStatus(String jsonName, TcbStatus core) {
        this.jsonName = jsonName;
        this.core = core;
    }

    /**
     * The name as Intel's collateral and QVL write it.
     *
     * @return the exact string, for example {@code "UpToDate"} or {@code "TDRelaunchAdvised"}
     */
    public String jsonName() {
        return jsonName;
    }

    /**
     * The cross-TEE status.
     *
     * @return the cross-TEE status; the relaunch results map to the matching out-of-date status
     */
    public TcbStatus toCore() {
        return core;
    }

    /** True for the "configuration needed" family. */
    boolean configurationNeeded() {
        return this == CONFIGURATION_NEEDED || this == CONFIGURATION_AND_SW_HARDENING_NEEDED
                || this == OUT_OF_DATE_CONFIGURATION_NEEDED || this == TD_RELAUNCH_ADVISED_CONFIGURATION_NEEDED;
    }

    /**
     * Parses a collateral tcbStatus string (the relaunch names are results, not collateral values).
     *
     * @param s a {@code tcbStatus} value from TCB Info or QE Identity, compared case-sensitively
     * @return the status, never one of the {@code TD_RELAUNCH_ADVISED*} results
     * @throws AttestationException COLLATERAL_INVALID for any other string
     */
    public static TdxTcbStatus fromCollateral(String s) {
        for (TdxTcbStatus t : values()) {
            if (t.ordinal() <= REVOKED.ordinal() && t.jsonName.equals(s)) {
                return t;
            }
        }
        throw new AttestationException(Reason.COLLATERAL_INVALID, "unrecognised tcbStatus \"" + s + "\"");
    }

    /**
     * Parses any name from {@link #jsonName()} or the constant name, case-sensitively.
     *
     * @param s a JSON name such as {@code "OutOfDate"} or a constant name such as {@code OUT_OF_DATE}
     * @return the matching status
     * @throws IllegalArgumentException if {@code s} matches no status (or is null)
     */
    public static TdxTcbStatus fromName(String s) {
        for (TdxTcbStatus t : values()) {
            if (t.jsonName.equals(s) || t.name().equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown TCB status " + s);
    }
}
