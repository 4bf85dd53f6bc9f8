package dev.myzoom.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's clients: a bare WebSocket client on NIO, every socket on one selector thread.
 * It does only what the benchmark needs (the upgrade, masked text frames out, text frames in) and
 * reads a chat line's send time from the raw bytes, so that it costs far less CPU than the server
 * it measures; the JDK's WebSocket took about as much as the server did, on the same 2 cores.
 * Each client notes, for every chat line it receives, how long ago it was sent: the sender puts
 * {@code System.nanoTime()} in the text, and both run in this process.
 */
final class Load implements AutoCloseable {
    private static final byte[] CHAT = "{\"type\":\"chat\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TEXT_T = "\"text\":\"t".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACK = "{\"type\":\"ack\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ERROR = "{\"type\":\"error\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MSG_ID = "\"msgId\"".getBytes(StandardCharsets.US_ASCII);

    private final Selector selector;
    private final Queue<Client> toRegister = new ConcurrentLinkedQueue<>();
    private final Thread io;
    private volatile boolean closed;

    Load() {
        try {
            selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        io = new Thread(this::loop, "load-io");
        io.setDaemon(true);
        io.start();
    }

    /** One client: its socket, its latencies in ms, and a future for its next ack. */
    final class Client {
        private final SocketChannel channel;
        private final URI uri;
        private final String joinFrame;
        private final CompletableFuture<Client> joined = new CompletableFuture<>();
        private SelectionKey key;
        private boolean upgraded;
        private ByteBuffer in = ByteBuffer.allocate(8192);
        private final ArrayDeque<ByteBuffer> out = new ArrayDeque<>();
        private final byte[] mask = new byte[4];
        float[] latencies = new float[1024];
        int count;
        final AtomicLong received = new AtomicLong();
        final AtomicLong errors = new AtomicLong();
        volatile CompletableFuture<Void> acked = new CompletableFuture<>();

        private Client(SocketChannel channel, URI uri, String joinFrame) {
            this.channel = channel;
            this.uri = uri;
            this.joinFrame = joinFrame;
            ThreadLocalRandom.current().nextBytes(mask);
        }

        /** Sends a request and completes when its ack (or error) comes. */
        CompletableFuture<Void> request(String frame) {
            CompletableFuture<Void> next = new CompletableFuture<>();
            acked = next;
            send(frame);
            return next;
        }

        void chat(String id) {
            send("{\"type\":\"chat\",\"id\":\"" + id + "\",\"text\":\"t" + System.nanoTime() + "\"}");
        }

        /** Sends a text frame; what the socket does not take at once is written by the selector. */
        void send(String text) {
            byte[] payload = text.getBytes(StandardCharsets.UTF_8);
            int header = payload.length < 126 ? 2 : 4;
            ByteBuffer frame = ByteBuffer.allocate(header + 4 + payload.length);
            frame.put((byte) 0x81);
            if (payload.length < 126) {
                frame.put((byte) (0x80 | payload.length));
            } else {
                frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
            }
            frame.put(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.put((byte) (payload[i] ^ mask[i & 3]));
            }
            write(frame.flip());
        }

        private synchronized void write(ByteBuffer frame) {
            try {
                if (out.isEmpty()) {
                    channel.write(frame);
                }
                if (frame.hasRemaining()) {
                    out.add(frame);
                    key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                    selector.wakeup();
                }
            } catch (IOException e) {
                errors.incrementAndGet();
            }
        }

        private synchronized void writable() throws IOException {
            while (!out.isEmpty()) {
                ByteBuffer head = out.peek();
                channel.write(head);
                if (head.hasRemaining()) {
                    return;
                }
                out.poll();
            }
            key.interestOps(SelectionKey.OP_READ);
        }

        private void connected() throws IOException {
            channel.finishConnect();
            byte[] key = new byte[16];
            ThreadLocalRandom.current().nextBytes(key);
            String path = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            String upgrade = "GET " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" + uri.getPort()
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            this.key.interestOps(SelectionKey.OP_READ);
            write(ByteBuffer.wrap(upgrade.getBytes(StandardCharsets.US_ASCII)));
        }

        private void readable() throws IOException {
            if (channel.read(in) < 0) {
                throw new IOException("closed by the server");
            }
            in.flip();
            if (!upgraded && !readUpgrade()) {
                in.compact();
                return;
            }
            while (readFrame()) {
                // one frame handled
            }
            in.compact();
            if (!in.hasRemaining()) {
                in = ByteBuffer.allocate(in.capacity() * 2).put(in.flip());
            }
        }

        private boolean readUpgrade() {
            for (int i = in.position(); i + 3 < in.limit(); i++) {
                if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
                    String status = new String(in.array(), 0, Math.min(12, i), StandardCharsets.US_ASCII);
                    if (!status.startsWith("HTTP/1.1 101")) {
                        joined.completeExceptionally(new IOException("upgrade refused: " + status));
                        return false;
                    }
                    in.position(i + 4);
                    upgraded = true;
                    request(joinFrame).whenComplete((x, failure) -> joined.complete(this));
                    return true;
                }
            }
            return false;
        }

        /** Handles one whole frame from the buffer, if there is one. */
        private boolean readFrame() {
            int start = in.position();
            if (in.remaining() < 2) {
                return false;
            }
            int b0 = in.get(start) & 0xff;
            int len = in.get(start + 1) & 0x7f;
            int header = 2;
            if (len == 126) {
                if (in.remaining() < 4) {
                    return false;
                }
                len = in.getShort(start + 2) & 0xffff;
                header = 4;
            } else if (len == 127) {
                if (in.remaining() < 10) {
                    return false;
                }
                len = (int) in.getLong(start + 2);
                header = 10;
            }
            if (in.remaining() < header + len) {
                return false;
            }
            if ((b0 & 0x0f) == 1) {
                text(in.array(), start + header, len);
            }
            in.position(start + header + len);
            return true;
        }

        private void text(byte[] b, int off, int len) {
            long now = System.nanoTime();
            if (startsWith(b, off, len, CHAT)) {
                int at = indexOf(b, off, len, TEXT_T);
                if (at >= 0) {
                    long sent = 0;
                    for (int i = at + TEXT_T.length; i < off + len && b[i] != '"'; i++) {
                        sent = sent * 10 + (b[i] - '0');
                    }
                    record((now - sent) / 1e6f);
                }
            } else if (startsWith(b, off, len, ERROR)) {
                errors.incrementAndGet();
                acked.complete(null);
            } else if (startsWith(b, off, len, ACK) && indexOf(b, off, len, MSG_ID) < 0) {
                acked.complete(null);
            }
        }

        private synchronized void record(float ms) {
            if (count == latencies.length) {
                latencies = java.util.Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = ms;
            received.incrementAndGet();
        }

        synchronized void clear() {
            count = 0;
            received.set(0);
        }

        synchronized void drainInto(List<Float> all) {
            for (int i = 0; i < count; i++) {
                all.add(latencies[i]);
            }
        }

        void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** Opens a client and joins {@code room}; completes once the join is acked. */
    CompletableFuture<Client> join(URI ws, String room, String nick) {
        try {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
            Client client = new Client(channel, ws,
                    "{\"type\":\"join\",\"id\":\"j\",\"room\":\"" + room + "\",\"nick\":\"" + nick + "\"}");
            channel.connect(new InetSocketAddress(ws.getHost(), ws.getPort()));
            toRegister.add(client);
            selector.wakeup();
            return client.joined.orTimeout(60, TimeUnit.SECONDS);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void loop() {
        while (!closed) {
            try {
                selector.select(100);
                for (Client c; (c = toRegister.poll()) != null; ) {
                    c.key = c.channel.register(selector, SelectionKey.OP_CONNECT, c);
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    Client c = (Client) key.attachment();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isConnectable()) {
                            c.connected();
                        } else {
                            if (key.isWritable()) {
                                c.writable();
                            }
                            if (key.isReadable()) {
                                c.readable();
                            }
                        }
                    } catch (IOException | RuntimeException e) {
                        c.joined.completeExceptionally(e);
                        key.cancel();
                        c.close();
                    }
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
        if (len < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[off + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] b, int off, int len, byte[] what) {
        outer:
        for (int i = off; i <= off + len - what.length; i++) {
            for (int j = 0; j < what.length; j++) {
                if (b[i + j] != what[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static List<Float> latencies(List<Client> clients) {
        List<Float> all = new ArrayList<>();
        clients.forEach(c -> c.drainInto(all));
        return all;
    }

    @Override
    public void close() {
        closed = true;
        selector.wakeup();
        try {
            io.join(1000);
            selector.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
