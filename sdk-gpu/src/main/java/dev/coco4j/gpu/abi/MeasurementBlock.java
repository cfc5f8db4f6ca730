package dev.coco4j.gpu.abi;

import java.util.HexFormat;

/**
 * One SPDM measurement block (DMTF measurement specification).
 *
 * <pre>
 * off size field
 *   0    1 Index
 *   1    1 MeasurementSpecification   0x01 = DMTF (required)
 *   2    2 MeasurementSize u16 LE     = 3 + value size
 *   4    1 DMTFSpecMeasurementValueType
 *   5    2 DMTFSpecMeasurementValueSize u16 LE
 *   7    n DMTFSpecMeasurementValue   (48-byte SHA-384 digests on Hopper and Blackwell)
 * </pre>
 *
 * @param index the block index (1-based; RIM index i corresponds to block index i+1)
 * @param specification the measurement specification byte (always 1 after parsing)
 * @param valueType the DMTF value type
 * @param value the measurement value
 */
public record MeasurementBlock(int index, int specification, int valueType, byte[] value) {
    /** Copies the value. */
    public MeasurementBlock {
        value = value.clone();
    }

    /** {@return a copy of the measurement value} */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /**
     * The value as lower-case hex.
     *
     * @return the measurement value as lower-case hex without separators (96 characters for a SHA-384 digest)
     */
    public String valueHex() {
        return HexFormat.of().formatHex(value);
    }

    /**
     * True if every byte of the value is zero (NVIDIA's marker for an unused index).
     *
     * @return {@code true} if the value is empty or every byte is zero, {@code false} otherwise
     */
    public boolean isZero() {
        for (byte b : value) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "MeasurementBlock[index=" + index + ", type=" + valueType + ", value=" + valueHex() + "]";
    }
}
