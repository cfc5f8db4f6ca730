package dev.coco4j.tdx.verify;

import java.time.Instant;
import java.util.List;

/**
 * A TCB level keyed by one ISVSVN: used by QE Identity levels and by TDX module identity levels. Immutable.
 *
 * @param isvSvn the minimum SVN of the level
 * @param tcbDate its date
 * @param status its status
 * @param advisoryIds advisories (may be empty)
 */
public record IsvTcbLevel(int isvSvn, Instant tcbDate, TdxTcbStatus status, List<String> advisoryIds) {
    /** Copies the list. */
    public IsvTcbLevel {
        advisoryIds = List.copyOf(advisoryIds);
    }
}
