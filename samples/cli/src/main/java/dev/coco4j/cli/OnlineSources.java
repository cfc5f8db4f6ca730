package dev.coco4j.cli;

import dev.coco4j.sev.verify.CrlFetcher;
import dev.coco4j.sev.verify.VekFetcher;

/**
 * Where {@code verify snp} gets collateral it was not given when online. No AMD KDS client is wired in yet, so a
 * report without {@code --vcek} ends in {@code COLLATERAL_UNAVAILABLE} (exit 3); wiring one in is one line in each
 * method (e.g. {@code return new KdsClient(...)::fetchVcek;}).
 */
final class OnlineSources {
    private OnlineSources() {
    }

    /** Fetches VCEKs from AMD KDS, or null when none is available in this build. */
    static VekFetcher vekFetcher() {
        return null;
    }

    /** Fetches AMD's CRLs from KDS, or null when none is available in this build. */
    static CrlFetcher crlFetcher() {
        return null;
    }
}
