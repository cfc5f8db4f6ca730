package dev.coco4j.azure.tpm;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * A TPM behind a Linux character device ({@code /dev/tpmrm0}, the in-kernel resource manager): the command is
 * written in one {@code write(2)} and the response is read in one {@code read(2)}, as the kernel driver requires.
 * Plain {@link FileChannel} I/O; no native code.
 */
public final class TpmDeviceTransport implements TpmTransport {
    /** The resource-manager device of the first TPM. */
    public static final Path DEFAULT_DEVICE = Path.of("/dev/tpmrm0");
    private static final int MAX_RESPONSE = 8192;

    private final Path path;
    private final FileChannel channel;

    private TpmDeviceTransport(Path path, FileChannel channel) {
        this.path = path;
        this.channel = channel;
    }

    /**
     * Opens the device for reading and writing.
     *
     * @param device the TPM character device, usually {@link #DEFAULT_DEVICE}
     * @return an open transport holding the device; close it when done
     * @throws AttestationException {@code SERVICE_UNAVAILABLE} if it cannot be opened
     */
    public static TpmDeviceTransport open(Path device) {
        try {
            return new TpmDeviceTransport(device, FileChannel.open(device, StandardOpenOption.READ,
                    StandardOpenOption.WRITE));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "cannot open the TPM device " + device + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    @Override
    public byte[] transmit(byte[] command) {
        try {
            ByteBuffer out = ByteBuffer.wrap(command);
            while (out.hasRemaining()) {
                if (channel.write(out) <= 0) {
                    throw new IOException("short write");
                }
            }
            ByteBuffer in = ByteBuffer.allocate(MAX_RESPONSE);
            int n = channel.read(in);
            if (n < 10) {
                throw new IOException("short response (" + n + " bytes)");
            }
            return Arrays.copyOf(in.array(), n);
        } catch (IOException e) {
            throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "TPM device " + path + " I/O failed: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
    }

    @Override
    public String toString() {
        return "TpmDeviceTransport[" + path + "]";
    }
}
