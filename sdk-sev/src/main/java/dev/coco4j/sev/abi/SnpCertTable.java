package dev.coco4j.sev.abi;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The GHCB certificate table (GHCB spec 56421 §4.1.8.1) that extended reports and configfs-tsm {@code auxblob} carry:
 * 24-byte entries {@code {GUID[16], u32 offset LE, u32 length LE}} ended by an all-zero entry, followed by the blobs
 * the offsets point to (relative to the start of the table). GUID bytes are in RFC 4122 (string) order. Entries with
 * unknown GUIDs are kept. Immutable.
 *
 * @param entries the entries in table order
 */
public record SnpCertTable(List<Entry> entries) {
    /** GUID of the VCEK entry. */
    public static final UUID VCEK = UUID.fromString("63da758d-e664-4564-adc5-f4b93be8accd");
    /** GUID of the VLEK entry. */
    public static final UUID VLEK = UUID.fromString("a8074bc2-a25a-483e-aae6-39c045a0b8a1");
    /** GUID of the ASK entry (also used for the ASVK). */
    public static final UUID ASK = UUID.fromString("4ab7b379-bbac-4fe4-a02f-05aef327c782");
    /** GUID of the ARK entry. Never trusted: the pinned ARK is. */
    public static final UUID ARK = UUID.fromString("c0b406a4-a803-4952-9743-3fb6014cd0ae");

    private static final int ENTRY_SIZE = 24;
    /** Upper bound on entries, so a hostile table cannot make the parser loop or allocate without limit. */
    public static final int MAX_ENTRIES = 64;

    /**
     * One table entry.
     *
     * @param guid the entry's GUID
     * @param data the blob (a DER certificate for the AMD GUIDs)
     */
    public record Entry(UUID guid, byte[] data) {
        /** Copies the data. */
        public Entry {
            data = data.clone();
        }

        /** {@return a copy of the blob (a DER certificate for the AMD GUIDs)} */
        @Override
        public byte[] data() {
            return data.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && e.guid.equals(guid) && Arrays.equals(e.data, data);
        }

        @Override
        public int hashCode() {
            return guid.hashCode() * 31 + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Entry[" + guid + ", " + data.length + " bytes]";
        }
    }

    /** Copies the list. */
    public SnpCertTable {
        entries = List.copyOf(entries);
    }

    /**
     * The first entry's data for a GUID.
     *
     * @param guid the GUID to look for, e.g. {@link #VCEK}; not {@code null}
     * @return a copy of the first matching entry's blob, or empty if no entry has that GUID
     */
    public Optional<byte[]> find(UUID guid) {
        return entries.stream().filter(e -> e.guid.equals(guid)).findFirst().map(Entry::data);
    }

    /**
     * Parses a table. An empty input is an empty table (hosts that provision no certificates).
     *
     * @param bytes the table with its blobs, not {@code null}; not kept (each blob is copied)
     * @return the parsed table; empty for an empty input
     * @throws AttestationException {@link Reason#MALFORMED_EVIDENCE} if the table has no terminator, too many entries,
     *     or an entry pointing into the header or past the end
     */
    public static SnpCertTable parse(byte[] bytes) {
        if (bytes.length == 0) {
            return new SnpCertTable(List.of());
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        List<long[]> raw = new ArrayList<>();
        List<UUID> guids = new ArrayList<>();
        int pos = 0;
        while (true) {
            if (pos + ENTRY_SIZE > bytes.length) {
                throw malformed("certificate table has no all-zero terminator entry");
            }
            long msb = ByteBuffer.wrap(bytes, pos, 8).getLong();
            long lsb = ByteBuffer.wrap(bytes, pos + 8, 8).getLong();
            long off = Integer.toUnsignedLong(b.getInt(pos + 16));
            long len = Integer.toUnsignedLong(b.getInt(pos + 20));
            pos += ENTRY_SIZE;
            if (msb == 0 && lsb == 0 && off == 0 && len == 0) {
                break;
            }
            if (raw.size() == MAX_ENTRIES) {
                throw malformed("certificate table has more than " + MAX_ENTRIES + " entries");
            }
            guids.add(new UUID(msb, lsb));
            raw.add(new long[] {off, len});
        }
        int headerEnd = pos;
        List<Entry> entries = new ArrayList<>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            long off = raw.get(i)[0];
            long len = raw.get(i)[1];
            if (off < headerEnd || off + len > bytes.length) {
                throw malformed("certificate table entry " + guids.get(i) + " points outside the table (offset " + off
                        + ", length " + len + ", table " + bytes.length + " bytes)");
            }
            entries.add(new Entry(guids.get(i), Arrays.copyOfRange(bytes, (int) off, (int) (off + len))));
        }
        return new SnpCertTable(entries);
    }

    /**
     * Serialises the table: header with terminator, then the blobs in entry order.
     *
     * @return a new array: the entries, an all-zero terminator entry, then the blobs, with offsets from the table start
     */
    public byte[] toBytes() {
        int headerLen = (entries.size() + 1) * ENTRY_SIZE;
        int total = headerLen + entries.stream().mapToInt(e -> e.data.length).sum();
        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        int off = headerLen;
        for (Entry e : entries) {
            ByteBuffer.wrap(b.array(), b.position(), 16).putLong(e.guid.getMostSignificantBits())
                    .putLong(e.guid.getLeastSignificantBits());
            b.position(b.position() + 16);
            b.putInt(off).putInt(e.data.length);
            off += e.data.length;
        }
        b.position(headerLen);
        for (Entry e : entries) {
            b.put(e.data);
        }
        return b.array();
    }

    private static AttestationException malformed(String detail) {
        return new AttestationException(Reason.MALFORMED_EVIDENCE, detail);
    }
}
