package dev.coco4j.gpu.abi;

import java.util.HexFormat;
import java.util.Optional;

/**
 * One opaque-data TLV: {@code Type u16 LE | Length u16 LE | Value[Length]}. Unknown type ids are kept as raw bytes.
 *
 * @param typeId the numeric type id
 * @param value the exact value bytes
 */
public record OpaqueField(int typeId, byte[] value) {
    /** Copies the value. */
    public OpaqueField {
        value = value.clone();
    }

    /** {@return a copy of the exact value bytes} */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /**
     * The known type, or empty for an id this SDK does not name.
     *
     * @return the {@link OpaqueFieldType} with this field's {@code typeId}, or {@link Optional#empty()} for an id this
     *     SDK does not name (the value is still kept)
     */
    public Optional<OpaqueFieldType> type() {
        return Optional.ofNullable(OpaqueFieldType.fromId(typeId));
    }

    @Override
    public String toString() {
        return "OpaqueField[" + type().map(Enum::name).orElse("type " + typeId) + "="
                + HexFormat.of().formatHex(value) + "]";
    }
}
