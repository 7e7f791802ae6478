package io.nfvlab.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * A small HTTP/1.1 server for GET endpoints that no client can hold up. One selector thread does all socket I/O
 * without blocking: it reads each request head under a deadline and a size cap, hands complete requests to the
 * executor of their route, and writes the answers under a deadline of their own; every connection is closed after
 * one answer. A client that sends half a request (or reads its answer too slowly) therefore costs one connection
 * slot until its deadline, never a thread. At most {@link Limits#maxConnections} are open: a new one pushes out the
 * oldest that is still sending its request, so a flood of idle connections cannot lock out a probe either.
 * <p>
 * Why not the JDK's {@code com.sun.net.httpserver}: it reads request heads on its executor's threads, so a few
 * half-sent requests occupy the whole pool, and its only read deadline is a JVM-wide system property.
 */
final class BoundedHttpServer implements AutoCloseable {
    /** What the server will tolerate of a client. */
    record Limits(Duration readDeadline, Duration writeDeadline, int maxConnections, int maxHeadBytes) {
        Limits {
            if (readDeadline.isNegative() || readDeadline.isZero() || writeDeadline.isNegative() || writeDeadline.isZero()) {
                throw new IllegalArgumentException("deadlines must be positive");
            }
            if (maxConnections < 1 || maxHeadBytes < 64) {
                throw new IllegalArgumentException("maxConnections must be at least 1 and maxHeadBytes at least 64");
            }
        }
    }

    /** An answer: status code, content type and body. */
    record Response(int status, String contentType, String body) {
        static Response text(int status, String body) {
            return new Response(status, "text/plain; charset=utf-8", body);
        }
    }

    /** A path's handler and the executor it runs on (a slow handler delays only the routes sharing its executor). */
    record Route(Supplier<Response> handler, Executor executor) {
    }

    private enum Phase { READING, HANDLING, WRITING }

    private static final class Connection {
        final SocketChannel channel;
        final SelectionKey key;
        final ByteBuffer head;
        long deadline;
        Phase phase = Phase.READING;
        ByteBuffer out;

        Connection(SocketChannel channel, SelectionKey key, int maxHead, long deadline) {
            this.channel = channel;
            this.key = key;
            this.head = ByteBuffer.allocate(maxHead);
            this.deadline = deadline;
        }
    }

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Map<String, Route> routes;
    private final Limits limits;
    /** Open connections in the order they were accepted: the first one still READING is pushed out first. */
    private final LinkedHashSet<Connection> connections = new LinkedHashSet<>();
    /** Answers computed on route executors, to be written by the selector thread. */
    private final Queue<Runnable> answers = new ConcurrentLinkedQueue<>();
    private final Thread loop;
    private volatile boolean open = true;

    private BoundedHttpServer(ServerSocketChannel listener, Selector selector, Map<String, Route> routes, Limits limits, String name) {
        this.listener = listener;
        this.selector = selector;
        this.routes = Map.copyOf(routes);
        this.limits = limits;
        this.loop = new Thread(this::run, name);
        this.loop.setDaemon(true);
    }

    /** Listens on {@code address} (port 0: a free one) and serves {@code routes} by exact path. */
    static BoundedHttpServer start(InetSocketAddress address, Map<String, Route> routes, Limits limits, String name) {
        ServerSocketChannel listener = null;
        Selector selector = null;
        try {
            listener = ServerSocketChannel.open();
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(address, 64);
            listener.configureBlocking(false);
            selector = Selector.open();
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            closeQuietly(listener);
            closeQuietly(selector);
            throw new UncheckedIOException("cannot listen on " + address, e);
        }
        BoundedHttpServer server = new BoundedHttpServer(listener, selector, routes, limits, name);
        server.loop.start();
        return server;
    }

    InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void run() {
        try {
            while (open) {
                selector.select(Math.max(1, Math.min(250, untilNextDeadline())));
                Runnable answer;
                while ((answer = answers.poll()) != null) {
                    answer.run();
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.attachment() instanceof Connection c) {
                        if (key.isReadable() && c.phase == Phase.READING) {
                            read(c);
                        } else if (key.isWritable() && c.phase == Phase.WRITING) {
                            write(c);
                        }
                    }
                }
                expire();
            }
        } catch (IOException | ClosedSelectorException e) {
            // closing; nothing to serve any more
        } finally {
            connections.forEach(c -> closeQuietly(c.channel));
            connections.clear();
        }
    }

    private long untilNextDeadline() {
        long now = System.nanoTime();
        long next = Long.MAX_VALUE;
        for (Connection c : connections) {
            if (c.phase != Phase.HANDLING) {
                next = Math.min(next, c.deadline - now);
            }
        }
        return next == Long.MAX_VALUE ? 250 : next / 1_000_000 + 1;
    }

    private void accept() throws IOException {
        SocketChannel channel;
        while ((channel = listener.accept()) != null) {
            if (connections.size() >= limits.maxConnections() && !pushOutOldestReader()) {
                closeQuietly(channel);   // every slot waits for its answer: the newcomer is the one to go
                continue;
            }
            channel.configureBlocking(false);
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            Connection c = new Connection(channel, key, limits.maxHeadBytes(), System.nanoTime() + limits.readDeadline().toNanos());
            key.attach(c);
            connections.add(c);
        }
    }

    private boolean pushOutOldestReader() {
        for (Connection c : connections) {
            if (c.phase == Phase.READING) {
                drop(c);
                return true;
            }
        }
        return false;
    }

    private void read(Connection c) {
        int n;
        try {
            n = c.channel.read(c.head);
        } catch (IOException e) {
            drop(c);
            return;
        }
        if (n < 0) {
            drop(c);
            return;
        }
        int end = headEnd(c.head);
        if (end < 0) {
            if (!c.head.hasRemaining()) {
                answer(c, Response.text(431, "request head larger than " + limits.maxHeadBytes() + " bytes\n"), false);
            }
            return;
        }
        String head = new String(c.head.array(), 0, end, StandardCharsets.ISO_8859_1);
        String[] requestLine = head.lines().findFirst().orElse("").split(" ");
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
            answer(c, Response.text(400, "not an HTTP/1.x request line\n"), false);
            return;
        }
        String method = requestLine[0];
        boolean headOnly = method.equals("HEAD");
        if (!method.equals("GET") && !headOnly) {
            answer(c, Response.text(405, "only GET and HEAD\n"), false);
            return;
        }
        String target = requestLine[1];
        int query = target.indexOf('?');
        Route route = routes.get(query < 0 ? target : target.substring(0, query));
        if (route == null) {
            answer(c, Response.text(404, "no such endpoint; there are " + String.join(", ", routes.keySet().stream().sorted().toList()) + "\n"), headOnly);
            return;
        }
        c.phase = Phase.HANDLING;
        c.key.interestOps(0);
        try {
            route.executor().execute(() -> {
                Response r;
                try {
                    r = route.handler().get();
                } catch (RuntimeException e) {
                    r = Response.text(500, e.toString() + "\n");
                }
                Response done = r;
                answers.add(() -> answer(c, done, headOnly));
                selector.wakeup();
            });
        } catch (RejectedExecutionException e) {
            answer(c, Response.text(503, "busy: too many requests for " + target + " in line\n"), headOnly);
        }
    }

    /** Where the head ends (after its blank line), or -1 while it is incomplete. */
    private static int headEnd(ByteBuffer buffer) {
        byte[] b = buffer.array();
        int limit = buffer.position();
        for (int i = 0; i + 1 < limit; i++) {
            if (b[i] == '\n' && (b[i + 1] == '\n' || (b[i + 1] == '\r' && i + 2 < limit && b[i + 2] == '\n'))) {
                return i + 1;
            }
        }
        return -1;
    }

    private void answer(Connection c, Response r, boolean headOnly) {
        if (!c.channel.isOpen()) {
            return;
        }
        byte[] body = r.body().getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + r.status() + " " + reason(r.status()) + "\r\n"
                + "Content-Type: " + r.contentType() + "\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + (r.status() == 405 ? "Allow: GET, HEAD\r\n" : "")
                + "Connection: close\r\n\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer out = ByteBuffer.allocate(headBytes.length + (headOnly ? 0 : body.length));
        out.put(headBytes);
        if (!headOnly) {
            out.put(body);
        }
        out.flip();
        c.out = out;
        c.phase = Phase.WRITING;
        c.deadline = System.nanoTime() + limits.writeDeadline().toNanos();
        write(c);
        if (c.channel.isOpen()) {
            c.key.interestOps(SelectionKey.OP_WRITE);
        }
    }

    private void write(Connection c) {
        try {
            c.channel.write(c.out);
            if (!c.out.hasRemaining()) {
                // the answer is out: half-close first so the client reads it all before the connection goes
                c.channel.shutdownOutput();
                drop(c);
            }
        } catch (IOException e) {
            drop(c);
        }
    }

    /** Drops connections past their deadline: a client still sending its request, or one not reading its answer. */
    private void expire() {
        long now = System.nanoTime();
        for (Connection c : java.util.List.copyOf(connections)) {
            if (c.phase != Phase.HANDLING && now - c.deadline > 0) {
                drop(c);
            }
        }
    }

    private void drop(Connection c) {
        connections.remove(c);
        c.key.cancel();
        closeQuietly(c.channel);
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> String.format(Locale.ROOT, "Status %d", status);
        };
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing anyway
        }
    }

    @Override
    public void close() {
        open = false;
        selector.wakeup();
        try {
            loop.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(listener);
        closeQuietly(selector);
    }
}
