package dev.coco4j.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.coco4j.core.CocoException;
import dev.coco4j.core.Evidence;
import dev.coco4j.core.ReportData;
import dev.coco4j.core.TeeType;
import dev.coco4j.sev.sim.SimulatedSnpPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Whatever an attester hands back, the writer behind {@code coco4j attest} answers with a typed {@link CocoException}
 * and writes nothing, or writes the complete set: random or truncated evidence never leaks another exception and never
 * leaves a partial directory.
 */
class EvidenceFilesProperties {
    static final ReportData RD = ReportData.ofHex("0011223344");
    static final SimulatedSnpPlatform SIM = SimulatedSnpPlatform.builder().build();
    static final Evidence GOOD = SIM.evidence(RD);

    static void assertTypedAndNothingWritten(Evidence ev) throws IOException {
        Path dir = Files.createTempDirectory("coco4j-attest");
        Path out = dir.resolve("out");
        try {
            Throwable t = catchThrowable(() -> EvidenceFiles.write(out, ev, RD));
            assertThat(t).isInstanceOf(CocoException.class);
            assertThat(out).doesNotExist();
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Property(tries = 300)
    void randomEvidenceIsATypedErrorAndWritesNothing(@ForAll @Size(max = 1400) byte[] data,
                                                     @ForAll @Size(max = 300) byte[] aux,
                                                     @ForAll @IntRange(min = 0, max = 4) int kind) throws IOException {
        TeeType tee = new TeeType[] {TeeType.SNP, TeeType.TDX, TeeType.AZ_SNP_VTPM, TeeType.AZ_TDX_VTPM,
            TeeType.SAMPLE}[kind];
        assertTypedAndNothingWritten(new Evidence(tee, data, aux));
    }

    @Property(tries = 200)
    void truncatedSnpEvidenceIsATypedErrorAndWritesNothing(@ForAll @IntRange(min = 0, max = 1183) int reportLength,
                                                           @ForAll boolean truncateTableToo,
                                                           @ForAll @IntRange(min = 1, max = 2000) int tableCut)
            throws IOException {
        byte[] table = GOOD.auxiliary();
        byte[] aux = truncateTableToo ? Arrays.copyOf(table, Math.max(0, table.length - tableCut)) : table;
        assertTypedAndNothingWritten(new Evidence(TeeType.SNP, Arrays.copyOf(GOOD.data(), reportLength), aux));
    }

    @Property(tries = 100)
    void aTruncatedCertificateTableAloneIsATypedError(@ForAll @IntRange(min = 1, max = 5000) int cut)
            throws IOException {
        byte[] table = GOOD.auxiliary();
        if (cut >= table.length) {
            return; // an empty table is a host without certificates: valid
        }
        assertTypedAndNothingWritten(new Evidence(TeeType.SNP, GOOD.data(), Arrays.copyOf(table,
                table.length - cut)));
    }
}
