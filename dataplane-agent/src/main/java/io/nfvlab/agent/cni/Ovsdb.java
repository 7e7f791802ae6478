package io.nfvlab.agent.cni;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client of ovsdb-server's JSON-RPC (RFC 7047) over its unix socket: {@code transact} on the Open_vSwitch
 * database, nothing else. ovs-vsctl does the same after starting a process and reading the whole configuration
 * first, which cost 8–15 ms of every ADD and DEL; a transaction on an open connection costs well under one.
 * One connection, one request at a time; a broken connection is opened again on the next request.
 */
final class Ovsdb implements AutoCloseable {
    static final Path DEFAULT_SOCKET = Path.of("/var/run/openvswitch/db.sock");
    private static final String DATABASE = "Open_vSwitch";
    private static final int MAX_MESSAGE = 16 << 20;

    /** The server answered, but not with success: an operation's error or a JSON-RPC error. */
    static final class OvsdbException extends Exception {
        OvsdbException(String message) {
            super(message);
        }
    }

    private final Path socket;
    private final long timeoutMillis;
    private SocketChannel channel;
    private Selector selector;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private long nextId;

    Ovsdb(Path socket, long timeoutMillis) {
        this.socket = socket;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Runs the operations as one transaction and returns their results, one per operation. Throws IOException when
     * the server cannot be reached or does not answer in time, OvsdbException when the transaction failed.
     */
    synchronized List<Map<String, Object>> transact(List<Map<String, Object>> operations) throws IOException, OvsdbException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        if (channel == null) {
            open();
        }
        long id = ++nextId;
        List<Object> params = new ArrayList<>();
        params.add(DATABASE);
        params.addAll(operations);
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("method", "transact");
        request.put("params", params);
        request.put("id", id);
        try {
            send(request, deadline);
            for (;;) {
                Map<?, ?> message = receive(deadline);
                if ("echo".equals(message.get("method"))) {
                    // the server's keep-alive: answer it in kind
                    Map<String, Object> echo = new LinkedHashMap<>();
                    echo.put("id", message.get("id"));
                    echo.put("result", message.get("params"));
                    echo.put("error", null);
                    send(echo, deadline);
                    continue;
                }
                if (!(message.get("id") instanceof Number n) || n.longValue() != id) {
                    continue; // notifications: none asked for
                }
                return results(message, operations.size());
            }
        } catch (IOException e) {
            close();
            throw e;
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> results(Map<?, ?> reply, int count) throws OvsdbException {
        if (reply.get("error") != null) {
            throw new OvsdbException(String.valueOf(reply.get("error")));
        }
        if (!(reply.get("result") instanceof List<?> results)) {
            throw new OvsdbException("reply without a result");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object r : results) {
            Map<String, Object> result = r instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
            if (result.get("error") != null) {
                // the first failing operation aborts the transaction; "details" says why
                throw new OvsdbException(result.get("error") + (result.get("details") == null ? "" : ": " + result.get("details")));
            }
            out.add(result);
        }
        if (out.size() < count) {
            throw new OvsdbException("transaction aborted");
        }
        return out;
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

    private void send(Map<String, Object> message, long deadline) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(Json.write(message).getBytes(StandardCharsets.UTF_8));
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
    private Map<?, ?> receive(long deadline) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
        for (;;) {
            int end = endOfObject(pending.toByteArray());
            if (end > 0) {
                byte[] all = pending.toByteArray();
                pending.reset();
                pending.write(all, end, all.length - end);
                try {
                    if (Json.parse(new String(all, 0, end, StandardCharsets.UTF_8).strip()) instanceof Map<?, ?> m) {
                        return m;
                    }
                } catch (Json.ParseException e) {
                    throw new IOException("ovsdb-server sent what is not JSON: " + e.getMessage());
                }
                throw new IOException("ovsdb-server sent a JSON value that is not an object");
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
            throw new IOException("ovsdb-server did not answer within " + timeoutMillis + " ms");
        }
        selector.selectedKeys().clear();
    }

    /** Bytes up to and including the closing brace of the first complete top-level object, or -1. */
    static int endOfObject(byte[] b) {
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

    // ---------------------------------------------------------------- RFC 7047 values

    static Map<String, Object> op(String op, String table) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("op", op);
        m.put("table", table);
        return m;
    }

    /** {@code where name == value}. */
    static List<Object> nameIs(String name) {
        return List.of(List.of("name", "==", name));
    }

    static List<Object> map(Map<String, String> entries) {
        List<Object> pairs = new ArrayList<>();
        entries.forEach((k, v) -> pairs.add(List.of(k, v)));
        return List.of("map", pairs);
    }

    static List<Object> uuid(String uuid) {
        return List.of("uuid", uuid);
    }

    static List<Object> namedUuid(String name) {
        return List.of("named-uuid", name);
    }

    /** The rows of a select result. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> rows(Map<String, Object> result) {
        return result.get("rows") instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }

    /** The UUID string of a {@code ["uuid", "…"]} value. */
    static String uuidOf(Object value) {
        return value instanceof List<?> l && l.size() == 2 && "uuid".equals(l.get(0)) ? String.valueOf(l.get(1)) : null;
    }
}
