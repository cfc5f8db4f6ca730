package dev.coco4j.tdx.verify;

import java.util.List;

/**
 * The expected TDX module signer and attributes from TCB Info: {@code tdxModule} (id empty, no levels) or one of
 * {@code tdxModuleIdentities} ("TDX_01", "TDX_03", ...). Immutable.
 *
 * @param id "TDX_%02X" or empty for the legacy {@code tdxModule}
 * @param mrSigner 48 bytes
 * @param attributes 8 bytes
 * @param attributesMask 8 bytes
 * @param tcbLevels module levels by ISVSVN (TEE_TCB_SVN[0]), descending
 */
public record TdxModuleIdentity(String id, byte[] mrSigner, byte[] attributes, byte[] attributesMask,
                                List<IsvTcbLevel> tcbLevels) {
    /** Copies the arrays and list. */
    public TdxModuleIdentity {
        mrSigner = mrSigner.clone();
        attributes = attributes.clone();
        attributesMask = attributesMask.clone();
        tcbLevels = List.copyOf(tcbLevels);
    }

    /** {@return a copy of 48 bytes} */
    @Override
    public byte[] mrSigner() {
        return mrSigner.clone();
    }

    /** {@return a copy of 8 bytes} */
    @Override
    public byte[] attributes() {
        return attributes.clone();
    }

    /** {@return a copy of 8 bytes} */
    @Override
    public byte[] attributesMask() {
        return attributesMask.clone();
    }
}
