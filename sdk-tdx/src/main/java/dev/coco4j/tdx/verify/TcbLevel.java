package dev.coco4j.tdx.verify;

import java.time.Instant;
import java.util.List;

/**
 * One platform TCB level of a TDX TCB Info v3: 16 SGX component SVNs, PCESVN, 16 TDX component SVNs, its date,
 * status and advisories. Immutable.
 *
 * @param sgxComponents 16 SVNs
 * @param pceSvn PCESVN
 * @param tdxComponents 16 SVNs
 * @param tcbDate the level's TCB date
 * @param status its status
 * @param advisoryIds Intel security advisory ids (may be empty)
 */
public record TcbLevel(List<Integer> sgxComponents, int pceSvn, List<Integer> tdxComponents, Instant tcbDate,
                       TdxTcbStatus status, List<String> advisoryIds) {
    /** Copies the lists. */
    public TcbLevel {
        sgxComponents = List.copyOf(sgxComponents);
        tdxComponents = List.copyOf(tdxComponents);
        advisoryIds = List.copyOf(advisoryIds);
    }
}
