package dev.coco4j.azure.tpm;

import dev.coco4j.core.AttestationException;
import dev.coco4j.core.Reason;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;

/**
 * The data channel of swtpm ({@code swtpm socket --tpm2 --server type=tcp,port=P}): the raw command bytes go out, the
 * response comes back framed by its own header ({@code u16 tag, u32 responseSize, u32 responseCode}). swtpm's data
 * socket carries bare TPM 2.0 commands; the TPM must already be started ({@code --flags not-need-init,startup-clear}
 * or {@link Tpm2#startup()}). For tests and development, not for production.
 */
public final class SwtpmSocketTransport implements TpmTransport {
    private static final int MAX_RESPONSE = 64 * 1024;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private SwtpmSocketTransport(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to swtpm's data port.
     *
     * @param host the host name or address swtpm listens on, e.g. {@code localhost}
     * @param port swtpm's data (not control) TCP port, 0..65535
     * @return a connected transport (5 s connect timeout, 30 s read timeout); close it when done
     * @throws AttestationException {@code SERVICE_UNAVAILABLE} if the connection fails
     */
    public static SwtpmSocketTransport connect(String host, int port) {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), 5_000);
            s.setSoTimeout(30_000);
            return new SwtpmSocketTransport(s);
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "cannot connect to swtpm at " + host + ":"
                    + port, e);
        }
    }

    @Override
    public byte[] transmit(byte[] command) {
        try {
            out.write(command);
            out.flush();
            byte[] header = new byte[10];
            in.readFully(header);
            int size = ByteBuffer.wrap(header).getInt(2);
            if (size < 10 || size > MAX_RESPONSE) {
                throw new IOException("response size " + size);
            }
            byte[] response = new byte[size];
            System.arraycopy(header, 0, response, 0, 10);
            in.readFully(response, 10, size - 10);
            return response;
        } catch (IOException e) {
            throw new AttestationException(Reason.SERVICE_UNAVAILABLE, "swtpm I/O failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing useful to do
        }
    }
}
