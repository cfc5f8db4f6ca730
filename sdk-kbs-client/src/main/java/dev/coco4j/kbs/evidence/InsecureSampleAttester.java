package dev.coco4j.kbs.evidence;

import dev.coco4j.core.Evidence;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.core.spi.Attester;

/**
 * Trustee's {@code sample} attester: "evidence" that is just the report data, signed by nothing. It proves nothing and
 * exists only so tests and demos can run the KBS protocol without a TEE; a KBS accepts it only under a policy that
 * allows {@code sample}. It is never registered as a service and never picked by
 * {@link dev.coco4j.core.spi.Attesters#detect()}: it must be chosen by name.
 */
public final class InsecureSampleAttester implements Attester {

    /** Creates the attester. */
    public InsecureSampleAttester() {
    }

    @Override
    public TeeType teeType() {
        return TeeType.SAMPLE;
    }

    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public String describeAvailability() {
        return "sample attester (non-secure, test only) is always available";
    }

    @Override
    public Evidence attest(ReportData reportData) {
        return Evidence.of(TeeType.SAMPLE, reportData.toByteArray());
    }

    @Override
    public String toString() {
        return "InsecureSampleAttester[sample TEE, non-secure]";
    }
}
