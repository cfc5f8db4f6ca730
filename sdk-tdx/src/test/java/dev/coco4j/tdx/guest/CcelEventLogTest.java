package dev.coco4j.tdx.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A synthetic crypto-agile CCEL (SHA-384 only), built here byte by byte. */
class CcelEventLogTest {
    static byte[] le(int size, java.util.function.Consumer<ByteBuffer> f) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        f.accept(b);
        return b.array();
    }

    static byte[] specId() {
        ByteArrayOutputStream ev = new ByteArrayOutputStream();
        ev.writeBytes("Spec ID Event03\0".getBytes(StandardCharsets.US_ASCII));
        ev.writeBytes(le(8, b -> b.putInt(0).put((byte) 0).put((byte) 2).put((byte) 0).put((byte) 2)));
        ev.writeBytes(le(8, b -> b.putInt(1).putShort((short) 0x0C).putShort((short) 48)));
        ev.write(0);
        byte[] e = ev.toByteArray();
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(le(8, b -> b.putInt(0).putInt(3)));
        o.writeBytes(new byte[20]);
        o.writeBytes(le(4, b -> b.putInt(e.length)));
        o.writeBytes(e);
        return o.toByteArray();
    }

    static byte[] event(int mr, int type, byte[] digest, byte[] data) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(le(14, b -> b.putInt(mr).putInt(type).putInt(1).putShort((short) 0x0C)));
        o.writeBytes(digest);
        o.writeBytes(le(4, b -> b.putInt(data.length)));
        o.writeBytes(data);
        return o.toByteArray();
    }

    static byte[] sha384(byte[]... parts) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-384");
        for (byte[] p : parts) {
            d.update(p);
        }
        return d.digest();
    }

    static byte[] log(byte[] d1, byte[] d2, byte[] d3) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.writeBytes(specId());
        o.writeBytes(event(1, 0x80000001, d1, "a".getBytes(StandardCharsets.US_ASCII)));
        o.writeBytes(event(1, 0x80000002, d2, new byte[0]));
        o.writeBytes(event(3, 0x0d, d3, new byte[5]));
        o.writeBytes(event(2, 3, new byte[48], new byte[0])); // EV_NO_ACTION: not extended
        byte[] tail = new byte[64];
        Arrays.fill(tail, (byte) 0xff);
        o.writeBytes(tail);
        return o.toByteArray();
    }

    @Test
    void replaysRtmrsAndComparesThem() throws Exception {
        byte[] d1 = sha384("one".getBytes());
        byte[] d2 = sha384("two".getBytes());
        byte[] d3 = sha384("three".getBytes());
        CcelEventLog l = CcelEventLog.parse(log(d1, d2, d3));
        assertThat(l.events()).hasSize(4);
        byte[] rtmr0 = sha384(sha384(new byte[48], d1), d2);
        byte[] rtmr2 = sha384(new byte[48], d3);
        byte[][] replay = l.replayRtmrs();
        assertThat(replay[0]).isEqualTo(rtmr0);
        assertThat(replay[1]).isEqualTo(new byte[48]);
        assertThat(replay[2]).isEqualTo(rtmr2);
        assertThat(l.mismatchedRtmrs(new byte[][] {rtmr0, new byte[48], rtmr2, new byte[48]})).isEmpty();
        assertThat(l.mismatchedRtmrs(new byte[][] {rtmr0, new byte[48], new byte[48], new byte[48]}))
                .containsExactly(2);
    }

    @Test
    void readsAFileWhenItExistsAndNothingOtherwise(@TempDir Path dir) throws Exception {
        assertThat(CcelEventLog.read(dir.resolve("CCEL"))).isEmpty();
        Files.write(dir.resolve("CCEL"), log(new byte[48], new byte[48], new byte[48]));
        assertThat(CcelEventLog.read(dir.resolve("CCEL"))).get().extracting(l -> l.events().size()).isEqualTo(4);
    }

    @Test
    void truncatedOrForeignLogsAreMalformed() {
        byte[] good = log(new byte[48], new byte[48], new byte[48]);
        assertThatThrownBy(() -> CcelEventLog.parse(Arrays.copyOf(good, good.length - 100)))
                .isInstanceOfSatisfying(AttestationException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE));
        byte[] notSpec = good.clone();
        notSpec[32] = 'X';
        assertThatThrownBy(() -> CcelEventLog.parse(notSpec)).isInstanceOfSatisfying(AttestationException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_EVIDENCE));
        assertThatThrownBy(() -> CcelEventLog.parse(new byte[10])).isInstanceOf(AttestationException.class);
    }
}
