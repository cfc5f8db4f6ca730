package dev.coco4j.azure.tpm;

/**
 * Carries one marshalled TPM 2.0 command to a TPM and returns its marshalled response. Implementations:
 * {@link TpmDeviceTransport} (a kernel resource manager character device such as {@code /dev/tpmrm0}) and
 * {@link SwtpmSocketTransport} (the swtpm data socket over TCP). Not thread-safe: one command at a time.
 */
public interface TpmTransport extends AutoCloseable {
    /**
     * Sends a command and returns the whole response.
     *
     * @param command one complete marshalled TPM 2.0 command (header included); not kept
     * @return the complete marshalled response, header included; its response code is not checked here
     * @throws dev.coco4j.core.AttestationException {@code SERVICE_UNAVAILABLE} on I/O failure
     */
    byte[] transmit(byte[] command);

    /** Releases the device or socket. */
    @Override
    void close();
}
