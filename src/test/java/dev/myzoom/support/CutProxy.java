package dev.myzoom.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in the test's network namespace, between a page and the server, that can cut every
 * connection through it at once as a lost network does: the page's side is reset (no WebSocket
 * close frame, no goodbye) and the server's side is closed without a word. New connections go
 * through again at once, as after the network comes back.
 */
public final class CutProxy implements AutoCloseable {
    private final ServerSocket listener;
    private volatile int target;
    private final List<Socket[]> pairs = new CopyOnWriteArrayList<>();

    private CutProxy(int target) throws IOException {
        this.target = target;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accepting = new Thread(this::accept, "cut-proxy");
        accepting.setDaemon(true);
        accepting.start();
    }

    /** A proxy to the server on {@code targetPort} of loopback. */
    public static CutProxy to(int targetPort) {
        try {
            return new CutProxy(targetPort);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "http://localhost:" + listener.getLocalPort() + path;
    }

    /**
     * New connections go to the server on {@code port} from now on, as when a load balancer sends
     * a page that comes back to another node.
     */
    public void retarget(int port) {
        target = port;
    }

    /** Cuts every connection through the proxy now; returns how many. */
    public int cut() {
        int n = 0;
        for (Socket[] pair : pairs) {
            try {
                // Linger 0: a reset, as when a route disappears, not an orderly FIN.
                pair[0].setSoLinger(true, 0);
            } catch (IOException ignored) {
                // Already gone.
            }
            quietly(pair[0]);
            quietly(pair[1]);
            pairs.remove(pair);
            n++;
        }
        return n;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket page = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                Socket[] pair = {page, server};
                pairs.add(pair);
                pump(page, server, pair);
                pump(server, page, pair);
            } catch (IOException e) {
                // Closed, or the server refused: the page sees its connection fail.
            }
        }
    }

    private void pump(Socket from, Socket to, Socket[] pair) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // Cut, or closed by either side.
            } finally {
                quietly(pair[0]);
                quietly(pair[1]);
                pairs.remove(pair);
            }
        }, "cut-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // Nothing to do.
        }
    }

    @Override
    public void close() {
        cut();
        try {
            listener.close();
        } catch (IOException ignored) {
            // Nothing to do.
        }
    }
}
