package dev.coco4j.tdx.guest;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The TD's confidential-computing event log (ACPI CCEL), in the TCG crypto-agile format: a first
 * {@code TCG_PCR_EVENT} holding the "Spec ID Event03" (which names the digest algorithms and sizes), then
 * {@code TCG_PCR_EVENT2} records. In CCEL the index field is the measurement register: 0 = MRTD, 1..4 = RTMR0..3.
 * Parsing stops at the end of the data or at an index of {@code 0xFFFFFFFF} (the unused, 0xFF-filled log area).
 *
 * <p>{@link #replayRtmrs()} recomputes RTMR0..3 from the SHA-384 digests (RTMR = SHA-384(RTMR ‖ digest), starting at
 * zero; EV_NO_ACTION events are not extended). The log is unauthenticated input: it means something only when its
 * replay equals the RTMRs of a verified quote ({@link #mismatchedRtmrs(byte[][])}). RTMR3 runtime extensions have no
 * CCEL entry, so only RTMR0..2 can usually be enforced. Immutable.
 */
public final class CcelEventLog {
    /** Where Linux exposes the CCEL log data. */
    public static final Path DEFAULT_PATH = Path.of("/sys/firmware/acpi/tables/data/CCEL");
    /** TCG algorithm id of SHA-384. */
    public static final int TPM_ALG_SHA384 = 0x000C;
    /** EV_NO_ACTION: informational, never extended. */
    public static final long EV_NO_ACTION = 3;
    /** The largest log accepted. */
    public static final int MAX_SIZE = 16 * 1024 * 1024;

    private final List<Event> events;

    /**
     * One event.
     *
     * @param mrIndex 0 = MRTD, 1..4 = RTMR0..3
     * @param eventType the TCG event type
     * @param digests algorithm id → digest
     * @param data the event data
     */
    public record Event(int mrIndex, long eventType, Map<Integer, byte[]> digests, byte[] data) {
        /** Copies the map and array. */
        public Event {
            Map<Integer, byte[]> m = new HashMap<>();
            digests.forEach((k, v) -> m.put(k, v.clone()));
            digests = Map.copyOf(m);
            data = data.clone();
        }

        /**
         * The SHA-384 digest, if the event has one.
         *
         * @return a new copy of the 48-byte SHA-384 digest ({@code TPM_ALG_SHA384}); empty if the event carries none
         */
        public Optional<byte[]> sha384() {
            return Optional.ofNullable(digests.get(TPM_ALG_SHA384)).map(byte[]::clone);
        }

        /** {@return a copy of the event data} */
        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public String toString() {
            return "Event[mr=" + mrIndex + ", type=0x" + Long.toHexString(eventType) + ", " + data.length
                    + " bytes]";
        }
    }

    private CcelEventLog(List<Event> events) {
        this.events = List.copyOf(events);
    }

    /**
     * Reads {@link #DEFAULT_PATH} when it exists.
     *
     * @return empty if the file is absent (not a TD, or a kernel without the CCEL table)
     * @throws AttestationException MALFORMED_EVIDENCE if it is malformed, SERVICE_UNAVAILABLE if unreadable
     */
    public static Optional<CcelEventLog> readSystem() {
        return read(DEFAULT_PATH);
    }

    /**
     * Reads a CCEL file when it exists; see {@link #readSystem()}.
     *
     * @param file the CCEL file to read, not null; at most {@code MAX_SIZE} bytes
     * @return the parsed log; empty if {@code file} does not exist
     * @throws AttestationException {@code MALFORMED_EVIDENCE} if it is too large or malformed,
     *     {@code SERVICE_UNAVAILABLE} if it exists but cannot be read
     */
    public static Optional<CcelEventLog> read(Path file) {
        byte[] b;
        try {
            if (Files.size(file) > MAX_SIZE) {
                throw malformed("the event log " + file + " exceeds " + MAX_SIZE + " bytes");
            }
            b = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | SecurityException e) {
            throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "cannot read " + file + ": " + e, e);
        }
        return Optional.of(parse(b));
    }

    /**
     * Parses a crypto-agile event log.
     *
     * @param log the raw CCEL bytes, not null; read only during the call, not kept (events hold their own copies); a
     *     zero-filled tail after the last event is allowed
     * @return the log with every event after the Spec ID event
     * @throws AttestationException MALFORMED_EVIDENCE for a truncated or inconsistent log, or one without SHA-384
     */
    public static CcelEventLog parse(byte[] log) {
        try {
            ByteBuffer b = ByteBuffer.wrap(log).order(ByteOrder.LITTLE_ENDIAN);
            // TCG_PCR_EVENT: index, type, SHA-1 digest (20), size, Spec ID event
            b.getInt();
            long firstType = Integer.toUnsignedLong(b.getInt());
            b.position(b.position() + 20);
            int specSize = size(b);
            ByteBuffer spec = b.slice(b.position(), specSize).order(ByteOrder.LITTLE_ENDIAN);
            b.position(b.position() + specSize);
            byte[] sig = new byte[16];
            spec.get(sig);
            if (firstType != EV_NO_ACTION || !new String(sig, 0, 15, java.nio.charset.StandardCharsets.US_ASCII)
                    .equals("Spec ID Event03")) {
                throw malformed("the event log does not start with a crypto-agile Spec ID Event03");
            }
            spec.position(spec.position() + 8);
            int algs = spec.getInt();
            if (algs <= 0 || algs > 16) {
                throw malformed("the Spec ID event names " + algs + " digest algorithms");
            }
            Map<Integer, Integer> sizes = new HashMap<>();
            for (int i = 0; i < algs; i++) {
                sizes.put(spec.getShort() & 0xffff, spec.getShort() & 0xffff);
            }
            if (!Integer.valueOf(48).equals(sizes.get(TPM_ALG_SHA384))) {
                throw malformed("the event log has no 48-byte SHA-384 digests");
            }
            List<Event> events = new ArrayList<>();
            while (b.remaining() >= 8) {
                int index = b.getInt();
                if (index == -1) {
                    break;
                }
                long type = Integer.toUnsignedLong(b.getInt());
                if (index == 0 && type == 0 && b.remaining() >= 4 && b.getInt(b.position()) == 0) {
                    break; // zero-filled tail
                }
                int count = b.getInt();
                if (count <= 0 || count > algs) {
                    throw malformed("an event has " + count + " digests");
                }
                Map<Integer, byte[]> digests = new HashMap<>();
                for (int i = 0; i < count; i++) {
                    int alg = b.getShort() & 0xffff;
                    Integer len = sizes.get(alg);
                    if (len == null) {
                        throw malformed("an event uses digest algorithm 0x" + Integer.toHexString(alg)
                                + " that the Spec ID event does not name");
                    }
                    byte[] d = new byte[len];
                    b.get(d);
                    digests.put(alg, d);
                }
                byte[] data = new byte[size(b)];
                b.get(data);
                if (index < 0 || index > 4) {
                    throw malformed("an event is for measurement register " + index + " (CCEL has 0..4)");
                }
                events.add(new Event(index, type, digests, data));
            }
            return new CcelEventLog(events);
        } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw malformed("the event log is truncated");
        }
    }

    private static int size(ByteBuffer b) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining()) {
            throw malformed("an event size " + Integer.toUnsignedString(n) + " exceeds the " + b.remaining()
                    + " bytes left");
        }
        return n;
    }

    /**
     * The events after the Spec ID event, in order.
     *
     * @return the events in log order, an unmodifiable list; empty if the log holds only the Spec ID event
     */
    public List<Event> events() {
        return events;
    }

    /**
     * Replays RTMR0..3 from the SHA-384 digests of events for registers 1..4.
     *
     * @return four 48-byte values
     * @throws AttestationException MALFORMED_EVIDENCE if an extended event lacks a SHA-384 digest
     */
    public byte[][] replayRtmrs() {
        byte[][] r = {new byte[48], new byte[48], new byte[48], new byte[48]};
        for (Event e : events) {
            if (e.mrIndex() == 0 || e.eventType() == EV_NO_ACTION) {
                continue;
            }
            byte[] d = e.sha384().orElseThrow(() -> malformed("an RTMR event has no SHA-384 digest"));
            MessageDigest md = sha384();
            md.update(r[e.mrIndex() - 1]);
            md.update(d);
            r[e.mrIndex() - 1] = md.digest();
        }
        return r;
    }

    /**
     * The RTMR indexes (0..3) whose replayed value differs from {@code rtmrs} (for example a verified quote's body
     * RTMRs). Empty when the log explains every register.
     *
     * @param rtmrs the four expected RTMR values, RTMR0 first, not null; each compared to the 48-byte replayed value
     *     (an array of another length simply mismatches)
     * @return the indexes (0..3) that differ, ascending, in a new list; empty when all four match
     * @throws IllegalArgumentException unless {@code rtmrs} has exactly four entries
     * @throws AttestationException {@code MALFORMED_EVIDENCE} if an extended event lacks a SHA-384 digest
     */
    public List<Integer> mismatchedRtmrs(byte[][] rtmrs) {
        if (rtmrs.length != 4) {
            throw new IllegalArgumentException("4 RTMRs expected");
        }
        byte[][] replay = replayRtmrs();
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            if (!MessageDigest.isEqual(replay[i], rtmrs[i])) {
                out.add(i);
            }
        }
        return out;
    }

    private static MessageDigest sha384() {
        try {
            return MessageDigest.getInstance("SHA-384");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AttestationException malformed(String detail) {
        return new AttestationException(Reason.MALFORMED_EVIDENCE, detail);
    }

    @Override
    public String toString() {
        return "CcelEventLog[" + events.size() + " events]";
    }
}
