package dev.coco4j.core.tsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.CocoException;
import dev.coco4j.core.ConfigurationException;
import dev.coco4j.core.Reason;
import dev.coco4j.core.ReportData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigfsTsmTest {
    private static final Path ROOT = Path.of("/fake/tsm/report");

    private final FakeConfigfs fake = new FakeConfigfs(ROOT);
    private final ConfigfsTsm tsm = ConfigfsTsm.builder().root(ROOT).filesystem(fake).build();

    @AfterEach
    void everyEntryIsRemoved() {
        assertThat(fake.entries).isEmpty();
        assertThat(fake.removed).containsExactlyInAnyOrderElementsOf(fake.created);
    }

    @Test
    void providerIsReadFromAShortLivedEntryAndEmptyWhenAbsent() {
        assertThat(tsm.provider()).contains("sev_guest");
        assertThat(fake.created).hasSize(1);
        fake.provider = "tdx_guest\n";
        assertThat(tsm.provider()).contains("tdx_guest");
        fake.rootPresent = false;
        assertThat(tsm.provider()).isEmpty();
        assertThat(fake.created).hasSize(2);
    }

    /** A request with a one-byte inblob. */
    private static TsmRequest.Builder req() {
        return TsmRequest.builder().inblob(new byte[] {1});
    }

    private static byte[] nonce() {
        byte[] n = new byte[64];
        for (int i = 0; i < n.length; i++) {
            n[i] = (byte) (i + 1);
        }
        return n;
    }

    @Test
    void happyPathReturnsOutputsAndTrimmedProvider() {
        TsmReport r = tsm.generate(TsmRequest.builder().inblob(nonce()).expectedProvider("sev_guest").build());

        assertThat(r.provider()).isEqualTo("sev_guest");
        assertThat(r.outblob()).isEqualTo(FakeConfigfs.concat("report:".getBytes(StandardCharsets.US_ASCII),
                nonce(), new byte[] {0}));
        assertThat(r.auxblob()).isEqualTo("certs".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.manifestblob()).isEmpty();
        assertThat(r.generation()).isEqualTo(1);
        assertThat(fake.created).hasSize(1);
        assertThat(fake.created.getFirst().getParent()).isEqualTo(ROOT);
        assertThat(fake.created.getFirst().getFileName().toString()).startsWith("coco4j-");
    }

    @Test
    void shortInblobAndPrivlevelAreWrittenAndCounted() {
        fake.initialGeneration = 41;
        TsmReport r = tsm.generate(TsmRequest.builder().reportData(ReportData.of(new byte[] {9})).privlevel(2)
                .build());
        assertThat(r.generation()).isEqualTo(43);
        byte[] out = r.outblob();
        assertThat(out[7]).isEqualTo((byte) 9);
        assertThat(out[out.length - 1]).isEqualTo((byte) 2);
    }

    @Test
    void privlevelWrittenAsDecimalTextBeforeInblob() {
        fake.beforeOutblobRead = e -> assertThat(e.writes).containsExactly("privlevel=1",
                "inblob=" + new String(new byte[] {7}, StandardCharsets.US_ASCII));
        tsm.generate(TsmRequest.builder().inblob(new byte[] {7}).privlevel(1).build());
    }

    @Test
    void servicesAreWrittenWhenSupportedAndManifestReturned() {
        fake.hasService = true;
        UUID guid = UUID.fromString("c476f1eb-0123-45a5-9641-b4e7dde5bfe3");
        TsmReport r = tsm.generate(TsmRequest.builder().inblob(nonce()).serviceProvider("svsm").serviceGuid(guid)
                .serviceManifestVersion(0).build());
        assertThat(r.generation()).isEqualTo(4);
        assertThat(r.manifestblob()).isEqualTo("manifest".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void serviceRequestWithoutAttributeIsAConfigurationError() {
        assertThatThrownBy(() -> tsm.generate(TsmRequest.builder().inblob(nonce()).serviceProvider("svsm").build()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("no service_provider attribute")
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(fake.created).hasSize(1);
    }

    @Test
    void inblobLongerThan64BytesIsRejectedBeforeAnyIo() {
        assertThatThrownBy(() -> TsmRequest.builder().inblob(new byte[65]).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("at most 64 bytes");
        assertThat(fake.created).isEmpty();
    }

    @Test
    void emptyInblobIsRejectedBecauseConfigfsWouldNotCountIt() {
        assertThatThrownBy(() -> TsmRequest.builder().build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("at least one byte");
        assertThat(TsmRequest.of(dev.coco4j.core.ReportData.zero()).inblob()).hasSize(64);
    }

    @Test
    void requestRangeChecks() {
        assertThatThrownBy(() -> req().privlevel(4).build())
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> req().privlevel(-1).build())
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> req().serviceGuid(new UUID(0, 0)).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("need a service_provider");
        assertThatThrownBy(() -> req().serviceProvider("svsm").serviceManifestVersion(-1).build())
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> req().serviceProvider("svsm\nx").build())
                .isInstanceOf(ConfigurationException.class);
        assertThat(req().privlevel(1).serviceProvider("svsm").serviceGuid(new UUID(0, 0)).build()
                .inputWrites()).isEqualTo(4);
    }

    @Test
    void requestIsImmutable() {
        byte[] in = {1, 2, 3};
        TsmRequest r = TsmRequest.builder().inblob(in).build();
        in[0] = 9;
        r.inblob()[1] = 9;
        assertThat(r.inblob()).containsExactly(1, 2, 3);
        assertThat(r).isEqualTo(TsmRequest.builder().inblob(new byte[] {1, 2, 3}).build());
    }

    @Test
    void privlevelBelowFloorIsRejectedWithoutWriting() {
        fake.privlevelFloor = 2;
        fake.beforeOutblobRead = e -> {
            throw new AssertionError("must not get this far");
        };
        assertThatThrownBy(() -> tsm.generate(TsmRequest.builder().inblob(nonce()).privlevel(1).build()))
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("below this guest's privlevel_floor 2");
    }

    @Test
    void privlevelWithoutAttributeIsAConfigurationError() {
        fake.hasPrivlevel = false;
        assertThatThrownBy(() -> tsm.generate(TsmRequest.builder().inblob(nonce()).privlevel(0).build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("no privlevel attribute");
    }

    @Test
    void concurrentWriterOnceIsRetried() {
        AtomicInteger reads = new AtomicInteger();
        fake.beforeOutblobRead = e -> {
            if (reads.incrementAndGet() == 1) {
                e.generation += 5;
            }
        };
        TsmReport r = tsm.generate(TsmRequest.builder().inblob(nonce()).build());
        assertThat(r.generation()).isEqualTo(1);
        assertThat(fake.created).hasSize(2);
    }

    @Test
    void concurrentWriterEveryTimeFailsAfterBoundedAttempts() {
        fake.beforeOutblobRead = e -> e.generation++;
        assertThatThrownBy(() -> tsm.generate(TsmRequest.builder().inblob(nonce()).build()))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("concurrent writer in all 3 attempts")
                .hasMessageContaining("generation went from 0 to 2")
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
        assertThat(fake.created).hasSize(ConfigfsTsm.DEFAULT_MAX_ATTEMPTS);
    }

    @Test
    void maxAttemptsIsConfigurableAndBounded() {
        fake.beforeOutblobRead = e -> e.generation++;
        ConfigfsTsm once = ConfigfsTsm.builder().root(ROOT).filesystem(fake).maxAttempts(1).build();
        assertThatThrownBy(() -> once.generate(req().build()))
                .isInstanceOf(AttestationException.class);
        assertThat(fake.created).hasSize(1);
        assertThatThrownBy(() -> ConfigfsTsm.builder().maxAttempts(0)).isInstanceOf(ConfigurationException.class);
    }

    @Test
    void concurrentCallersUseSeparateEntries() throws Exception {
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
            var futures = new java.util.ArrayList<java.util.concurrent.Future<TsmReport>>();
            for (int i = 0; i < 40; i++) {
                byte[] in = {(byte) i};
                futures.add(pool.submit(() -> tsm.generate(TsmRequest.builder().inblob(in).build())));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get().outblob()[7]).isEqualTo((byte) i);
            }
        }
        assertThat(fake.created).hasSize(40).doesNotHaveDuplicates();
    }

    @Test
    void missingRootIsNotAvailable() {
        fake.rootPresent = false;
        assertThat(tsm.isAvailable()).isFalse();
        assertThatThrownBy(() -> tsm.generate(req().build()))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("not present at " + ROOT)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.CONFIGURATION);
        assertThat(fake.created).isEmpty();
    }

    @Test
    void unexpectedProviderIsRefused() {
        fake.provider = "tdx_guest\n";
        assertThatThrownBy(() -> tsm.generate(req().expectedProvider("sev_guest").build()))
                .isInstanceOf(AttestationException.class)
                .hasMessageContaining("provider is 'tdx_guest', expected 'sev_guest'")
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.CONFIGURATION);
    }

    @Test
    void emptyOutblobIsMalformed() {
        fake.outblob = e -> new byte[0];
        assertThatThrownBy(() -> tsm.generate(req().build()))
                .isInstanceOf(AttestationException.class)
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
    }

    @Test
    void oversizedOutblobAndAuxblobAreMalformed() {
        fake.outblob = e -> new byte[ConfigfsTsm.MAX_OUTBLOB + 1];
        assertThatThrownBy(() -> tsm.generate(req().build()))
                .isInstanceOf(AttestationException.class).hasMessageContaining("outblob exceeds")
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
        fake.outblob = e -> new byte[ConfigfsTsm.MAX_OUTBLOB];
        fake.auxblob = new byte[ConfigfsTsm.MAX_AUXBLOB + 1];
        assertThatThrownBy(() -> tsm.generate(req().build()))
                .isInstanceOf(AttestationException.class).hasMessageContaining("auxblob exceeds")
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.MALFORMED_EVIDENCE);
    }

    @Test
    void absentAuxblobIsEmpty() {
        fake.hasAuxblob = false;
        assertThat(tsm.generate(req().build()).auxblob()).isEmpty();
    }

    @Test
    void writeFailureIsServiceUnavailable() {
        fake.failingWrite = "inblob";
        assertThatThrownBy(() -> tsm.generate(req().build()))
                .isInstanceOf(AttestationException.class).hasMessageContaining("cannot write configfs-tsm inblob")
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
    }

    @Test
    void reportIsImmutable() {
        byte[] out = {1, 2};
        TsmReport r = new TsmReport(out, null, null, "sev_guest", 3);
        out[0] = 9;
        r.outblob()[1] = 9;
        assertThat(r.outblob()).containsExactly(1, 2);
        assertThat(r.auxblob()).isEmpty();
        assertThat(r).isEqualTo(new TsmReport(new byte[] {1, 2}, new byte[0], new byte[0], "sev_guest", 3));
        assertThat(r.toString()).contains("sev_guest", "2 bytes");
    }

    @Test
    void systemFilesystemOnAPlainDirectoryFailsClosedAndCleansUp(@TempDir Path dir) throws Exception {
        ConfigfsTsm real = ConfigfsTsm.builder().root(dir).build();
        assertThat(real.isAvailable()).isTrue();
        // A plain directory is not configfs: mkdir creates no provider file, so the read fails.
        assertThatThrownBy(() -> real.generate(req().build()))
                .isInstanceOf(AttestationException.class).hasMessageContaining("cannot read configfs-tsm provider")
                .extracting(e -> ((CocoException) e).reason()).isEqualTo(Reason.SERVICE_UNAVAILABLE);
        try (var s = Files.list(dir)) {
            assertThat(s).isEmpty();
        }
        assertThat(ConfigfsTsm.builder().root(dir.resolve("absent")).build().isAvailable()).isFalse();
        assertThat(ConfigfsTsm.system().root()).isEqualTo(ConfigfsTsm.DEFAULT_ROOT);
    }

    @Test
    void systemFilesystemReadsAreCappedAndWritesDoNotCreate(@TempDir Path dir) throws Exception {
        TsmFilesystem fs = TsmFilesystem.system();
        Path f = dir.resolve("outblob");
        byte[] big = new byte[100];
        Arrays.fill(big, (byte) 7);
        Files.write(f, big);
        assertThat(fs.read(f, 10)).hasSize(11);
        assertThat(fs.read(f, 1000)).hasSize(100);
        fs.write(f, new byte[] {1, 2});
        assertThat(Files.readAllBytes(f)).startsWith(1, 2, 7);
        assertThatThrownBy(() -> fs.write(dir.resolve("inblob"), new byte[1])).isInstanceOf(java.io.IOException.class);
        Path sub = dir.resolve("entry");
        fs.createDirectory(sub);
        assertThat(fs.isDirectory(sub)).isTrue();
        assertThat(fs.exists(f)).isTrue();
        fs.deleteDirectory(sub);
        assertThat(fs.exists(sub)).isFalse();
    }
}
