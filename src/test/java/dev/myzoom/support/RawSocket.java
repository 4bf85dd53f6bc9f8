package dev.myzoom.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare socket, for what a browser never does: stop reading while it
 * keeps sending, send binary frames, or send frames as fast as TCP takes them. Frames are masked
 * as the protocol wants; nothing is read after the handshake unless the test asks.
 */
public final class RawSocket implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    /** The HTTP status line of the upgrade's answer, e.g. "HTTP/1.1 101 Switching Protocols". */
    public final String status;
    /** The whole head of the upgrade's answer: status line and headers. */
    public final String head;

    private RawSocket(Socket socket, String head) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
        this.head = head;
        this.status = head.lines().findFirst().orElse("");
    }

    /**
     * Sends one plain HTTP/1.1 GET with the headers given (Host included, which the JDK's client
     * will not let a test set) and returns the status code.
     */
    public static int httpGet(String host, int port, String path, String... headers) {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(10_000);
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nConnection: close\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            String status = readHead(socket.getInputStream()).lines().findFirst().orElse("");
            return Integer.parseInt(status.split(" ")[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Opens the WebSocket with a small receive buffer, so that a client that stops reading
     * pushes back on the server soon. {@code headers} are extra "Name: value" lines.
     */
    public static RawSocket open(String host, int port, String... headers) {
        return open(null, host, port, headers);
    }

    /** The same, from {@code localAddress} (e.g. 127.0.0.2, to be another address on loopback). */
    public static RawSocket open(String localAddress, String host, int port, String... headers) {
        return open(localAddress, host, port, true, headers);
    }

    /** The same, without a Host header of its own when {@code withHost} is false (the test sends one). */
    public static RawSocket open(String localAddress, String host, int port, boolean withHost, String... headers) {
        try {
            Socket socket = new Socket();
            socket.setReceiveBufferSize(16 * 1024);
            if (localAddress != null) {
                socket.bind(new InetSocketAddress(localAddress, 0));
            }
            socket.connect(new InetSocketAddress(host, port), 5000);
            socket.setSoTimeout(10_000);
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            StringBuilder request = new StringBuilder("GET /ws HTTP/1.1\r\n" + (withHost ? "Host: " + host + ":" + port + "\r\n" : "")
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n");
            for (String header : headers) {
                request.append(header).append("\r\n");
            }
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            return new RawSocket(socket, readHead(socket.getInputStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean upgraded() {
        return status.contains(" 101 ");
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    public void sendText(String text) throws IOException {
        frame(0x1, text.getBytes(StandardCharsets.UTF_8));
    }

    public void sendBinary(byte[] payload) throws IOException {
        frame(0x2, payload);
    }

    private void frame(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream f = new ByteArrayOutputStream(payload.length + 14);
        f.write(0x80 | opcode);
        if (payload.length < 126) {
            f.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            f.write(0x80 | 126);
            f.write(payload.length >>> 8);
            f.write(payload.length & 0xff);
        } else {
            f.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                f.write((int) ((long) payload.length >>> shift) & 0xff);
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        f.write(mask);
        for (int i = 0; i < payload.length; i++) {
            f.write(payload[i] ^ mask[i & 3]);
        }
        out.write(f.toByteArray());
        out.flush();
    }

    /** Reads the next text frame the server sent (server frames are not masked). */
    public String readText() throws IOException {
        while (true) {
            int b0 = in.read();
            int b1 = in.read();
            if (b0 < 0 || b1 < 0) {
                throw new java.io.EOFException("the server closed the connection");
            }
            long length = b1 & 0x7f;
            if (length >= 126) {
                int bytes = length == 126 ? 2 : 8;
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | in.read();
                }
            }
            byte[] payload = in.readNBytes((int) length);
            if ((b0 & 0x0f) == 0x1) {
                return new String(payload, StandardCharsets.UTF_8);
            }
            if ((b0 & 0x0f) == 0x8) {
                throw new java.io.EOFException("the server closed the WebSocket");
            }
        }
    }

    /**
     * Reads and throws away what the server sent until it ends the connection; true if it did
     * within {@code timeoutMillis} (by closing or resetting it).
     */
    public boolean drainUntilClosed(long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        byte[] buffer = new byte[64 * 1024];
        try {
            socket.setSoTimeout(500);
            while (System.currentTimeMillis() < deadline) {
                try {
                    if (in.read(buffer) < 0) {
                        return true;
                    }
                } catch (java.net.SocketTimeoutException quiet) {
                    // nothing yet; look again
                }
            }
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
