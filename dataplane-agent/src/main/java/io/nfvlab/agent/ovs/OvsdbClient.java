package io.nfvlab.agent.ovs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client of ovsdb-server's JSON-RPC (RFC 7047) over its unix socket: {@code transact} on the Open_vSwitch
 * database. ovs-vsctl does the same after starting a process and reading the whole configuration first (8–15 ms a
 * call, and it blocks forever while ovs-vswitchd is down unless given --timeout); a transaction on an open
 * connection costs well under a millisecond, and every call here has a deadline. One connection, one request at a
 * time; a connection that broke since the last call (ovsdb-server restarted) is opened again once.
 */
public final class OvsdbClient implements AutoCloseable {
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/openvswitch/db.sock");
    private static final String DATABASE = "Open_vSwitch";
    private static final int MAX_MESSAGE = 16 << 20;

    private final Path socket;
    private final Duration timeout;
    private SocketChannel channel;
    private Selector selector;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long nextId;

    public OvsdbClient(Path socket, Duration timeout) {
        this.socket = socket;
        this.timeout = timeout;
    }

    /** The node's ovsdb-server, 10 s per request. */
    public static OvsdbClient system() {
        return new OvsdbClient(DEFAULT_SOCKET, Duration.ofSeconds(10));
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Runs the operations as one transaction and returns their results, one per operation. Throws IOException when
     * the server cannot be reached or does not answer in time, OvsdbException when the transaction failed.
     */
    public synchronized List<JsonNode> transact(List<ObjectNode> operations) throws IOException, OvsdbException {
        boolean reused = channel != null;
        try {
            return attempt(operations);
        } catch (IOException e) {
            if (!reused) {
                throw e;
            }
            return attempt(operations);
        }
    }

    /** A cheap request that tells whether ovsdb-server answers. */
    public boolean reachable() {
        try {
            transact(List.of(Ovsdb.select("Open_vSwitch", Ovsdb.all(), "_uuid")));
            return true;
        } catch (IOException | OvsdbException e) {
            return false;
        }
    }

    private List<JsonNode> attempt(List<ObjectNode> operations) throws IOException, OvsdbException {
        long deadline = System.nanoTime() + timeout.toNanos();
        if (channel == null) {
            open();
        }
        long id = ++nextId;
        ObjectNode request = Ovsdb.JSON.createObjectNode();
        request.put("method", "transact");
        ArrayNode params = request.putArray("params");
        params.add(DATABASE);
        operations.forEach(params::add);
        request.put("id", id);
        try {
            send(request, deadline);
            for (;;) {
                JsonNode message = receive(deadline);
                if ("echo".equals(message.path("method").asText())) {
                    // the server's keep-alive: answer it in kind
                    ObjectNode echo = Ovsdb.JSON.createObjectNode();
                    echo.set("id", message.get("id"));
                    echo.set("result", message.get("params"));
                    echo.putNull("error");
                    send(echo, deadline);
                    continue;
                }
                if (!message.path("id").isNumber() || message.get("id").asLong() != id) {
                    continue; // notifications: none asked for
                }
                return results(message, operations.size());
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    private static List<JsonNode> results(JsonNode reply, int count) throws OvsdbException {
        if (reply.hasNonNull("error")) {
            throw new OvsdbException(text(reply.get("error")));
        }
        if (!reply.path("result").isArray()) {
            throw new OvsdbException("reply without a result");
        }
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode result : reply.get("result")) {
            if (result.hasNonNull("error")) {
                // the first failing operation aborts the transaction; "details" says why
                throw new OvsdbException(text(result.get("error"))
                        + (result.hasNonNull("details") ? ": " + text(result.get("details")) : ""));
            }
            out.add(result);
        }
        if (out.size() < count) {
            throw new OvsdbException("transaction aborted");
        }
        return out;
    }

    private static String text(JsonNode node) {
        return node.isTextual() ? node.asText() : node.toString();
    }

    private void open() throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.configureBlocking(false);
            selector = Selector.open();
            ch.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        channel = ch;
        pending.reset();
    }

    private void send(JsonNode message, long deadline) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(Ovsdb.JSON.writeValueAsBytes(message));
        SelectionKey key = channel.keyFor(selector);
        while (out.hasRemaining()) {
            if (channel.write(out) == 0) {
                key.interestOps(SelectionKey.OP_WRITE);
                await(deadline);
                key.interestOps(SelectionKey.OP_READ);
            }
        }
    }

    /** The next complete JSON object from the server (the stream has no delimiters: objects follow each other). */
    private JsonNode receive(long deadline) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        for (;;) {
            byte[] all = pending.toByteArray();
            int end = endOfObject(all);
            if (end > 0) {
                pending.reset();
                pending.write(all, end, all.length - end);
                JsonNode message;
                try {
                    message = Ovsdb.JSON.readTree(all, 0, end);
                } catch (IOException e) {
                    throw new IOException("ovsdb-server sent what is not JSON: " + e.getMessage());
                }
                if (message == null || !message.isObject()) {
                    throw new IOException("ovsdb-server sent a JSON value that is not an object");
                }
                return message;
            }
            if (pending.size() > MAX_MESSAGE) {
                throw new IOException("ovsdb-server message over " + MAX_MESSAGE + " bytes");
            }
            buf.clear();
            int n = channel.read(buf);
            if (n < 0) {
                throw new IOException("ovsdb-server closed the connection");
            }
            if (n == 0) {
                await(deadline);
            } else {
                pending.write(buf.array(), 0, n);
            }
        }
    }

    private void await(long deadline) throws IOException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0 || selector.select(left) == 0 && System.nanoTime() >= deadline) {
            throw new IOException("ovsdb-server did not answer within " + timeout.toMillis() + " ms");
        }
        selector.selectedKeys().clear();
    }

    /** Bytes up to and including the closing brace of the first complete top-level object, or -1. */
    public static int endOfObject(byte[] b) {
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < b.length; i++) {
            byte c = b[i];
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            }
        }
        return -1;
    }

    @Override
    public synchronized void close() {
        try {
            if (selector != null) {
                selector.close();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            // closing anyway
        }
        selector = null;
        channel = null;
    }
}
