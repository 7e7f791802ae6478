package io.nfvlab.apiserver;

import io.fabric8.kubernetes.client.http.HttpClient;
import io.fabric8.kubernetes.client.http.WebSocket;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;

import java.net.ConnectException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries the requests of clients in this JVM to the in-process API server by a method call instead of over loopback
 * TCP: the same requests, headers and JSON bodies reach the same dispatcher (token, size limits, schema and CEL), only
 * the sockets, HTTP framing and thread hand-overs are gone. Those were a quarter of `nfvlab run`'s CPU and a hop
 * through two selector threads on every request and watch event (bench/startup/README.md).
 * <p>
 * Like a server that goes down, {@link #stop()} refuses new requests and cuts open watches; {@link #start()} serves
 * again.
 */
final class InProcessTransport {
    private final Dispatcher dispatcher;
    private volatile boolean serving = true;
    private final Set<InProcessWebSocket> open = ConcurrentHashMap.newKeySet();

    InProcessTransport(Dispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    /** fabric8's factory of clients on this transport. */
    HttpClient.Factory clientFactory() {
        return new InProcessHttpClient.Factory(this);
    }

    /**
     * The server's answer to {@code request}, as its HTTP listener would give it. One request at a time, as the
     * listener's single event loop serves them: the mock's dispatcher and its CRD registry are not safe for concurrent
     * requests (a topology written while informers listed failed with a ConcurrentModificationException).
     */
    MockResponse exchange(RecordedRequest request) throws ConnectException {
        synchronized (serving()) {
            return dispatcher.dispatch(request);
        }
    }

    /**
     * The server's answer to a watch's {@code request} and, when it accepts, the socket opened on it, in one step as
     * on the event loop: no write can fall between the answer and the events the watch starts with.
     */
    WatchOpening openWatch(RecordedRequest request, WebSocket.Listener listener)
            throws ConnectException {
        synchronized (serving()) {
            MockResponse answer = dispatcher.dispatch(request);
            return new WatchOpening(answer, answer.getWebSocketListener() == null ? null
                    : InProcessWebSocket.open(this, request, answer, listener));
        }
    }

    /** Runs a server listener's callback as the event loop would: never beside a request. */
    void asTheServer(Runnable callback) {
        synchronized (dispatcher) {
            callback.run();
        }
    }

    /** What a watch request got: the answer, and the socket when the server upgraded to one (else null). */
    record WatchOpening(MockResponse answer, InProcessWebSocket socket) {
    }

    /** The lock of the one "event loop"; refuses when the server is stopped. */
    private Object serving() throws ConnectException {
        if (!serving) {
            throw new ConnectException("the in-process API server is stopped");
        }
        return dispatcher;
    }

    void opened(InProcessWebSocket socket) {
        open.add(socket);
        // a stop that ran between the request and this registration must still cut it
        if (!serving) {
            socket.abort("the in-process API server is stopped");
        }
    }

    void closed(InProcessWebSocket socket) {
        open.remove(socket);
    }

    void stop() {
        serving = false;
        open.forEach(s -> s.abort("the in-process API server stopped"));
    }

    void start() {
        serving = true;
    }

    /** Watches open now, for tests. */
    int openWebSockets() {
        return open.size();
    }
}
