package io.capsa.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 in front of the real registry that injects the faults a registry cannot be made to
 * show on demand: connections cut in the middle of an answer, or a 500 for every request.
 */
final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final long cutAfter;
    private final AtomicInteger cutsLeft;
    private final boolean answer500;
    private final AtomicInteger cuts = new AtomicInteger();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private FaultProxy(int target, long cutAfter, int cutsLeft, boolean answer500) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.cutAfter = cutAfter;
        this.cutsLeft = new AtomicInteger(cutsLeft);
        this.answer500 = answer500;
        this.acceptor = Thread.ofPlatform().daemon().start(this::accept);
    }

    /** Relays, but closes a connection once it carried {@code bytes} towards the client, {@code times} times. */
    static FaultProxy cutting(int target, long bytes, int times) throws IOException {
        return new FaultProxy(target, bytes, times, false);
    }

    /** Answers every request with a 500 and a registry-style error body. */
    static FaultProxy failing() throws IOException {
        return new FaultProxy(0, 0, 0, true);
    }

    String domain() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    int cuts() {
        return cuts.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                if (answer500) {
                    Thread.ofPlatform().daemon().start(() -> fail(client));
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                sockets.add(upstream);
                Thread.ofPlatform().daemon().start(() -> pipe(client, upstream, Long.MAX_VALUE));
                Thread.ofPlatform().daemon().start(() -> pipe(upstream, client, cutAfter));
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void pipe(Socket from, Socket to, long limit) {
        byte[] buffer = new byte[8192];
        long relayed = 0;
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (limit > 0 && relayed + n > limit && cutsLeft.getAndDecrement() > 0) {
                    out.write(buffer, 0, (int) (limit - relayed));
                    out.flush();
                    cuts.incrementAndGet();
                    break;
                }
                out.write(buffer, 0, n);
                relayed += n;
            }
        } catch (IOException ignored) {
            // the other side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static void fail(Socket client) {
        try (client; InputStream in = client.getInputStream(); OutputStream out = client.getOutputStream()) {
            int last = 0;
            for (int c; (c = in.read()) >= 0; ) { // up to the end of the request's headers
                last = (last << 8 | c) & 0xffffffff;
                if (last == 0x0d0a0d0a) break;
            }
            byte[] body = "{\"errors\":[{\"code\":\"UNKNOWN\",\"message\":\"unknown error\",\"detail\":\"storage is on fire\"}]}"
                    .getBytes(StandardCharsets.UTF_8);
            out.write(("HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: " + body.length +
                    "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
        } catch (IOException ignored) {
            // the client went away
        }
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : sockets) closeQuietly(s);
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
