package io.nfvlab.apiserver;

import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.WebSocketListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A watch's connection on the {@link InProcessTransport}: the client's end ({@link #client()}) and the server's end
 * ({@link #server()}) of one socket. What the server sends is handed to the client's listener in order on a delivery
 * thread of this socket, as a client's network thread would, so that the server's sender never runs client code.
 * The server listener's callbacks run as on the server's event loop, one at a time with requests: a closing watch
 * stops its sender and leaves the server's set of watches in one step, so that no write in between finds a stopped
 * sender. They run on a thread of their own, because closing waits for the sender to finish.
 */
final class InProcessWebSocket {
    private static final Logger LOG = LoggerFactory.getLogger(InProcessWebSocket.class);
    /** Code of a connection that ended without a close frame (RFC 6455 §7.4.1), as a client sees a server that dies. */
    static final int ABNORMAL_CLOSURE = 1006;

    private static final Executor TO_SERVER = command -> {
        Thread t = new Thread(command, "nfvlab-in-process-close");
        t.setDaemon(true);
        t.start();
    };

    private final InProcessTransport transport;
    private final RecordedRequest request;
    private final MockResponse upgrade;
    private final WebSocketListener serverListener;
    private final WebSocket.Listener clientListener;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ClientEnd client = new ClientEnd();
    private final ServerEnd server = new ServerEnd();
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "nfvlab-in-process-watch");
        t.setDaemon(true);
        return t;
    });

    private InProcessWebSocket(InProcessTransport transport, RecordedRequest request, MockResponse upgrade,
            WebSocket.Listener clientListener) {
        this.transport = transport;
        this.request = request;
        this.upgrade = upgrade;
        this.serverListener = upgrade.getWebSocketListener();
        this.clientListener = clientListener;
    }

    /**
     * Opens the socket the server accepted with {@code upgrade}, in the order of a real handshake: the server
     * registers it, the client learns it is open, then the server may send (a watch sends what it holds at once).
     * Called as the server ({@link InProcessTransport#openWatch}).
     */
    static InProcessWebSocket open(InProcessTransport transport, RecordedRequest request, MockResponse upgrade,
            WebSocket.Listener clientListener) {
        InProcessWebSocket socket = new InProcessWebSocket(transport, request, upgrade, clientListener);
        socket.serverListener.onBeforeAccept(socket.server, upgrade);
        transport.opened(socket);
        clientListener.onOpen(socket.client);
        socket.serverListener.onOpen(socket.server, upgrade);
        return socket;
    }

    WebSocket client() {
        return client;
    }

    io.fabric8.mockwebserver.http.WebSocket server() {
        return server;
    }

    /** The server went away: the client sees an error, the server's listener a failure. */
    void abort(String why) {
        if (closed.compareAndSet(false, true)) {
            transport.closed(this);
            IOException error = new IOException(why);
            deliverLast(() -> clientListener.onError(client, error));
            TO_SERVER.execute(() -> transport.asTheServer(() -> serverListener.onFailure(server, error, upgrade)));
        }
    }

    private void closeBothEnds(int code, String reason) {
        if (closed.compareAndSet(false, true)) {
            transport.closed(this);
            deliverLast(() -> clientListener.onClose(client, code, reason));
            TO_SERVER.execute(() -> transport.asTheServer(() -> serverListener.onClosed(server, code, reason)));
        }
    }

    /** Hands {@code message} to the client after what was sent before it; false once the socket is closed. */
    private boolean deliver(Runnable message) {
        if (closed.get()) {
            return false;
        }
        try {
            delivery.execute(() -> {
                try {
                    message.run();
                } catch (RuntimeException e) {
                    LOG.debug("watch listener failed on a message: {}", e.toString());
                }
            });
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void deliverLast(Runnable end) {
        try {
            delivery.execute(end);
        } catch (RejectedExecutionException e) {
            // already ended
        }
        delivery.shutdown();
    }

    private final class ClientEnd implements WebSocket {
        @Override
        public boolean send(ByteBuffer buffer) {
            if (closed.get()) {
                return false;
            }
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            TO_SERVER.execute(() -> transport.asTheServer(() -> serverListener.onMessage(server, bytes)));
            return true;
        }

        @Override
        public boolean sendClose(int code, String reason) {
            if (closed.get()) {
                return false;
            }
            TO_SERVER.execute(() -> {
                transport.asTheServer(() -> serverListener.onClosing(server, code, reason));
                // a server that does not answer a close frame with its own is closed by the client's
                closeBothEnds(code, reason);
            });
            return true;
        }

        @Override
        public long queueSize() {
            return 0;
        }

        @Override
        public void request() {
            // messages are handed over as the server sends them: nothing is queued to ask for
        }
    }

    private final class ServerEnd implements io.fabric8.mockwebserver.http.WebSocket {
        @Override
        public RecordedRequest request() {
            return request;
        }

        @Override
        public boolean send(String text) {
            return deliver(() -> clientListener.onMessage(client, text));
        }

        @Override
        public boolean send(byte[] bytes) {
            return deliver(() -> clientListener.onMessage(client, ByteBuffer.wrap(bytes)));
        }

        @Override
        public boolean close(int code, String reason) {
            closeBothEnds(code, reason);
            return true;
        }
    }
}
